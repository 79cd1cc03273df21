package syscalls

import (
	"reflect"
	"testing"
)

// sixCalls reads testdata/six_calls.sc: threads 100 and 101 of process
// 100 calling open read read close write read.
func sixCalls(t *testing.T) []Call {
	t.Helper()
	recs, err := ListLIDDS2021("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ID != "six_calls" || recs[0].Label != Normal {
		t.Fatalf("testdata recordings %+v", recs)
	}
	tr, err := recs[0].Trace(Filter{Dir: DirEnter})
	if err != nil {
		t.Fatal(err)
	}
	return tr.Calls
}

func TestGoldenFeatures(t *testing.T) {
	calls := sixCalls(t)
	v := BuildVocab([]Trace{{Calls: calls}})
	ids := v.EncodeCalls(calls)
	tids := TIDs(calls)
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("keys", v.Keys(), []string{"", "open", "read", "close", "write"})
	check("ids", ids, []int32{1, 2, 2, 3, 4, 2})
	check("count(read)", v.Count(2), 3)
	check("tids", tids, []int32{100, 101, 100, 100, 101, 101})
	check("2-grams per thread", NGrams(ids, tids, 2), [][]int32{{1, 2}, {2, 3}, {2, 4}, {4, 2}})
	check("3-grams per thread", NGrams(ids, tids, 3), [][]int32{{1, 2, 3}, {2, 4, 2}})
	check("3-grams", NGrams(ids, nil, 3), [][]int32{{1, 2, 2}, {2, 2, 3}, {2, 3, 4}, {3, 4, 2}})
	check("7-grams", len(NGrams(ids, nil, 7)), 0)
	check("thread change", ThreadChangeFlags(calls), []uint8{1, 1, 1, 0, 1, 0})
	check("deltas per thread", TimeDeltas(calls, true), []int64{0, 0, 700, 300, 1100, 400})
	check("deltas", TimeDeltas(calls, false), []int64{0, 500, 200, 300, 600, 400})
	check("normalized", Normalize(TimeDeltas(calls, true), MaxOf(TimeDeltas(calls, true))), []float32{0, 0, 700.0 / 1100, 300.0 / 1100, 1, 400.0 / 1100})
	check("arg lengths", ArgLengths(calls), []int32{24, 12, 14, 4, 11, 12})
	var nargs []int16
	for _, c := range calls {
		nargs = append(nargs, c.NArgs)
	}
	check("arg counts", nargs, []int16{2, 2, 2, 1, 2, 2})
	var streams [][]string
	for _, s := range ThreadStreams(calls) {
		streams = append(streams, Trace{Calls: s}.Keys())
	}
	check("thread streams", streams, [][]string{{"open", "read", "close"}, {"read", "write", "read"}})
	check("unknown", v.EncodeCalls([]Call{{Name: "execve"}, {Name: "read"}}), []int32{Unknown, 2})
	check("bad n", NGrams(ids, tids, 0) == nil && NGrams(ids, tids[:2], 2) == nil, true)
}

func TestVocabNumbers(t *testing.T) {
	tr := Trace{Nums: []int32{6, 6, 63, 5}}
	v := BuildVocab([]Trace{tr})
	if got := v.Encode(tr); !reflect.DeepEqual(got, []int32{1, 1, 2, 3}) {
		t.Errorf("Encode = %v", got)
	}
	if got := v.Encode(Trace{Nums: []int32{5, 7}}); !reflect.DeepEqual(got, []int32{3, Unknown}) {
		t.Errorf("Encode unseen = %v", got)
	}
	if v.Len() != 4 || v.Key(2) != "63" || v.Key(0) != "" || v.Key(9) != "" || v.ID("7") != Unknown {
		t.Errorf("vocab %v", v.Keys())
	}
	calls := tr.Events()
	if calls[2].Num != 63 || calls[2].Key() != "63" || !reflect.DeepEqual(Trace{Calls: calls}.Syscalls(), tr.Nums) {
		t.Errorf("Events %+v", calls)
	}
}

func TestFilterDirection(t *testing.T) {
	calls := []Call{{Name: "a", Dir: DirEnter}, {Name: "a", Dir: DirExit}, {Name: "b", Dir: DirNone}, {Name: "c", Dir: DirExit}}
	keys := func(cs []Call) []string { return Trace{Calls: cs}.Keys() }
	if got := keys(FilterDirection(calls, DirEnter)); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("enter: %v", got)
	}
	if got := keys(FilterDirection(calls, DirExit)); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("exit: %v", got)
	}
	if got := FilterDirection(calls, DirNone); len(got) != 4 {
		t.Errorf("none: %v", got)
	}
}

func TestReturnValues(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"r.json": metaJSON(false, ""),
		"r.sc": "1 0 1 p 1 read < res=4096 data=abc\n" +
			"2 0 1 p 1 read < res=-11(EAGAIN)\n" +
			"3 0 1 p 1 write < res=100\n" +
			"4 0 1 p 1 fcntl < res=2(<f>/var/log/apache2/error.log)\n" +
			"5 0 1 p 1 open < fd=3(<f>/x) name=/x\n" +
			"6 0 1 p 1 read < res=1024\n" +
			"7 0 1 p 1 recvfrom < res=77 tuple=NULL\n" +
			"8 0 1 p 1 read > fd=3 size=10\n",
	})
	recs, err := ListLIDDS2021(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := recs[0].Trace(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var rv ReturnValues
	rv.Fit(tr.Calls[:4])
	if rv.Max[RetRead] != 4096 || rv.Max[RetWrite] != 100 || rv.Max[RetRecvSocket] != 0 {
		t.Errorf("maxima %v", rv.Max)
	}
	got := rv.Values(tr.Calls)
	want := []float32{1, -1, 1, 0, 0, 0.25, 0, 0}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("values %v, want %v", got, want)
	}
	if ReturnCategory("sendmsg") != RetSendSocket || ReturnCategory("getdents") != RetGetDents || ReturnCategory("open") != RetNone {
		t.Error("categories")
	}
}

func TestNextCallWindows(t *testing.T) {
	seqs := [][]int32{{1, 2, 3, 4, 5, 6}, {7, 8}, {9, 10, 11}}
	w, err := MakeNextCallWindows(seqs, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if w.N() != 3 || !reflect.DeepEqual(w.Inputs, []int32{1, 2, 3, 4, 9, 10}) || !reflect.DeepEqual(w.Targets, []int32{3, 5, 11}) || !reflect.DeepEqual(w.Source, []int32{0, 0, 2}) {
		t.Errorf("windows %+v", w)
	}
	if !reflect.DeepEqual(w.Input(1), []int32{3, 4}) {
		t.Errorf("Input(1) = %v", w.Input(1))
	}
	for _, tc := range []struct{ n, l, s, want int }{{6, 2, 2, 2}, {6, 2, 1, 4}, {6, 5, 1, 1}, {6, 6, 1, 0}, {3, 2, 5, 1}, {5, 0, 1, 0}} {
		if got := NextCallWindowCount(tc.n, tc.l, tc.s); got != tc.want {
			t.Errorf("NextCallWindowCount(%d, %d, %d) = %d, want %d", tc.n, tc.l, tc.s, got, tc.want)
		}
	}
	if _, err := MakeNextCallWindows(seqs, 0, 1); err == nil {
		t.Error("zero length accepted")
	}
}
