package syscalls

import (
	"math"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/models"
)

func TestWindowStarts(t *testing.T) {
	for _, c := range []struct {
		n, length, stride int
		want              []int
	}{
		{1, 4, 2, nil},
		{3, 4, 2, []int{0}}, // shorter than a window: one padded window
		{5, 4, 2, []int{0}}, // exactly one window
		{10, 4, 2, []int{0, 2, 4, 5}},
		{10, 4, 4, []int{0, 4, 5}}, // and one ending at the stream's end
	} {
		if got := trainStarts(c.n, c.length, c.stride); !slices.Equal(got, c.want) {
			t.Errorf("trainStarts(%d, %d, %d) = %v, want %v", c.n, c.length, c.stride, got, c.want)
		}
	}
	if got := scoreStarts(10, 4, 0); !slices.Equal(got, []int{0, 4, 8}) {
		t.Errorf("scoreStarts(10, 4, 0) = %v", got)
	}
	if got := scoreStarts(10, 4, 2); !slices.Equal(got, []int{0, 2, 4, 6}) {
		t.Errorf("scoreStarts(10, 4, 2) = %v", got)
	}
	if got := scoreStarts(1, 4, 0); got != nil {
		t.Errorf("scoreStarts(1, 4, 0) = %v", got)
	}
}

// TestScoresMapBackToCalls: every call but each stream's first is scored
// exactly once, by the window position that predicts it, in trace order
// across two interleaved thread streams.
func TestScoresMapBackToCalls(t *testing.T) {
	ids := []int32{1, 2, 3, 4, 5, 6, 7}
	tids := []int32{9, 8, 9, 9, 8, 9, 9} // thread 9: calls 0,2,3,5,6; thread 8: 1,4
	tr := trace{Calls: len(ids), Streams: threadStreams(ids, tids)}
	in := models.Input{IntShape: []int{3}, Vocab: 8}
	ex, where := scoreWindows([]trace{tr}, in, 2, 0)
	// thread 9 (ids 1 3 4 6 7): windows at 0 (1 3 4) and 2 (4 6 7); thread 8 (2 5): window at 0 (2 5 pad).
	wantInts := []int32{1, 3, 4, 4, 6, 7, 2, 5, models.Pad}
	if !slices.Equal(ex.Int, wantInts) || ex.N != 3 {
		t.Fatalf("windows %v (%d), want %v", ex.Int, ex.N, wantInts)
	}
	// Score of window w, position k: 10*w + k.
	values := []float64{0, 1, 10, 11, 20, 21}
	got := callScores([]trace{tr}, where, values, 2, math.NaN())[0]
	// call 0 (first of thread 9): NaN; call 2 (3): w0k0; call 3 (4): w0k1;
	// call 5 (6): w1k0; call 6 (7): w1k1; call 1: NaN; call 4 (5): w2k0.
	want := []float64{math.NaN(), math.NaN(), 0, 1, 20, 10, 11}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("call scores %v, want %v", got, want)
		}
	}
}

// TestEveryCallIsScoredOnce: for any stream length, window length and
// context, every call but the first gets exactly one score, and with
// context c every call past the first c+1 is scored after at least c calls.
func TestEveryCallIsScoredOnce(t *testing.T) {
	for n := 1; n < 40; n++ {
		for length := 1; length < 9; length++ {
			for c := 0; c < length; c++ {
				ids := make([]int32, n)
				tr := trace{Calls: n, Streams: []stream{{IDs: ids, Pos: seq(0, n)}}}
				in := models.Input{IntShape: []int{length + 1}, Vocab: 1}
				_, where := scoreWindows([]trace{tr}, in, length, c)
				hits := make([]int, n)
				for _, w := range where {
					for k := w.Keep; k < length && w.Start+k+1 < n; k++ {
						hits[w.Start+k+1]++
						if w.Start+k+1 > c && k < c {
							t.Fatalf("n %d length %d context %d: call %d scored after %d calls", n, length, c, w.Start+k+1, k)
						}
					}
				}
				for i, h := range hits {
					if want := min(i, 1); h != want {
						t.Fatalf("n %d length %d context %d: call %d scored %d times", n, length, c, i, h)
					}
				}
			}
		}
	}
}
