package baseline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Normal trace 1 2 3 4 1 2 3 5 with N = 3 gives the windows 123, 234, 341,
// 412, 123, 235: five distinct. The test trace 1 2 3 5 1 2 4 1 2 3 has
// windows 123 235 351 512 124 241 412 123, mismatching at windows 2..5.
func TestSTIDEHandComputed(t *testing.T) {
	m, err := STIDE{N: 3, Frame: 3}.Fit([][]int32{{1, 2, 3, 4, 1, 2, 3, 5}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Size() != 5 || m.N() != 3 || m.Frame() != 3 {
		t.Fatalf("Size %d N %d Frame %d, want 5 3 3", m.Size(), m.N(), m.Frame())
	}
	test := []int32{1, 2, 3, 5, 1, 2, 4, 1, 2, 3}
	wantFlags := []bool{false, false, true, true, true, true, false, false}
	if got := m.Mismatches(test); !slices.Equal(got, wantFlags) {
		t.Errorf("Mismatches = %v, want %v", got, wantFlags)
	}
	if got, want := m.LFC(test), []int{0, 0, 1, 2, 3, 3, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("LFC = %v, want %v", got, want)
	}
	if got := m.Score(test); got != 1 {
		t.Errorf("Score = %v, want 1", got)
	}
	wantCalls := []float64{0, 0, 0, 0, 1.0 / 3, 2.0 / 3, 1, 1, 2.0 / 3, 1.0 / 3}
	if got := m.CallScores(test); !slices.Equal(got, wantCalls) {
		t.Errorf("CallScores = %v, want %v", got, wantCalls)
	}

	// Frame 4: the frame ending at window 5 holds all four mismatches; with
	// the default frame of 20 the score is 4/20.
	m4, _ := STIDE{N: 3, Frame: 4}.Fit([][]int32{{1, 2, 3, 4, 1, 2, 3, 5}})
	if got, want := m4.LFC(test), []int{0, 0, 1, 2, 3, 4, 3, 2}; !slices.Equal(got, want) {
		t.Errorf("frame 4 LFC = %v, want %v", got, want)
	}
	m20, _ := STIDE{N: 3}.Fit([][]int32{{1, 2, 3, 4, 1, 2, 3, 5}})
	if got := m20.Score(test); got != 0.2 {
		t.Errorf("frame 20 Score = %v, want 0.2", got)
	}
	// A leading mismatch leaves the frame after Frame windows.
	if got, want := m.LFC([]int32{5, 1, 2, 3, 4, 1, 2, 3, 4}), []int{1, 1, 1, 0, 0, 0, 0}; !slices.Equal(got, want) {
		t.Errorf("leading mismatch LFC = %v, want %v", got, want)
	}
	// A normal trace scores 0.
	if got := m.Score([]int32{4, 1, 2, 3, 4}); got != 0 {
		t.Errorf("normal Score = %v, want 0", got)
	}
}

func TestSTIDEUnknownID(t *testing.T) {
	m, err := STIDE{N: 3, Frame: 2}.Fit([][]int32{{1, 2, 3, 4, 1, 2, 3, 5}})
	if err != nil {
		t.Fatal(err)
	}
	// 123 ok, 2 3 99, 3 99 2, 99 2 3 miss, 234 ok.
	test := []int32{1, 2, 3, 99, 2, 3, 4}
	if got, want := m.Mismatches(test), []bool{false, true, true, true, false}; !slices.Equal(got, want) {
		t.Errorf("Mismatches = %v, want %v", got, want)
	}
	if got, want := m.LFC(test), []int{0, 1, 2, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("LFC = %v, want %v", got, want)
	}
	// Negative and huge ids are unseen, not errors.
	if got := m.Mismatches([]int32{-1, math.MaxInt32, 1}); !slices.Equal(got, []bool{true}) {
		t.Errorf("Mismatches(odd ids) = %v, want [true]", got)
	}
}

// Traces shorter than N are one short window matched against the starts of
// the training traces.
func TestSTIDEShortTraces(t *testing.T) {
	m, err := STIDE{N: 4, Frame: 5}.Fit([][]int32{{1, 2, 3, 4, 5}, {7, 8}, {}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		trace []int32
		miss  bool
	}{
		{[]int32{1}, false},
		{[]int32{1, 2, 3}, false},
		{[]int32{7, 8}, false},
		{[]int32{7}, false},
		{[]int32{2, 3}, true},    // inside a trace but not at its start
		{[]int32{7, 8, 9}, true}, // longer than the short training trace
		{[]int32{9}, true},
	}
	for _, c := range cases {
		got := m.Mismatches(c.trace)
		if !slices.Equal(got, []bool{c.miss}) {
			t.Errorf("Mismatches(%v) = %v, want [%v]", c.trace, got, c.miss)
		}
		wantScore := 0.0
		if c.miss {
			wantScore = 0.2
		}
		if s := m.Score(c.trace); s != wantScore {
			t.Errorf("Score(%v) = %v, want %v", c.trace, s, wantScore)
		}
		calls := m.CallScores(c.trace)
		want := make([]float64, len(c.trace))
		want[len(want)-1] = wantScore
		if !slices.Equal(calls, want) {
			t.Errorf("CallScores(%v) = %v, want %v", c.trace, calls, want)
		}
	}
	if m.Size() != 2 { // 1234, 2345
		t.Errorf("Size = %d, want 2", m.Size())
	}
	if got := m.Mismatches(nil); len(got) != 0 || m.Score(nil) != 0 || len(m.CallScores(nil)) != 0 {
		t.Errorf("empty trace: Mismatches %v Score %v", got, m.Score(nil))
	}
}

func TestSTIDEKeySchemes(t *testing.T) {
	cases := []struct {
		name string
		n    int
		ids  []int32
		bits uint // bits per packed code, 0 for wide keys
	}{
		{"n 1", 1, seqIDs(0, 5), 3},
		{"64 bits exactly", 8, seqIDs(0, 256), 8},
		{"wide alphabet", 8, seqIDs(0, 300), 0}, // 9 bits * 8 = 72
		{"long window", 20, seqIDs(0, 16), 0},   // 4 bits * 20 = 80
		{"big ids packed", 4, seqIDs(1<<30, 40), 6},
		{"negative ids", 3, seqIDs(-20, 40), 6},
		{"big ids wide", 9, seqIDs(math.MaxInt32-300, 300), 0}, // 81 bits
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(c.n)))
			train := markovTraces(r, c.ids, 20, 300, 0)
			test := markovTraces(r, c.ids, 20, 300, 0.05)
			test = append(test, []int32{c.ids[0] - 1, c.ids[1]}, c.ids[:1])
			m, err := STIDE{N: c.n, Frame: 7}.Fit(train)
			if err != nil {
				t.Fatal(err)
			}
			if m.bits != c.bits || (m.packed != nil) != (c.bits > 0) {
				t.Fatalf("bits per code %d (packed %v), want %d", m.bits, m.packed != nil, c.bits)
			}
			ref := newRefSTIDE(train, c.n)
			if m.Size() != len(ref.full) {
				t.Errorf("Size = %d, want %d", m.Size(), len(ref.full))
			}
			misses := 0
			for i, tr := range append(train[:5:5], test...) {
				got, want := m.Mismatches(tr), ref.mismatches(tr)
				if !slices.Equal(got, want) {
					t.Fatalf("trace %d: Mismatches differ from the reference", i)
				}
				for _, f := range want {
					if f {
						misses++
					}
				}
			}
			if misses == 0 {
				t.Error("no mismatches in the test traces; the check is vacuous")
			}
		})
	}
}

func TestSTIDEErrors(t *testing.T) {
	cases := []struct {
		s      STIDE
		traces [][]int32
	}{
		{STIDE{N: -1}, [][]int32{{1, 2}}},
		{STIDE{Frame: -3}, [][]int32{{1, 2}}},
		{STIDE{}, nil},
		{STIDE{}, [][]int32{{}, {}}},
	}
	for _, c := range cases {
		if _, err := c.s.Fit(c.traces); err == nil {
			t.Errorf("Fit(%+v, %v) succeeded, want an error", c.s, c.traces)
		}
	}
	m, err := STIDE{}.Fit([][]int32{{1, 2, 3, 4, 5, 6, 7}})
	if err != nil || m.N() != DefaultSTIDEN || m.Frame() != DefaultSTIDEFrame {
		t.Errorf("defaults: %v, %v", m, err)
	}
}

// refSTIDE is a naive STIDE over string keys, to check the packed and wide
// paths against.
type refSTIDE struct {
	n           int
	full, start map[string]bool
}

func newRefSTIDE(train [][]int32, n int) refSTIDE {
	r := refSTIDE{n: n, full: map[string]bool{}, start: map[string]bool{}}
	for _, t := range train {
		for j := 0; j+n <= len(t); j++ {
			r.full[fmt.Sprint(t[j:j+n])] = true
		}
		for k := 1; k < n && k <= len(t); k++ {
			r.start[fmt.Sprint(t[:k])] = true
		}
	}
	return r
}

func (r refSTIDE) mismatches(t []int32) []bool {
	if len(t) == 0 {
		return nil
	}
	if len(t) < r.n {
		return []bool{!r.start[fmt.Sprint(t)]}
	}
	var out []bool
	for j := 0; j+r.n <= len(t); j++ {
		out = append(out, !r.full[fmt.Sprint(t[j:j+r.n])])
	}
	return out
}

// seqIDs returns n consecutive ids from lo.
func seqIDs(lo int32, n int) []int32 {
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = lo + int32(i)
	}
	return ids
}

// markovTraces draws count traces of length up to maxLen (at least 1) from a
// sparse chain over ids in which each id has three successors; with
// probability noise a call is replaced by a uniform id, or by an id outside
// ids.
func markovTraces(r *rand.Rand, ids []int32, count, maxLen int, noise float64) [][]int32 {
	next := func(i int) int { return (i*7 + 1 + r.IntN(3)*13) % len(ids) }
	out := make([][]int32, count)
	for c := range out {
		t := make([]int32, 1+r.IntN(maxLen))
		i := (c * 5) % len(ids)
		for k := range t {
			t[k] = ids[i]
			if r.Float64() < noise {
				t[k] = ids[r.IntN(len(ids))]
				if r.IntN(4) == 0 {
					t[k] = ids[len(ids)-1] + 1 + int32(r.IntN(3))
				}
			}
			i = next(i)
		}
		out[c] = t
	}
	return out
}

func BenchmarkSTIDEScore(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"packed_n6", 6}, {"wide_n12", 12}} {
		b.Run(c.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(7, 8))
			ids := seqIDs(0, 300)
			m, err := STIDE{N: c.n}.Fit(markovTraces(r, ids, 500, 4000, 0))
			if err != nil {
				b.Fatal(err)
			}
			test := markovTraces(r, ids, 50, 4000, 0.01)
			calls := 0
			for _, t := range test {
				calls += len(t)
			}
			b.ResetTimer()
			for b.Loop() {
				for _, t := range test {
					m.Score(t)
				}
			}
			b.ReportMetric(float64(calls)*float64(b.N)/b.Elapsed().Seconds(), "calls/s")
			b.ReportMetric(float64(m.Size()), "ngrams")
		})
	}
}
