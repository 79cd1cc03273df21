package cert

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateReadBack(t *testing.T) {
	dir, rep := generate(t, smallConfig, 1)
	for _, k := range Kinds() {
		path := filepath.Join(dir, k.FileName())
		prev := int64(0)
		n := 0
		st, err := ReadEvents(path, k, nil, func(ev Event) error {
			n++
			if ev.Kind != k || ev.User == "" || ev.PC == "" || len(ev.ID) != 24 {
				t.Fatalf("%s:%d: event %+v", path, ev.Line, ev)
			}
			if ev.Time.Unix() < prev {
				t.Fatalf("%s:%d: time %v before the previous row", path, ev.Line, ev.Time)
			}
			prev = ev.Time.Unix()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != rep.Rows[k] || st.Rows != n || st.Events != n || st.TotalSkipped() != 0 {
			t.Errorf("%s: %d events, stats %+v; the generator wrote %d", k, n, st, rep.Rows[k])
		}
		if n == 0 {
			t.Errorf("%s: no rows", k)
		}
	}

	snaps, err := ReadLDAP(filepath.Join(dir, "LDAP"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != rep.LDAPFiles || len(snaps) != 3 {
		t.Fatalf("%d snapshots, the generator wrote %d (want 3 for January to March)", len(snaps), rep.LDAPFiles)
	}
	if len(snaps[0].Employees) != len(rep.Users) {
		t.Errorf("first snapshot: %d employees, want %d", len(snaps[0].Employees), len(rep.Users))
	}
	for i, e := range snaps[0].Employees {
		if e.UserID != rep.Users[i] || e.Email == "" || e.Role == "" || e.Name == "" {
			t.Errorf("employee %d: %+v, want user %s", i, e, rep.Users[i])
		}
	}
	left := Departures(snaps)

	ins, err := ReadInsiders(filepath.Join(dir, "answers", "insiders.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 3 || len(rep.Insiders) != 3 {
		t.Fatalf("insiders %+v, report %+v", ins, rep.Insiders)
	}
	malicious := 0
	for i, in := range ins {
		if in != rep.Insiders[i] || in.Scenario != i+1 || !in.Start.Before(in.End) {
			t.Errorf("insider %d: read %+v, wrote %+v", i, in, rep.Insiders[i])
		}
		if m, ok := left[in.User]; !ok || !m.After(in.End) {
			t.Errorf("insider %s (end %v) does not leave after its end: departure %v", in.User, in.End, m)
		}
		b, err := os.ReadFile(filepath.Join(dir, "answers", "r4.2-"+string(rune('0'+in.Scenario)), in.Details))
		if err != nil {
			t.Fatal(err)
		}
		malicious += strings.Count(string(b), "\n")
	}
	total := 0
	for _, n := range rep.Malicious {
		total += n
	}
	if malicious != total || total == 0 {
		t.Errorf("details files hold %d rows, the report %d", malicious, total)
	}
}

func TestReadQuotedContent(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "file.csv", "id,date,user,pc,filename,content\n"+
		`{A},01/04/2010 10:00:00,AAA0001,PC-0001,a.doc,"words, with commas, and ""quotes"""`+"\n"+
		`{B},01/04/2010 10:01:00,AAA0001,PC-0001,b.doc,"two`+"\nlines, of text\"\n"+
		"{C},1/4/2010 9:02:03,AAA0001,PC-0001,c.doc,unquoted, commas spill, into fields\n"+
		"{D},01/04/2010 10:03:00,AAA0001,PC-0001,d.doc,\n")
	evs, st, err := collect(t, file, KindFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name string
		line int
	}{{"a.doc", 2}, {"b.doc", 3}, {"c.doc", 5}, {"d.doc", 6}}
	if len(evs) != len(want) || st.Events != 4 || st.Rows != 4 {
		t.Fatalf("events %+v stats %+v", evs, st)
	}
	for i, w := range want {
		if evs[i].Filename != w.name || evs[i].Line != w.line || evs[i].User != "AAA0001" || evs[i].PC != "PC-0001" {
			t.Errorf("event %d = %+v, want %s on line %d", i, evs[i], w.name, w.line)
		}
	}
	if h, m, s := evs[2].Time.Clock(); h != 9 || m != 2 || s != 3 {
		t.Errorf("unpadded date read as %v", evs[2].Time)
	}

	email := writeFile(t, dir, "email.csv", "id,date,user,pc,to,cc,bcc,from,size,attachments,content\n"+
		`{E},01/04/2010 11:00:00,AAA0001,PC-0001,b@dtaa.com;c@gmail.com,d@dtaa.com,,a@dtaa.com,20480,2,"hi, there"`+"\n")
	evs, _, err = collect(t, email, KindEmail, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := evs[0]; e.Recipients != 3 || e.External != 1 || e.Size != 20480 || e.Attachments != 2 || e.From != "a@dtaa.com" || e.ID != "{E}" {
		t.Errorf("email %+v", e)
	}

	http := writeFile(t, dir, "http.csv", "id,date,user,pc,url,content\n"+
		`{H},01/04/2010 12:00:00,AAA0001,PC-0001,HTTP://WikiLeaks.org:80/upload/x.html?a=1,"upload, now"`+"\n")
	evs, _, err = collect(t, http, KindHTTP, nil)
	if err != nil {
		t.Fatal(err)
	}
	if evs[0].Domain != "wikileaks.org" {
		t.Errorf("domain %q", evs[0].Domain)
	}
}

// logonWithBadDate has a malformed date on line 3.
const logonWithBadDate = "id,date,user,pc,activity\n" +
	"{1},01/04/2010 08:00:00,AAA0001,PC-1,Logon\n" +
	"{2},13/45/2010 08:00:00,AAA0001,PC-1,Logoff\n" +
	"{3},01/04/2010 17:00:00,AAA0001,PC-1,Logoff\n"

func TestReadMalformedDate(t *testing.T) {
	path := writeFile(t, t.TempDir(), "logon.csv", logonWithBadDate)
	evs, _, err := collect(t, path, KindLogon, nil)
	wantParseError(t, err, path, 3, ReasonDate)
	if !strings.Contains(err.Error(), path+":3:") || len(evs) != 1 {
		t.Errorf("error %q after %d events, want it to name %s:3 after 1", err, len(evs), path)
	}
	evs, st, err := collect(t, path, KindLogon, &Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[1].Line != 4 || st.Skipped[ReasonDate] != 1 || st.Rows != 3 || st.Events != 2 {
		t.Errorf("lenient: events %+v stats %+v", evs, st)
	}
}

func TestReadBadRows(t *testing.T) {
	header := "id,date,user,pc,to,cc,bcc,from,size,attachments,content\n"
	ok := "{1},01/04/2010 08:00:00,AAA0001,PC-1,b@x.com,,,a@x.com,100,0,text\n"
	bad := []struct {
		row    string
		reason Reason
	}{
		{"{2},01/04/2010 08:00:00,AAA0001,PC-1,b@x.com\n", ReasonFields},
		{"{3},01/04/2010 08:00:00,AAA0001,PC-1,b@x.com,,,a@x.com,big,0,text\n", ReasonNumber},
		{"{4},01/04/2010 08:00:00,AAA0001,PC-1,b@x.com,,,a@x.com,100,-1,text\n", ReasonNumber},
		{"{5},01/04/2010 08:00:00, ,PC-1,b@x.com,,,a@x.com,100,0,text\n", ReasonEmpty},
		{"{6},01/04/2010 08:00:00,AAA0001,PC-1,b@x.com,,,a@x.com,100,0,a \"bare\" quote\n", ReasonCSV},
		{"{7},2010-01-04 08:00:00,AAA0001,PC-1,b@x.com,,,a@x.com,100,0,text\n", ReasonDate},
	}
	dir := t.TempDir()
	all := header + ok
	for i, b := range bad {
		path := writeFile(t, dir, "email.csv", header+ok+b.row+ok)
		_, _, err := collect(t, path, KindEmail, nil)
		wantParseError(t, err, path, 3, b.reason)
		if i == 0 {
			continue
		}
		all += b.row + ok
	}
	path := writeFile(t, dir, "email.csv", all+bad[0].row)
	evs, st, err := collect(t, path, KindEmail, &Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(bad) || st.TotalSkipped() != len(bad) || st.Rows != 2*len(bad) {
		t.Fatalf("lenient: %d events, stats %+v", len(evs), st)
	}
	want := map[Reason]int{ReasonFields: 1, ReasonNumber: 2, ReasonEmpty: 1, ReasonCSV: 1, ReasonDate: 1}
	for r, n := range want {
		if st.Skipped[r] != n {
			t.Errorf("skipped %s = %d, want %d (%v)", r, st.Skipped[r], n, st.Skipped)
		}
	}

	// Extra fields are content spilling over only where content is last.
	path = writeFile(t, dir, "logon.csv", "id,date,user,pc,activity\n{1},01/04/2010 08:00:00,AAA0001,PC-1,Logon,extra\n")
	_, _, err = collect(t, path, KindLogon, nil)
	wantParseError(t, err, path, 2, ReasonFields)
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		content string
		line    int
		msg     string
	}{
		{"", 0, "no header"},
		{"id,date,user,activity\n", 1, `no column "pc"`},
		{"id,date,user,pc,url,content\n{1},01/04/2010 08:00:00,A,PC-1,http://a,\"never closed\n" +
			strings.Repeat("x,y,z\n", 2000), 2, "longer than 256 bytes"},
	} {
		path := writeFile(t, dir, "http.csv", tc.content)
		_, _, err := collect(t, path, KindHTTP, &Options{Lenient: true, MaxRowBytes: 256})
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tc.line || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: error %v, want line %d and %q", tc.content[:min(len(tc.content), 30)], err, tc.line, tc.msg)
		}
	}
	if _, _, err := collect(t, filepath.Join(dir, "missing.csv"), KindHTTP, nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	stop := errors.New("stop")
	path := writeFile(t, dir, "logon.csv", logonWithBadDate)
	_, err := ReadEvents(path, KindLogon, nil, func(Event) error { return stop })
	if !errors.Is(err, stop) || !strings.Contains(err.Error(), path+":2") {
		t.Errorf("callback error came back as %v", err)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestReadStreams reads a generated http.csv of about 50,000 rows and
// checks, at every row handed over, that the reader has read no more than
// 8 KiB beyond the end of that row: it streams, holding a bounded window
// whatever the file's size.
func TestReadStreams(t *testing.T) {
	cfg := GenConfig{Users: 30, Days: 60, HTTPPerDay: 46, EmailsPerDay: 1, DeviceUsers: -1, Scenario1: -1, Scenario2: -1, Scenario3: -1}
	dir, rep := generate(t, cfg, 7)
	path := filepath.Join(dir, KindHTTP.FileName())
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lineEnd := []int64{0, 0} // lineEnd[l]: offset just after line l (1-based)
	for i, c := range b {
		if c == '\n' {
			lineEnd = append(lineEnd, int64(i+1))
		}
	}
	b = nil
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := &countingReader{r: f}
	rows, worst := 0, int64(0)
	st, err := ReadEventsFrom(cr, path, KindHTTP, nil, func(ev Event) error {
		rows++
		ahead := cr.n - lineEnd[ev.Line]
		worst = max(worst, ahead)
		if ahead > 8<<10 {
			t.Fatalf("row %d (line %d): %d bytes read beyond it", rows, ev.Line, ahead)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != rep.Rows[KindHTTP] || rows < 45000 || st.Events != rows {
		t.Fatalf("%d rows read, %d written, want about 50,000", rows, rep.Rows[KindHTTP])
	}
	t.Logf("%d rows, %d bytes; at most %d bytes read ahead of the current row", rows, cr.n, worst)
}

func BenchmarkReadEventsHTTP50k(b *testing.B) {
	cfg := GenConfig{Users: 30, Days: 60, HTTPPerDay: 46, EmailsPerDay: 1, DeviceUsers: -1, Scenario1: -1, Scenario2: -1, Scenario3: -1}
	dir, _ := generate(b, cfg, 7)
	path := filepath.Join(dir, KindHTTP.FileName())
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadEvents(path, KindHTTP, nil, func(Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
