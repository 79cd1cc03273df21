package cert

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// tinyDir writes a hand-made release: two users over Friday 2010-01-08,
// Saturday 01-09 and Monday 01-11, and an answer key marking BBB0002 on
// Monday (release 4.2) and AAA0001 in release 5.2 only.
func tinyDir(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, dir, "logon.csv", `id,date,user,pc,activity
{1},01/08/2010 07:30:00,BBB0002,PC-0002,Logon
{2},01/08/2010 08:00:00,AAA0001,PC-0001,Logon
{3},01/08/2010 16:00:00,BBB0002,PC-0002,Logoff
{4},01/08/2010 17:00:00,AAA0001,PC-0001,Logoff
{5},01/09/2010 10:00:00,AAA0001,PC-0001,Logon
{6},01/09/2010 12:00:00,AAA0001,PC-0001,Logoff
{7},01/11/2010 08:15:00,BBB0002,PC-0002,Logon
{8},01/11/2010 09:00:00,AAA0001,PC-0001,Logon
{9},01/11/2010 17:45:00,BBB0002,PC-0002,Logoff
{10},01/11/2010 18:30:00,AAA0001,PC-0001,Logoff
`)
	writeFile(t, dir, "device.csv", `id,date,user,pc,activity
{1},01/08/2010 10:00:00,AAA0001,PC-0001,Connect
{2},01/08/2010 10:30:00,AAA0001,PC-0001,Disconnect
`)
	writeFile(t, dir, "file.csv", `id,date,user,pc,filename,content
{1},01/08/2010 10:06:00,AAA0001,PC-0001,f1.doc,"quoted, with a comma"
{2},01/08/2010 10:12:00,AAA0001,PC-0001,f2.doc,plain words
`)
	writeFile(t, dir, "email.csv", `id,date,user,pc,to,cc,bcc,from,size,attachments,content
{1},01/08/2010 11:00:00,AAA0001,PC-0001,b@dtaa.com,,,a@dtaa.com,1000,0,hello
{2},01/11/2010 09:00:00,BBB0002,PC-0002,a@dtaa.com,,,b@dtaa.com,2000,1,"hi, again"
{3},01/11/2010 13:30:00,BBB0002,PC-0002,x@gmail.com,,,b@dtaa.com,3000,0,bye
`)
	writeFile(t, dir, "http.csv", `id,date,user,pc,url,content
{1},01/08/2010 09:00:00,AAA0001,PC-0001,http://a.com/x,news
{2},01/08/2010 15:00:00,AAA0001,PC-0001,http://b.com/y,sports
{3},01/11/2010 12:00:00,AAA0001,PC-0001,http://a.com/z,weather
`)
	writeFile(t, dir, "answers/insiders.csv", `dataset,scenario,details,user,start,end
5.2,1,r5.2-1-AAA0001.csv,AAA0001,01/08/2010 08:00:00,01/09/2010 12:00:00
4.2,2,r4.2-2-BBB0002.csv,BBB0002,01/11/2010 09:00:00,01/11/2010 13:30:00
`)
	return dir
}

// column returns the values of the named feature for each row.
func column(t *testing.T, rows []UserFeatures, ops []Op, name string) []float64 {
	t.Helper()
	j := slices.Index(FeatureNames(ops), name)
	if j < 0 {
		t.Fatalf("no feature %q", name)
	}
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = r.Values[j]
	}
	return out
}

func TestFeaturesHandComputed(t *testing.T) {
	dir := tinyDir(t)
	rows, err := Features(dir, FeatureConfig{ClipPercent: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].User != "AAA0001" || rows[1].User != "BBB0002" {
		t.Fatalf("rows %+v", rows)
	}
	if rows[0].Insider || !rows[1].Insider || rows[1].Scenario != 2 || rows[0].ActiveDays != 3 || rows[1].ActiveDays != 2 {
		t.Errorf("labels or days: %+v / %+v", rows[0], rows[1])
	}
	// Values for AAA0001 then BBB0002, worked out by hand. BBB0002 has no
	// device, file or web day and no weekend: its times there are the
	// column means over AAA0001 alone; nobody connects a drive on a
	// weekend, so those times are 0.
	want := map[string][2]float64{
		"weekday.logon.count.mean":               {1, 1},
		"weekday.logon.start.mean":               {8.5, 7.875},
		"weekday.logon.start.max":                {9, 8.25},
		"weekday.logon.start.min":                {8, 7.5},
		"weekday.logon.duration.max":             {0, 0},
		"weekday.logoff.end.mean":                {17.75, 16.875},
		"weekday.logoff.end.max":                 {18.5, 17.75},
		"weekday.device_connect.count.mean":      {0.5, 0},
		"weekday.device_connect.count.max":       {1, 0},
		"weekday.device_connect.count.min":       {0, 0},
		"weekday.device_connect.start.mean":      {10, 10},
		"weekday.device_disconnect.end.min":      {10.5, 10.5},
		"weekday.file_copy.count.mean":           {1, 0},
		"weekday.file_copy.count.max":            {2, 0},
		"weekday.file_copy.start.mean":           {10.1, 10.1},
		"weekday.file_copy.end.mean":             {10.2, 10.2},
		"weekday.file_copy.duration.mean":        {0.1, 0.1},
		"weekday.email_send.count.mean":          {0.5, 1},
		"weekday.email_send.count.max":           {1, 2},
		"weekday.email_send.start.mean":          {11, 9},
		"weekday.email_send.end.max":             {11, 13.5},
		"weekday.email_send.duration.mean":       {0, 4.5},
		"weekday.http_visit.count.mean":          {1.5, 0},
		"weekday.http_visit.count.max":           {2, 0},
		"weekday.http_visit.count.min":           {1, 0},
		"weekday.http_visit.start.mean":          {10.5, 10.5},
		"weekday.http_visit.start.max":           {12, 12},
		"weekday.http_visit.end.mean":            {13.5, 13.5},
		"weekday.http_visit.end.min":             {12, 12},
		"weekday.http_visit.duration.mean":       {3, 3},
		"weekday.http_visit.duration.max":        {6, 6},
		"weekend.logon.count.mean":               {1, 0},
		"weekend.logon.start.mean":               {10, 10},
		"weekend.logoff.end.max":                 {12, 12},
		"weekend.email_send.count.max":           {0, 0},
		"weekend.device_connect.start.mean":      {0, 0},
		"weekend.device_disconnect.duration.min": {0, 0},
	}
	for name, w := range want {
		got := column(t, rows, nil, name)
		for i := range w {
			if math.Abs(got[i]-w[i]) > 1e-9 {
				t.Errorf("%s[%s] = %v, want %v", name, rows[i].User, got[i], w[i])
			}
		}
	}

	// Missing values stay NaN on request; counts are never missing.
	raw, err := Features(dir, FeatureConfig{ClipPercent: -1, KeepMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if v := column(t, raw, nil, "weekday.http_visit.start.mean"); !math.IsNaN(v[1]) || v[0] != 10.5 {
		t.Errorf("kept missing: %v", v)
	}
	for j, name := range FeatureNames(nil) {
		if strings.Contains(name, ".count.") && (math.IsNaN(raw[0].Values[j]) || math.IsNaN(raw[1].Values[j])) {
			t.Errorf("%s missing", name)
		}
	}

	// Counts over all days: AAA0001's weekend spans Saturday (1 logon)
	// and Sunday (none).
	all, err := Features(dir, FeatureConfig{ClipPercent: -1, Days: AllDays})
	if err != nil {
		t.Fatal(err)
	}
	if v := column(t, all, nil, "weekend.logon.count.mean"); v[0] != 0.5 || v[1] != 0 {
		t.Errorf("all days: weekend logons %v, want [0.5 0]", v)
	}
	if v := column(t, all, nil, "weekend.logon.count.min"); v[0] != 0 {
		t.Errorf("all days: weekend logon min %v, want 0", v)
	}

	// Default clipping at the 1st and 99th percentiles: with two rows,
	// linear interpolation moves each end 1% of the gap inward.
	clipped, err := Features(dir, FeatureConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if v := column(t, clipped, nil, "weekday.logon.start.mean"); math.Abs(v[0]-8.49375) > 1e-9 || math.Abs(v[1]-7.88125) > 1e-9 {
		t.Errorf("clipped logon start %v, want [8.49375 7.88125]", v)
	}

	// The seed subset reads no web file.
	if err := os.Remove(filepath.Join(dir, "http.csv")); err != nil {
		t.Fatal(err)
	}
	seed, err := Features(dir, FeatureConfig{Ops: SeedOps(), ClipPercent: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(seed[0].Values) != 96 {
		t.Errorf("seed subset: %d columns", len(seed[0].Values))
	}
	if v := column(t, seed, SeedOps(), "weekday.email_send.count.mean"); v[0] != 0.5 || v[1] != 1 {
		t.Errorf("seed subset: e-mails %v", v)
	}
	if _, err := Features(dir, FeatureConfig{}); err == nil {
		t.Error("all ops without http.csv: no error")
	}
}

func TestFeaturesPerWeek(t *testing.T) {
	rows, err := Features(tinyDir(t), FeatureConfig{PerWeek: true, ClipPercent: -1})
	if err != nil {
		t.Fatal(err)
	}
	w1, w2 := time.Date(2010, 1, 4, 0, 0, 0, 0, time.UTC), time.Date(2010, 1, 11, 0, 0, 0, 0, time.UTC)
	type key struct {
		user    string
		week    time.Time
		days    int
		insider bool
	}
	var got []key
	for _, r := range rows {
		got = append(got, key{r.User, r.Week, r.ActiveDays, r.Insider})
	}
	want := []key{{"AAA0001", w1, 2, false}, {"AAA0001", w2, 1, false}, {"BBB0002", w1, 1, false}, {"BBB0002", w2, 1, true}}
	if !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	if v := column(t, rows, nil, "weekday.email_send.count.mean"); !slices.Equal(v, []float64{1, 0, 0, 2}) {
		t.Errorf("weekly e-mails %v", v)
	}
	if v := column(t, rows, nil, "weekday.http_visit.count.mean"); !slices.Equal(v, []float64{2, 1, 0, 0}) {
		t.Errorf("weekly web visits %v", v)
	}
}

func TestFeatureNames(t *testing.T) {
	all := FeatureNames(nil)
	if len(all) != 168 || len(SeedFeatureNames()) != 96 || len(FeatureNames([]Op{OpHTTPVisit})) != FeaturesPerOp {
		t.Fatalf("%d names, %d seed names", len(all), len(SeedFeatureNames()))
	}
	if all[0] != "weekday.logon.count.mean" || all[3] != "weekday.logon.start.mean" || all[12] != "weekday.logoff.count.mean" ||
		all[84] != "weekend.logon.count.mean" || all[167] != "weekend.http_visit.duration.min" {
		t.Errorf("order: %v ... %v", all[:13], all[160:])
	}
	seen := map[string]bool{}
	for _, n := range all {
		if seen[n] {
			t.Errorf("duplicate %s", n)
		}
		seen[n] = true
	}
	for _, n := range SeedFeatureNames() {
		if !seen[n] {
			t.Errorf("seed name %s not among all names", n)
		}
	}
}

func TestPercentileAndClip(t *testing.T) {
	s := []float64{1, 2, 3, 4, 101}
	for _, tc := range []struct{ p, want float64 }{{0, 1}, {25, 2}, {50, 3}, {90, 62.2}, {100, 101}} {
		if got := percentile(s, tc.p); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("percentile %v = %v, want %v", tc.p, got, tc.want)
		}
	}
	rows := []UserFeatures{{Values: []float64{1, math.NaN()}}, {Values: []float64{2, 4}}, {Values: []float64{3, math.NaN()}}, {Values: []float64{4, 6}}, {Values: []float64{101, math.NaN()}}}
	clipColumns(rows, 10)
	fillMissing(rows)
	want := [][]float64{{1.4, 5}, {2, 4.2}, {3, 5}, {4, 5.8}, {62.2, 5}}
	for i, r := range rows {
		for j := range r.Values {
			if math.Abs(r.Values[j]-want[i][j]) > 1e-9 {
				t.Errorf("row %d: %v, want %v", i, r.Values, want[i])
			}
		}
	}
}

// TestFeaturesScenario1 checks that the weeks of a planted scenario-1
// insider show after-hours drive use its earlier weeks lack.
func TestFeaturesScenario1(t *testing.T) {
	dir, rep := generate(t, smallConfig, 1)
	rows, err := Features(dir, FeatureConfig{PerWeek: true})
	if err != nil {
		t.Fatal(err)
	}
	var in Insider
	for _, x := range rep.Insiders {
		if x.Scenario == 1 {
			in = x
		}
	}
	count := column(t, rows, nil, "weekday.device_connect.count.mean")
	end := column(t, rows, nil, "weekday.device_connect.end.max")
	logoff := column(t, rows, nil, "weekday.logoff.end.max")
	var before, during []int
	for i, r := range rows {
		switch {
		case r.User != in.User:
		case r.Insider:
			during = append(during, i)
		case r.Week.AddDate(0, 0, 7).Before(in.Start):
			before = append(before, i)
		}
	}
	if len(before) < 3 || len(during) == 0 {
		t.Fatalf("insider %+v: %d weeks before, %d during", in, len(before), len(during))
	}
	maxOf := func(v []float64, idx []int) float64 {
		m := math.Inf(-1)
		for _, i := range idx {
			m = max(m, v[i])
		}
		return m
	}
	if maxOf(count, before) != 0 || maxOf(count, during) <= 0 {
		t.Errorf("device connects a day: %v before, %v during", maxOf(count, before), maxOf(count, during))
	}
	if e, b := maxOf(end, during), maxOf(end, before); e < 19 || e <= b {
		t.Errorf("last connect of the day: %.2f h during, up to %.2f h before (filled with the mean)", e, b)
	}
	if e, b := maxOf(logoff, during), maxOf(logoff, before); e < 18.5 || e <= b {
		t.Errorf("last logoff of the day: %.2f h during, up to %.2f h before", e, b)
	}

	users, err := Features(dir, FeatureConfig{Ops: SeedOps()})
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string]int{}
	for _, r := range users {
		if r.Insider {
			marked[r.User] = r.Scenario
		}
		if len(r.Values) != 96 {
			t.Fatalf("%d columns", len(r.Values))
		}
	}
	if len(users) < 30 || len(marked) != 3 {
		t.Errorf("%d users, insiders %v", len(users), marked)
	}
	for _, x := range rep.Insiders {
		if marked[x.User] != x.Scenario {
			t.Errorf("insider %s not marked with scenario %d", x.User, x.Scenario)
		}
	}
}
