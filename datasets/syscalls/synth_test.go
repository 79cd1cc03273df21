package syscalls

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func newRNG(a, b uint64) *rand.Rand { return rand.New(rand.NewPCG(a, b)) }

func fmtInts(n []int32) string { return strings.Trim(fmt.Sprint(n), "[]") }

var smallSynth = SyntheticConfig{Train: 20, Validation: 5, TestNormal: 10, TestAttack: 15, MinCalls: 80, MaxCalls: 160}

func TestSyntheticDeterministic(t *testing.T) {
	a := Synthetic(smallSynth, newRNG(3, 4))
	b := Synthetic(smallSynth, newRNG(3, 4))
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different traces")
	}
	c := Synthetic(smallSynth, newRNG(3, 5))
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same traces")
	}
}

func TestSyntheticSpecsKnown(t *testing.T) {
	for _, p := range buildPrograms() {
		for _, r := range append([]routine{{steps: p.start}}, p.routines...) {
			for _, s := range r.steps {
				if s.num < 0 {
					t.Errorf("program %s: syscall %q has no number", p.name, s.name)
				}
			}
		}
	}
	normal := map[string]bool{}
	for _, p := range buildPrograms() {
		for _, r := range append([]routine{{steps: p.start}}, p.routines...) {
			for _, s := range r.steps {
				normal[s.name] = true
			}
		}
	}
	for _, f := range SyntheticFamilies() {
		own := false
		for _, name := range SyntheticPattern(f) {
			if _, ok := x86Numbers[name]; !ok {
				t.Errorf("family %s: syscall %q has no number", f, name)
			}
			own = own || !normal[name]
		}
		if !own {
			t.Errorf("family %s: every call of its pattern is also normal", f)
		}
	}
}

// containsRun reports whether seq holds pat contiguously.
func containsRun(seq, pat []string) bool {
	for i := 0; i+len(pat) <= len(seq); i++ {
		if slices.Equal(seq[i:i+len(pat)], pat) {
			return true
		}
	}
	return false
}

func TestSyntheticLabels(t *testing.T) {
	for _, exits := range []bool{false, true} {
		cfg := smallSynth
		cfg.Exits = exits
		traces := Synthetic(cfg, newRNG(7, 8))
		c := cfg.Resolved()
		if len(traces) != c.Train+c.Validation+c.TestNormal+c.TestAttack {
			t.Fatalf("got %d traces", len(traces))
		}
		counts := map[Split]int{}
		famCount := map[string]int{}
		for i, tr := range traces {
			counts[tr.Split]++
			wantAttack := i >= c.Train+c.Validation+c.TestNormal
			if (tr.Label == Attack) != wantAttack || (tr.Family != "") != wantAttack {
				t.Fatalf("%s: label %v family %q", tr.ID, tr.Label, tr.Family)
			}
			enter := FilterDirection(tr.Calls, DirEnter)
			if exits && len(enter)*2 != len(tr.Calls) {
				t.Errorf("%s: %d calls, %d entries", tr.ID, len(tr.Calls), len(enter))
			}
			if !slices.IsSortedFunc(tr.Calls, func(a, b Call) int { return int(a.Time - b.Time) }) {
				t.Errorf("%s: calls not in time order", tr.ID)
			}
			n := len(enter)
			if tr.Label == Normal && (n < c.MinCalls-10 || n > c.MaxCalls+10) {
				t.Errorf("%s: %d calls outside [%d, %d]", tr.ID, n, c.MinCalls, c.MaxCalls)
			}
			found := false
			for _, s := range ThreadStreams(enter) {
				keys := Trace{Calls: s}.Keys()
				for _, f := range SyntheticFamilies() {
					if containsRun(keys, SyntheticPattern(f)) {
						if f != tr.Family {
							t.Errorf("%s (%q) holds the pattern of %s", tr.ID, tr.Family, f)
						}
						found = true
					}
				}
			}
			if found != wantAttack {
				t.Errorf("%s: pattern found %v, attack %v", tr.ID, found, wantAttack)
			}
			if wantAttack {
				famCount[tr.Family]++
				if tr.ExploitStart == 0 || tr.AfterExploit() < len(SyntheticPattern(tr.Family)) {
					t.Errorf("%s: exploit start %d, %d calls after", tr.ID, tr.ExploitStart, tr.AfterExploit())
				}
				first := -1
				for j, cl := range tr.Calls {
					if cl.Time == tr.ExploitStart {
						first = j
						break
					}
				}
				if first < 0 || tr.Calls[first].Name != SyntheticPattern(tr.Family)[0] {
					t.Errorf("%s: no pattern call at the exploit start", tr.ID)
				}
			} else if tr.ExploitStart != 0 {
				t.Errorf("%s: normal trace with exploit start", tr.ID)
			}
		}
		if counts[SplitTrain] != c.Train || counts[SplitValidation] != c.Validation || counts[SplitTest] != c.TestNormal+c.TestAttack {
			t.Errorf("split counts %v", counts)
		}
		for _, f := range SyntheticFamilies() {
			if famCount[f] != 3 {
				t.Errorf("family %s: %d traces, want 3", f, famCount[f])
			}
		}
	}
}

func TestSyntheticThreadsAndProcesses(t *testing.T) {
	traces := Synthetic(SyntheticConfig{Train: 50, Validation: -1, TestNormal: -1, TestAttack: -1}, newRNG(1, 2))
	if len(traces) != 50 {
		t.Fatalf("got %d traces", len(traces))
	}
	multi, interleaved := 0, 0
	procs := map[string]bool{}
	for _, tr := range traces {
		if len(ThreadStreams(tr.Calls)) > 1 {
			multi++
		}
		flags := ThreadChangeFlags(tr.Calls)
		if slices.Index(flags[1:], 1) >= 0 {
			interleaved++
		}
		for _, c := range tr.Calls {
			procs[c.Process] = true
			if c.Num < 0 || c.Name == "" || c.TID < c.PID {
				t.Fatalf("%s: bad call %+v", tr.ID, c)
			}
		}
	}
	if multi < 30 || interleaved < 30 {
		t.Errorf("%d multi-thread and %d interleaved traces of 50", multi, interleaved)
	}
	if len(procs) != len(SyntheticPrograms()) {
		t.Errorf("programs seen %v", procs)
	}
}
