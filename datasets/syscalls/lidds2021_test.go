package syscalls

import (
	"path/filepath"
	"reflect"
	"testing"
)

const meta = `{"container": [{"role": "normal"}], "exploit": %s, "image": "victim_x", "time": {"exploit": [%s]}}`

func metaJSON(exploit bool, at string) string {
	e, x := "false", ""
	if exploit {
		e = "true"
		if at != "" {
			x = `{"absolute": ` + at + `, "name": "attack"}`
		}
	}
	return sprintf(meta, e, x)
}

const scLines = "1631078867380457267 0 2902771 apache2 2902771 select < res=0 \n" +
	"1631078867380460410 0 2902771 apache2 2902771 wait4 > \n" +
	"1631078867467701544 33 2902774 apache2 2902774 accept < fd=12(<4t>192.168.240.3:50140->192.168.240.21:443) tuple=x queuepct=0\n" +
	"1631078867467779939 33 2902774 apache2 2902774 read < res=512 data=Fft LT3 \n" +
	"1631078877513988000 33 2902775 Web Content 2902780 setuid > uid=0\n" +
	"1631078877513988001 33 2902775 Web Content 2902780 setuid < res=-1(EPERM)\n" +
	"1631078877600000000 0 2902771 apache2 2902771 mmap < res=7F5246360000 vm_size=112448\n"

func TestParse2021Fields(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"rec.sc": scLines, "rec.json": metaJSON(true, "1631078877.513988")})
	recs, err := ListLIDDS2021(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d recordings", len(recs))
	}
	r := recs[0]
	if r.ID != "rec" || r.Label != Attack || r.Family != filepath.Base(dir) || r.Split != SplitNone || r.Image != "victim_x" || r.ExploitStart != 1631078877513988000 {
		t.Fatalf("recording %+v", r)
	}
	tr, err := r.Trace(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Call{
		{Time: 1631078867380457267, Name: "select", Process: "apache2", Num: -1, TID: 2902771, PID: 2902771, Dir: DirExit, HasRet: true, ArgLen: 5, NArgs: 1},
		{Time: 1631078867380460410, Name: "wait4", Process: "apache2", Num: -1, TID: 2902771, PID: 2902771, Dir: DirEnter},
		{Time: 1631078867467701544, Name: "accept", Process: "apache2", Num: -1, TID: 2902774, PID: 2902774, UID: 33, Dir: DirExit, ArgLen: 69, NArgs: 3},
		{Time: 1631078867467779939, Ret: 512, Name: "read", Process: "apache2", Num: -1, TID: 2902774, PID: 2902774, UID: 33, Dir: DirExit, HasRet: true, ArgLen: 20, NArgs: 2},
		{Time: 1631078877513988000, Name: "setuid", Process: "Web Content", Num: -1, TID: 2902780, PID: 2902775, UID: 33, Dir: DirEnter, ArgLen: 5, NArgs: 1},
		{Time: 1631078877513988001, Ret: -1, Name: "setuid", Process: "Web Content", Num: -1, TID: 2902780, PID: 2902775, UID: 33, Dir: DirExit, HasRet: true, ArgLen: 13, NArgs: 1},
		{Time: 1631078877600000000, Ret: 0x7F5246360000, Name: "mmap", Process: "apache2", Num: -1, TID: 2902771, PID: 2902771, Dir: DirExit, HasRet: true, ArgLen: 31, NArgs: 2},
	}
	if len(tr.Calls) != len(want) {
		t.Fatalf("got %d calls", len(tr.Calls))
	}
	for i := range want {
		if !reflect.DeepEqual(tr.Calls[i], want[i]) {
			t.Errorf("call %d:\n got %+v\nwant %+v", i, tr.Calls[i], want[i])
		}
	}
	if n := tr.AfterExploit(); n != 3 {
		t.Errorf("AfterExploit = %d, want 3", n)
	}
	enter, err := r.Trace(Filter{Dir: DirEnter})
	if err != nil || len(enter.Calls) != 2 || enter.Calls[1].Name != "setuid" {
		t.Errorf("enter filter: %v %+v", err, enter.Calls)
	}
}

func TestListLIDDS2021Scenario(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "CVE-2017-7529")
	line := "1000 0 1 nginx 1 read > fd=3\n"
	writeZip(t, filepath.Join(dir, "training", "b_2.zip"), map[string]string{"b_2.sc": line + line, "b_2.json": metaJSON(false, ""), "b_2.res": "x"})
	writeZip(t, filepath.Join(dir, "training", "a_1.zip"), map[string]string{"a_1/a_1.sc": line, "a_1/a_1.json": metaJSON(false, "")})
	writeZip(t, filepath.Join(dir, "validation", "c_3.zip"), map[string]string{"c_3.sc": line, "c_3.json": metaJSON(false, "")})
	writeZip(t, filepath.Join(dir, "test", "normal_and_attack", "d_4.zip"), map[string]string{"d_4.sc": line + line + line, "d_4.json": metaJSON(true, "0.000001")})
	writeFiles(t, dir, map[string]string{
		"test/normal/e_5.sc":              line,
		"test/normal/e_5.json":            metaJSON(false, ""),
		"test/normal/e_5.res":             "",
		"training/distinct_syscalls.json": `{"distinct_syscalls": 3}`,
	})
	recs, err := ListLIDDS2021(dir)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id     string
		label  Label
		family string
		split  Split
		start  int64
		n      int
	}
	want := []row{
		{"training/a_1", Normal, "", SplitTrain, 0, 1},
		{"training/b_2", Normal, "", SplitTrain, 0, 2},
		{"validation/c_3", Normal, "", SplitValidation, 0, 1},
		{"test/normal/e_5", Normal, "", SplitTest, 0, 1},
		{"test/normal_and_attack/d_4", Attack, "CVE-2017-7529", SplitTest, 1000, 3},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d recordings: %+v", len(recs), recs)
	}
	for i, w := range want {
		n := 0
		for _, err := range recs[i].Calls(Filter{}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		g := row{recs[i].ID, recs[i].Label, recs[i].Family, recs[i].Split, recs[i].ExploitStart, n}
		if g != w {
			t.Errorf("recording %d: got %+v, want %+v", i, g, w)
		}
	}
	traces, err := collect(ReadLIDDS2021(dir, Filter{}))
	if err != nil || len(traces) != 5 || traces[4].ExploitStart != 1000 || len(traces[4].Calls) != 3 {
		t.Errorf("ReadLIDDS2021: %v, %d traces", err, len(traces))
	}
}

func TestLIDDS2021Errors(t *testing.T) {
	good := "1000 0 1 nginx 1 read > fd=3\n"
	tests := []struct {
		name  string
		files map[string]string
		zip   map[string]string // contents of r.zip
		file  string
		line  int
		msg   string
	}{
		{"bad timestamp", map[string]string{"r.sc": good + "10x0 0 1 nginx 1 read > fd=3\n", "r.json": metaJSON(false, "")}, nil, "r.sc", 2, `timestamp "10x0"`},
		{"bad thread id", map[string]string{"r.sc": good + good + "1000 0 1 nginx t1 read >\n", "r.json": metaJSON(false, "")}, nil, "r.sc", 3, `thread id "t1"`},
		{"bad pid", map[string]string{"r.sc": "1000 0 -1 nginx 1 read >\n", "r.json": metaJSON(false, "")}, nil, "r.sc", 1, `process id "-1"`},
		{"bad uid", map[string]string{"r.sc": "1000 root 1 nginx 1 read >\n", "r.json": metaJSON(false, "")}, nil, "r.sc", 1, `user id "root"`},
		{"truncated line", map[string]string{"r.sc": good + "1000 0 1 nginx 1 rea", "r.json": metaJSON(false, "")}, nil, "r.sc", 2, "truncated line"},
		{"missing fields", map[string]string{"r.sc": "1000 0 1 read >\n", "r.json": metaJSON(false, "")}, nil, "r.sc", 1, "truncated line"},
		{"empty line", map[string]string{"r.sc": good + "\n" + good, "r.json": metaJSON(false, "")}, nil, "r.sc", 2, "empty line"},
		{"zipped bad line", nil, map[string]string{"r.sc": good + good + "1000 0 1 nginx 1 read ?\n", "r.json": metaJSON(false, "")}, "r.zip/r.sc", 3, "truncated line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			if tc.zip != nil {
				writeZip(t, filepath.Join(dir, "r.zip"), tc.zip)
			}
			traces, err := collect(ReadLIDDS2021(dir, Filter{}))
			wantParseErr(t, err, tc.file, tc.line, tc.msg)
			if len(traces) != 0 {
				t.Errorf("got %d traces before the error", len(traces))
			}
		})
	}
}

func TestListLIDDS2021MetadataErrors(t *testing.T) {
	sc := "1000 0 1 nginx 1 read > fd=3\n"
	tests := []struct {
		name  string
		files map[string]string
		zip   map[string]string
		file  string
		line  int
		msg   string
	}{
		{"bad JSON", map[string]string{"r.sc": sc, "r.json": "{\n  \"exploit\": true,\n  \"image\": oops\n}"}, nil, "r.json", 3, "bad JSON"},
		{"wrong type", map[string]string{"r.sc": sc, "r.json": "{\n\"exploit\": \"yes\"}"}, nil, "r.json", 2, "bad JSON"},
		{"no exploit flag", map[string]string{"r.sc": sc, "r.json": `{"image": "x"}`}, nil, "r.json", 0, `"exploit"`},
		{"bad exploit time", map[string]string{"r.sc": sc, "r.json": metaJSON(true, "-5")}, nil, "r.json", 0, "time.exploit[0].absolute"},
		{"sc without json", map[string]string{"r.sc": sc}, nil, "r.sc", 0, "no r.json"},
		{"zip without sc", nil, map[string]string{"r.json": metaJSON(false, ""), "r.res": ""}, "r.zip", 0, "zip holds no r.sc"},
		{"zip without json", nil, map[string]string{"r.sc": sc}, "r.zip", 0, "zip holds no r.json"},
		{"zip bad JSON", nil, map[string]string{"r.sc": sc, "r.json": "{\"exploit\": tru}"}, "r.zip/r.json", 1, "bad JSON"},
		{"not a zip", map[string]string{"r.zip": "plain text"}, nil, "r.zip", 0, "zip"},
		{"zipped and loose", map[string]string{"r.sc": sc, "r.json": metaJSON(false, "")}, map[string]string{"r.sc": sc, "r.json": metaJSON(false, "")}, "r.zip", 0, "both"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			if tc.zip != nil {
				writeZip(t, filepath.Join(dir, "r.zip"), tc.zip)
			}
			_, err := ListLIDDS2021(dir)
			wantParseErr(t, err, tc.file, tc.line, tc.msg)
		})
	}
}

func TestSecondsToNs(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1631078877.513988", 1631078877513988000, true},
		{"1631078877", 1631078877000000000, true},
		{"0.0000000019", 1, true},
		{"1.5e3", 0, false},
		{"-1.0", 0, false},
		{"1.x", 0, false},
	}
	for _, tc := range tests {
		got, ok := secondsToNs(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("secondsToNs(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
