package syscalls

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// The tests below read the public datasets kept beside the repository
// (see realData) and are skipped when they are absent.

func TestRealADFA(t *testing.T) {
	root := realData(t, "adfa-ld")
	counts := map[Split]int{}
	fams := map[string]int{}
	var lens []int
	maxNum := int32(0)
	for tr, err := range ReadADFA(root) {
		if err != nil {
			t.Fatal(err)
		}
		counts[tr.Split]++
		if tr.Label == Attack {
			fams[tr.Family]++
		}
		lens = append(lens, tr.Len())
		maxNum = max(maxNum, slices.Max(tr.Nums))
	}
	if counts[SplitTrain] != 833 || counts[SplitValidation] != 4372 || counts[SplitTest] != 746 {
		t.Errorf("split counts %v, want 833/4372/746", counts)
	}
	want := map[string]int{"Adduser": 91, "Hydra_FTP": 162, "Hydra_SSH": 176, "Java_Meterpreter": 124, "Meterpreter": 75, "Web_Shell": 118}
	if len(fams) != 6 {
		t.Errorf("families %v", fams)
	}
	for f, n := range want {
		if fams[f] != n {
			t.Errorf("family %s: %d traces, want %d", f, fams[f], n)
		}
	}
	if maxNum > 340 {
		t.Errorf("largest syscall number %d, want at most 340", maxNum)
	}
	slices.Sort(lens)
	total := 0
	for _, n := range lens {
		total += n
	}
	t.Logf("ADFA-LD: %v traces, families %v; length min %d median %d mean %.1f max %d; %d calls; largest number %d",
		counts, fams, lens[0], lens[len(lens)/2], float64(total)/float64(len(lens)), lens[len(lens)-1], total, maxNum)
}

func TestRealLIDDS2021(t *testing.T) {
	dir := filepath.Join(realData(t, "lid-ds"), "lid-ds-2021", "Bruteforce_CWE-307")
	recs, err := ListLIDDS2021(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d recordings", len(recs))
	}
	r := recs[0]
	if r.Label != Attack || r.Family != "Bruteforce_CWE-307" || r.ExploitStart != 1631078877513988000 || r.Image != "victim_bruteforce" {
		t.Errorf("recording %+v", r)
	}
	tr, err := r.Trace(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	enter := FilterDirection(tr.Calls, DirEnter)
	threads := len(ThreadStreams(tr.Calls))
	names := map[string]bool{}
	withRet := 0
	for _, c := range tr.Calls {
		names[c.Name] = true
		if c.HasRet {
			withRet++
		}
	}
	after := tr.AfterExploit()
	if len(tr.Calls) != 23468 || after != 17255 {
		t.Errorf("%d events, %d after the exploit start; want 23468 and 17255", len(tr.Calls), after)
	}
	v := BuildVocab([]Trace{{Calls: enter}})
	ids := v.EncodeCalls(enter)
	grams := NGrams(ids, TIDs(enter), 7)
	enterAfter := Trace{Calls: enter, ExploitStart: tr.ExploitStart}.AfterExploit()
	zdir := filepath.Join(t.TempDir(), "Bruteforce_CWE-307", "test", "normal_and_attack")
	files := map[string]string{}
	for _, ext := range []string{".sc", ".json"} {
		b, err := os.ReadFile(filepath.Join(dir, r.Name+ext))
		if err != nil {
			t.Fatal(err)
		}
		files[r.Name+ext] = string(b)
	}
	writeZip(t, filepath.Join(zdir, r.Name+".zip"), files)
	zt, err := collect(ReadLIDDS2021(filepath.Dir(filepath.Dir(zdir)), Filter{Dir: DirEnter}))
	if err != nil || len(zt) != 1 || !reflect.DeepEqual(zt[0].Calls, enter) || zt[0].Split != SplitTest || zt[0].ExploitStart != r.ExploitStart {
		t.Errorf("zipped copy: %v, %d traces", err, len(zt))
	}
	t.Logf("LID-DS 2021 %s: %d events, %d entries, %d threads, %d syscall names, %d with a return value, %d events (%d entries) after the exploit start, %d thread-aware 7-grams of entries",
		r.ID, len(tr.Calls), len(enter), threads, len(names), withRet, after, enterAfter, len(grams))
}

func TestRealLIDDS2019Excerpts(t *testing.T) {
	dir := filepath.Join(realData(t, "lid-ds"), "lid-ds-2019-excerpts")
	for _, name := range []string{"mock_run.txt", "mock_run_2.txt", "enough_greider_9103.txt"} {
		tr, err := OpenLIDDS2019Trace(filepath.Join(dir, name)).Trace(Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Calls) == 0 {
			t.Errorf("%s: no calls", name)
		}
		t.Logf("%s: %d events, %d threads", name, len(tr.Calls), len(ThreadStreams(tr.Calls)))
	}
}
