//go:build gpu

package device

import (
	"math"
	"math/rand/v2"
	"testing"
)

// These tests need a GPU; they compare every kernel family with plain Go
// loops on small random inputs. Without one they skip, or fail with
// VIGIL_EXPECT_GPU=1 (see OpenForTest).

// env is one test's device, stream and arena.
type env struct {
	t *testing.T
	d *Device
	s *Stream
	a *Arena
	r *rand.Rand
}

func newEnv(t *testing.T) *env {
	t.Helper()
	testDev := OpenForTest(t)
	s, err := testDev.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	a, err := testDev.NewArena(64 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Synchronize(); err != nil {
			t.Errorf("stream: %v", err)
		}
		if err := a.Close(); err != nil {
			t.Error(err)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return &env{t: t, d: testDev, s: s, a: a, r: rand.New(rand.NewPCG(1, uint64(len(t.Name()))))}
}

// must fails the test on err.
func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// alloc returns a buffer of n elements filled with NaN (so that unwritten
// outputs show).
func (e *env) alloc(n int) Buffer {
	e.t.Helper()
	b, err := e.a.Alloc(n)
	e.must(err)
	e.must(e.s.Fill(b, float32(math.NaN())))
	return b
}

// up uploads x to a new buffer.
func (e *env) up(x []float32) Buffer {
	e.t.Helper()
	b, err := e.a.Alloc(len(x))
	e.must(err)
	e.must(Upload(e.s, b, x))
	return b
}

// upInt uploads int32 indices to a new buffer.
func (e *env) upInt(x []int32) Buffer {
	e.t.Helper()
	b, err := e.a.Alloc(len(x))
	e.must(err)
	e.must(Upload(e.s, b, x))
	return b
}

// down downloads b after all queued work.
func (e *env) down(b Buffer) []float32 {
	e.t.Helper()
	out := make([]float32, b.Len)
	e.must(Download(e.s, out, b))
	e.must(e.s.Synchronize())
	return out
}

// uniform returns n values in [lo, hi).
func (e *env) uniform(n int, lo, hi float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(lo + (hi-lo)*e.r.Float64())
	}
	return x
}

// relTol is the tolerance of the comparisons: relative, and absolute for
// values below 1 in magnitude.
const relTol = 1e-5

// near reports whether got is within tol of want (NaN matches NaN, equal
// infinities match).
func near(got, want float32, tol float64) bool {
	g, w := float64(got), float64(want)
	if math.IsNaN(w) || math.IsNaN(g) {
		return math.IsNaN(w) && math.IsNaN(g)
	}
	if math.IsInf(w, 0) || math.IsInf(g, 0) {
		return g == w
	}
	return math.Abs(g-w) <= tol*math.Max(math.Abs(w), 1)
}

// compare fails the test where got and want differ by more than tol,
// listing the first few differences.
func (e *env) compare(what string, got, want []float32, tol float64) {
	e.t.Helper()
	if len(got) != len(want) {
		e.t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	bad := 0
	for i := range want {
		if !near(got[i], want[i], tol) {
			if bad < 5 {
				e.t.Errorf("%s[%d] = %v, want %v", what, i, got[i], want[i])
			}
			bad++
		}
	}
	if bad > 5 {
		e.t.Errorf("%s: %d of %d values differ", what, bad, len(want))
	}
}

func f64(x float32) float64 { return float64(x) }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func softplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }
