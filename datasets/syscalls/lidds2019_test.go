package syscalls

import (
	"path/filepath"
	"testing"
)

const runsHeader = "image_name, scenario_name, is_executing_exploit, warmup_time, recording_time, exploit_start_time\n"

// trace2019 is a hand-written LID-DS 2019 trace crossing midnight.
const trace2019 = "1 23:59:59.900000000 6 999 mysqld 22467 > futex addr=34C85C8 op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=1\n" +
	"2 23:59:59.900000100 6 999 mysqld 22467 < futex res=0\n" +
	"3 23:59:59.950000000 2 999 mysqld 22391 > switch next=0(<NA>) pgft_maj=0\n" +
	"4 00:00:00.000000500 2 999 mysqld 22391 < select res=-110(ETIMEDOUT)\n" +
	"5 00:00:01.5 0 101 nginx worker 956 > accept flags=0\n"

func TestParse2019(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "CVE-2012-2122")
	writeFiles(t, dir, map[string]string{"a.txt": trace2019})
	r := OpenLIDDS2019Trace(filepath.Join(dir, "a.txt"))
	tr, err := r.Trace(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	const day = int64(86400e9)
	want := []Call{
		{Time: day - 100_000_000, Name: "futex", Process: "mysqld", Num: -1, TID: 22467, UID: 999, CPU: 6, Dir: DirEnter, ArgLen: 56, NArgs: 3},
		{Time: day - 99_999_900, Name: "futex", Process: "mysqld", Num: -1, TID: 22467, UID: 999, CPU: 6, Dir: DirExit, HasRet: true, ArgLen: 5, NArgs: 1},
		{Time: day - 50_000_000, Name: "switch", Process: "mysqld", Num: -1, TID: 22391, UID: 999, CPU: 2, Dir: DirEnter, ArgLen: 23, NArgs: 2},
		{Time: day + 500, Name: "select", Process: "mysqld", Num: -1, TID: 22391, UID: 999, CPU: 2, Dir: DirExit, HasRet: true, Ret: -110, ArgLen: 19, NArgs: 1},
		{Time: day + 1_500_000_000, Name: "accept", Process: "nginx worker", Num: -1, TID: 956, UID: 101, Dir: DirEnter, ArgLen: 7, NArgs: 1},
	}
	if len(tr.Calls) != len(want) {
		t.Fatalf("got %d calls", len(tr.Calls))
	}
	for i := range want {
		if tr.Calls[i] != want[i] {
			t.Errorf("call %d:\n got %+v\nwant %+v", i, tr.Calls[i], want[i])
		}
	}
	f, err := r.Trace(Filter{Dir: DirEnter, DropSwitch: true})
	if err != nil || len(f.Calls) != 2 || f.Calls[0].Name != "futex" || f.Calls[1].Name != "accept" {
		t.Errorf("filtered: %v %+v", err, f.Calls)
	}
}

func TestListLIDDS2019(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "CVE-2012-2122")
	files := map[string]string{LIDDS2019RunsFile: runsHeader +
		"mysql:5.5.23, n1, False, 10, 30, -1\n" +
		"mysql:5.5.23, x1, True, 10, 30, 12\n" +
		"mysql:5.5.23, n2, false, 10, 30, 0\n" +
		"mysql:5.5.23, n3, 0, 10, 30, -1\n" +
		"mysql:5.5.23, n4, no, 10, 30, -1\n"}
	for _, n := range []string{"n1", "x1", "n2", "n3", "n4"} {
		files[n+".txt"] = "1 10:00:00.000000000 0 0 bash 7 > read fd=0\n2 10:00:05.000000000 0 0 bash 7 > write fd=1\n3 10:00:13.000000000 0 0 bash 7 > execve\n"
	}
	writeFiles(t, dir, files)
	recs, err := ListLIDDS2019(dir, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id     string
		label  Label
		split  Split
		family string
	}{{"n1", Normal, SplitTrain, ""}, {"x1", Attack, SplitTest, "CVE-2012-2122"}, {"n2", Normal, SplitTrain, ""}, {"n3", Normal, SplitValidation, ""}, {"n4", Normal, SplitTest, ""}}
	if len(recs) != len(want) {
		t.Fatalf("got %d recordings", len(recs))
	}
	for i, w := range want {
		r := recs[i]
		if r.ID != w.id || r.Label != w.label || r.Split != w.split || r.Family != w.family || r.Image != "mysql:5.5.23" {
			t.Errorf("recording %d: %+v, want %+v", i, r, w)
		}
	}
	traces, err := collect(ReadLIDDS2019(dir, LIDDS2019TrainSize, LIDDS2019ValidationSize, Filter{}))
	if err != nil {
		t.Fatal(err)
	}
	x := traces[1]
	if x.ExploitStart != 36012e9 || x.AfterExploit() != 1 || traces[0].ExploitStart != 0 {
		t.Errorf("exploit start %d (%d calls after), normal %d", x.ExploitStart, x.AfterExploit(), traces[0].ExploitStart)
	}
	for _, tr := range traces {
		if (tr.Split == SplitTest) != (tr.Label == Attack) {
			t.Errorf("%s: split %q with the default sizes", tr.ID, tr.Split)
		}
	}
}

func TestLIDDS2019Errors(t *testing.T) {
	okTrace := "1 10:00:00.000000000 0 0 bash 7 > read fd=0\n"
	tests := []struct {
		name  string
		runs  string
		trace string
		file  string
		line  int
		msg   string
	}{
		{"bad header", "image, scenario\n", okTrace, "runs.csv", 1, "header"},
		{"missing field", runsHeader + "img, a, False, 10, 30\n", okTrace, "runs.csv", 2, "5 fields"},
		{"bad flag", runsHeader + "img, a, maybe, 10, 30, 0\n", okTrace, "runs.csv", 2, "is_executing_exploit"},
		{"bad warmup", runsHeader + "img, a, False, ten, 30, 0\n", okTrace, "runs.csv", 2, "warmup_time"},
		{"bad exploit time", runsHeader + "img, a, True, 10, 30, soon\n", okTrace, "runs.csv", 2, "exploit_start_time"},
		{"missing trace", runsHeader + "img, a, False, 10, 30, 0\nimg, b, False, 10, 30, 0\n", okTrace, "runs.csv", 3, "no recording file b.txt"},
		{"bad quote", runsHeader + "img, \"a, False, 10, 30, 0\n", okTrace, "runs.csv", 2, ""},
		{"bad time", runsHeader + "img, a, False, 10, 30, 0\n", okTrace + "2 10:00:0x.0 0 0 bash 7 > read\n", "a.txt", 2, `time "10:00:0x.0"`},
		{"bad cpu", runsHeader + "img, a, False, 10, 30, 0\n", "1 10:00:00.0 c 0 bash 7 > read\n", "a.txt", 1, `cpu "c"`},
		{"bad event number", runsHeader + "img, a, False, 10, 30, 0\n", "one 10:00:00.0 0 0 bash 7 > read\n", "a.txt", 1, "event number"},
		{"missing name", runsHeader + "img, a, False, 10, 30, 0\n", okTrace + okTrace + "3 10:00:00.0 0 0 bash 7 >\n", "a.txt", 3, "missing syscall name"},
		{"truncated", runsHeader + "img, a, False, 10, 30, 0\n", okTrace + "2 10:00:00.0 0 0 ba", "a.txt", 2, "truncated line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{LIDDS2019RunsFile: tc.runs, "a.txt": tc.trace})
			_, err := collect(ReadLIDDS2019(dir, 1, 0, Filter{}))
			wantParseErr(t, err, tc.file, tc.line, tc.msg)
		})
	}
}
