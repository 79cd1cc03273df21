package drift

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// ksGoldenCase is one row of ksGolden (ks_golden_test.go).
type ksGoldenCase struct {
	name       string
	a, b       []float64
	exact      bool
	d, p       float64
	scipyAsymp float64
}

func lit(v ...float64) []float64 { return v }

// lcg repeats testdata/make_golden.py's generator: a 32-bit LCG, value
// x/2^32 + shift, rounded down to one decimal when ties is set.
func lcg(seed uint32, n int, shift float64, ties bool) []float64 {
	out := make([]float64, n)
	x := seed
	for i := range out {
		x = 1664525*x + 1013904223
		v := float64(x)/4294967296 + shift
		if ties {
			v = math.Floor(v*10) / 10
		}
		out[i] = v
	}
	return out
}

// grid returns i*0.001 + shift, i = 0..n-1; the conversion stops the
// compiler from fusing the multiply and add, to match Python.
func grid(n int, shift float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(float64(i)*0.001) + shift
	}
	return out
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Abs(want)
}

func TestKSStatisticHand(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
		d    float64
	}{
		// x=1: 1/4-0; x=2: 3/4-2/3 (after both 2s in each sample); x=3: 1-2/3; x=4: 1-1.
		{"ties across samples", []float64{1, 2, 2, 3}, []float64{2, 2, 4}, 1.0 / 3},
		// Stepping one value at a time would report 1/2 here.
		{"identical ties", []float64{1, 1}, []float64{1, 1}, 0},
		// Evaluating inside the tie (after one 1 from each) would give 2/3.
		{"ties unequal counts", []float64{1, 1, 1}, []float64{1}, 0},
		// x=5: 3/4-1/3; x=7: 1-1. Counting a's 5s before b's would give 3/4.
		{"tie then gap", []float64{5, 5, 5, 7}, []float64{5, 7, 7}, 5.0 / 12},
		// x=0: 2/3-1/3; x=1: 1-1.
		{"ties at both points", []float64{0, 0, 1}, []float64{0, 1, 1}, 1.0 / 3},
		{"separated", []float64{3, 4}, []float64{1, 2}, 1},
		// x=-Inf: 1/3-0; x=0: 2/3-0; x=1: 2/3-1/2; x=2: 2/3-1; x=+Inf: 1-1.
		{"infinities", []float64{math.Inf(1), 0, math.Inf(-1)}, []float64{1, 2}, 2.0 / 3},
		{"unsorted input", []float64{3, 1, 2, 2}, []float64{4, 2, 2}, 1.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := KS(tt.a, tt.b, KSConfig{})
			if err != nil {
				t.Fatal(err)
			}
			if r.D != tt.d {
				t.Errorf("D = %v, want %v", r.D, tt.d)
			}
			if r.N != len(tt.a) || r.M != len(tt.b) || r.Method != KSExact {
				t.Errorf("N, M, Method = %d, %d, %q", r.N, r.M, r.Method)
			}
		})
	}
}

func TestKSExactHand(t *testing.T) {
	tests := []struct {
		a, b []float64
		p    float64
	}{
		// D = 1 needs all of one sample below the other: 2 of C(4,2) = 6 orders.
		{[]float64{1, 2}, []float64{3, 4}, 1.0 / 3},
		// n = m = 1: both orders give D = 1.
		{[]float64{0}, []float64{1}, 1},
		// D = 0 gives p = 1.
		{[]float64{5, 5}, []float64{5}, 1},
	}
	for _, tt := range tests {
		r, err := KS(tt.a, tt.b, KSConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if relErr(r.PValue, tt.p) > 1e-15 {
			t.Errorf("KS(%v, %v).PValue = %v, want %v", tt.a, tt.b, r.PValue, tt.p)
		}
	}
}

// bruteKSSF enumerates all C(n+m, n) merge orders of two tie-free samples
// and returns, for each integer statistic h = max |i·m - j·n|, the fraction
// of orders whose statistic is at least h.
func bruteKSSF(n, m int) map[int64]float64 {
	counts := make(map[int64]int)
	total := 0
	var walk func(i, j int, best int64)
	walk = func(i, j int, best int64) {
		d := int64(i*m - j*n)
		best = max(best, d, -d)
		if i == n && j == m {
			counts[best]++
			total++
			return
		}
		if i < n {
			walk(i+1, j, best)
		}
		if j < m {
			walk(i, j+1, best)
		}
	}
	walk(0, 0, 0)
	sf := make(map[int64]float64)
	for h := range counts {
		atLeast := 0
		for g, c := range counts {
			if g >= h {
				atLeast += c
			}
		}
		sf[h] = float64(atLeast) / float64(total)
	}
	return sf
}

// The exact recursion against plain enumeration of all merge orders.
func TestKSExactAgainstEnumeration(t *testing.T) {
	for _, nm := range [][2]int{{1, 1}, {2, 3}, {3, 4}, {5, 5}, {4, 6}, {6, 2}, {7, 5}} {
		n, m := nm[0], nm[1]
		for h, want := range bruteKSSF(n, m) {
			if got := ksExactSF(n, m, h); relErr(got, want) > 1e-13 {
				t.Errorf("n=%d m=%d h=%d: ksExactSF = %v, enumeration %v", n, m, h, got, want)
			}
		}
	}
}

func TestKSGolden(t *testing.T) {
	for _, g := range ksGolden {
		t.Run(g.name, func(t *testing.T) {
			r, err := KS(g.a, g.b, KSConfig{})
			if err != nil {
				t.Fatal(err)
			}
			wantMethod := KSAsymptotic
			if g.exact {
				wantMethod = KSExact
			}
			if r.Method != wantMethod {
				t.Errorf("Method = %q, want %q", r.Method, wantMethod)
			}
			if math.Abs(r.D-g.d) > 1e-12 {
				t.Errorf("D = %v, scipy %v", r.D, g.d)
			}
			if e := relErr(r.PValue, g.p); e > 1e-12 {
				t.Errorf("PValue = %v, scipy %v (relative error %.2g)", r.PValue, g.p, e)
			}
			if !g.exact {
				// scipy >= 1.5 uses kstwo.sf(D, round(n·m/(n+m))) instead of
				// the Stephens-corrected limit; they differ by a few percent.
				if e := relErr(r.PValue, g.scipyAsymp); e > 0.05 {
					t.Errorf("PValue = %v, scipy method=asymp %v (relative difference %.2g)", r.PValue, g.scipyAsymp, e)
				}
			}
			swapped, err := KS(g.b, g.a, KSConfig{})
			if err != nil {
				t.Fatal(err)
			}
			if swapped.D != r.D || swapped.PValue != r.PValue {
				t.Errorf("KS(b, a) = (%v, %v), KS(a, b) = (%v, %v)", swapped.D, swapped.PValue, r.D, r.PValue)
			}
		})
	}
}

func TestKSDriftAtAlpha(t *testing.T) {
	// scipy-checked case above: p = 0.01171.
	a, b := grid(2000, 0.1), grid(2000, 0)
	for _, tt := range []struct {
		alpha float64
		drift bool
	}{{0, false}, {0.01, false}, {0.0118, true}, {0.05, true}} {
		r, err := KS(a, b, KSConfig{Alpha: tt.alpha})
		if err != nil {
			t.Fatal(err)
		}
		wantAlpha := tt.alpha
		if wantAlpha == 0 {
			wantAlpha = DefaultKSAlpha
		}
		if r.Drift != tt.drift || r.Alpha != wantAlpha {
			t.Errorf("alpha %v: Drift = %v, Alpha = %v (p = %v), want %v, %v", tt.alpha, r.Drift, r.Alpha, r.PValue, tt.drift, wantAlpha)
		}
	}
}

func TestKSDoesNotModifyInput(t *testing.T) {
	a, b := []float64{3, 1, 2}, []float64{9, -1}
	ca, cb := slices.Clone(a), slices.Clone(b)
	if _, err := KS(a, b, KSConfig{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a, ca) || !slices.Equal(b, cb) {
		t.Errorf("inputs changed: %v %v", a, b)
	}
}

func TestKSErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		a, b    []float64
		cfg     KSConfig
		target  error
		mention string
	}{
		{"empty a", nil, []float64{1}, KSConfig{}, ErrEmpty, "a has"},
		{"empty b", []float64{1}, []float64{}, KSConfig{}, ErrEmpty, "b has"},
		{"NaN in a", []float64{1, 2, nan}, []float64{1}, KSConfig{}, ErrNaN, "a[2]"},
		{"NaN in b", []float64{1}, []float64{nan}, KSConfig{}, ErrNaN, "b[0]"},
		{"alpha negative", []float64{1}, []float64{2}, KSConfig{Alpha: -0.1}, nil, "alpha"},
		{"alpha one", []float64{1}, []float64{2}, KSConfig{Alpha: 1}, nil, "alpha"},
		{"alpha NaN", []float64{1}, []float64{2}, KSConfig{Alpha: nan}, nil, "alpha"},
	}
	for _, tt := range tests {
		_, err := KS(tt.a, tt.b, tt.cfg)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if tt.target != nil && !errors.Is(err, tt.target) {
			t.Errorf("%s: error %v does not wrap %v", tt.name, err, tt.target)
		}
		if !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.mention)
		}
	}
}

// Seeded random inputs with ties, infinities and signed zeros: no panic, D
// and p in [0, 1], both methods exercised.
func TestKSRandomInputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float64{math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1}
	for trial := 0; trial < 200; trial++ {
		draw := func() []float64 {
			x := make([]float64, 1+rng.IntN(150))
			for i := range x {
				if rng.IntN(4) == 0 {
					x[i] = special[rng.IntN(len(special))]
				} else {
					x[i] = float64(rng.IntN(20))
				}
			}
			return x
		}
		r, err := KS(draw(), draw(), KSConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if !(r.D >= 0 && r.D <= 1 && r.PValue >= 0 && r.PValue <= 1) {
			t.Fatalf("trial %d: D = %v, p = %v", trial, r.D, r.PValue)
		}
	}
}

func TestKolmogorovSF(t *testing.T) {
	for _, g := range kolmogorovGolden {
		if got := KolmogorovSF(g[0]); relErr(got, g[1]) > 1e-13 {
			t.Errorf("KolmogorovSF(%v) = %v, scipy %v", g[0], got, g[1])
		}
	}
	for _, tt := range [][2]float64{{0, 1}, {-1, 1}, {math.Inf(-1), 1}, {math.Inf(1), 0}, {30, 0}} {
		if got := KolmogorovSF(tt[0]); got != tt[1] {
			t.Errorf("KolmogorovSF(%v) = %v, want %v", tt[0], got, tt[1])
		}
	}
	if got := KolmogorovSF(math.NaN()); !math.IsNaN(got) {
		t.Errorf("KolmogorovSF(NaN) = %v, want NaN", got)
	}
}
