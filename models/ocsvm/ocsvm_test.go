package ocsvm

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/vigil-ml/vigil/models/svm"
)

// alphas returns α for every training row (zero off the support).
func alphas(m *Model, l int) []float64 {
	a := make([]float64, l)
	for k, i := range m.SupportVectors() {
		a[i] = m.DualCoef()[k]
	}
	return a
}

// TestConstraintsAndNuProperty: 0 ≤ α ≤ 1, Σα = νℓ, and the ν-property
// (Schölkopf et al. 2001): the fraction of training rows outside the
// boundary is at most ν, the fraction of support vectors at least ν.
func TestConstraintsAndNuProperty(t *testing.T) {
	x := sessionData(3, 400, 12)
	for _, nu := range []float64{0.02, 0.1, 0.3, 0.5, 0.9} {
		m, err := Train(x, Config{Nu: nu, Kernel: svm.Kernel{Gamma: 1}})
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for _, a := range m.DualCoef() {
			if a <= 0 || a > 1 {
				t.Fatalf("ν %v: α = %v outside (0, 1]", nu, a)
			}
			sum += a
		}
		l := float64(len(x))
		if math.Abs(sum-nu*l) > 1e-9 {
			t.Errorf("ν %v: Σα = %v, want νℓ = %v", nu, sum, nu*l)
		}
		// Outside by more than the tolerance: rows with α = 0 may sit up
		// to Tol inside f < 0 at an approximate solution.
		outside := 0
		for _, row := range x {
			if m.Decision(row) < -DefaultTol {
				outside++
			}
		}
		if float64(outside)/l > nu || float64(len(m.DualCoef()))/l < nu {
			t.Errorf("ν %v: %d rows outside, %d support vectors of %v", nu, outside, len(m.DualCoef()), l)
		}
	}
}

// TestKKT: at the solution every free α has f(x_i) ≈ 0, every α = 0 has
// f(x_i) ≳ 0 and every α = 1 has f(x_i) ≲ 0, to within the tolerance.
func TestKKT(t *testing.T) {
	x := sessionData(1, 100, 6)
	for _, nu := range []float64{0.1, 0.5} {
		m, err := Train(x, Config{Nu: nu, Kernel: svm.Kernel{Gamma: 0.5}})
		if err != nil {
			t.Fatal(err)
		}
		a := alphas(m, len(x))
		for i, row := range x {
			f := m.Decision(row)
			switch {
			case a[i] == 0 && f < -1e-3,
				a[i] == 1 && f > 1e-3,
				a[i] > 0 && a[i] < 1 && math.Abs(f) > 1e-3:
				t.Errorf("ν %v row %d: α %v, f %v violates KKT", nu, i, a[i], f)
			}
		}
	}
}

// referenceSolve is a plain solver for the same dual: float64 kernel
// matrix, first-order maximal violating pair, no shrinking or cache, run
// to the tolerance tol.
func referenceSolve(x [][]float64, k svm.Kernel, nu, tol float64) []float64 {
	l := len(x)
	K := make([][]float64, l)
	for i := range K {
		K[i] = make([]float64, l)
		for j := range K[i] {
			K[i][j] = k.Eval(x[i], x[j])
		}
	}
	alpha := initialAlpha(ones(l), nu)
	g := make([]float64, l)
	for i := range l {
		for j := range l {
			g[i] += K[i][j] * alpha[j]
		}
	}
	for range 1_000_000 {
		i, j := -1, -1
		for t := range l {
			if alpha[t] < 1 && (i < 0 || g[t] < g[i]) {
				i = t // raising α_i lowers the objective fastest
			}
			if alpha[t] > 0 && (j < 0 || g[t] > g[j]) {
				j = t
			}
		}
		if g[j]-g[i] < tol {
			break
		}
		quad := max(K[i][i]+K[j][j]-2*K[i][j], 1e-12)
		delta := (g[j] - g[i]) / quad
		delta = min(delta, 1-alpha[i], alpha[j])
		alpha[i] += delta
		alpha[j] -= delta
		for t := range l {
			g[t] += delta * (K[t][i] - K[t][j])
		}
	}
	return alpha
}

func ones(l int) []float64 {
	c := make([]float64, l)
	for i := range c {
		c[i] = 1
	}
	return c
}

// TestAgainstReferenceSolver: at a tight tolerance the LIBSVM solver
// (float32 kernel columns, shrinking, WSS2) and the plain float64 solver
// reach the same α.
func TestAgainstReferenceSolver(t *testing.T) {
	x := sessionData(4, 80, 4)
	for _, nu := range []float64{0.1, 0.4} {
		k := svm.Kernel{Gamma: 0.7}
		m, err := Train(x, Config{Nu: nu, Kernel: k, Tol: 1e-9})
		if err != nil {
			t.Fatal(err)
		}
		ref := referenceSolve(x, k, nu, 1e-10)
		var worst float64
		for i, a := range alphas(m, len(x)) {
			worst = max(worst, math.Abs(a-ref[i]))
		}
		// float32 kernel columns bound the agreement at about 1e−6.
		if worst > 1e-4 {
			t.Errorf("ν %v: α differs from the reference by up to %.3g", nu, worst)
		}
		t.Logf("ν %v: max |α − α_ref| = %.2g", nu, worst)
	}
}

func TestShrinkingAndCacheSameSolution(t *testing.T) {
	x := sessionData(3, 400, 12)
	k := svm.Kernel{Gamma: 4}
	ref, err := Train(x, Config{Nu: 0.3, Kernel: k})
	if err != nil {
		t.Fatal(err)
	}
	flat, d, _ := validate(x)
	// Two columns of cache: the same iterates, only slower.
	small := train(flat, d, k, 0.3, DefaultTol, true, 0, 1)
	if !reflect.DeepEqual(small, ref) {
		t.Error("a two-column cache changes the solution")
	}
	noShrink, err := Train(x, Config{Nu: 0.3, Kernel: k, NoShrinking: true})
	if err != nil {
		t.Fatal(err)
	}
	q := gridData()
	for _, row := range append(q, x...) {
		if d := math.Abs(noShrink.Decision(row) - ref.Decision(row)); d > 1e-2 {
			t.Fatalf("shrinking changes the decision at %v by %v", row, d)
		}
	}
}

func TestMaxIter(t *testing.T) {
	x := sessionData(3, 400, 12)
	m, err := Train(x, Config{Nu: 0.3, Kernel: svm.Kernel{Gamma: 4}, MaxIter: 5})
	if err != nil {
		t.Fatal(err)
	}
	if m.Converged() || m.Iterations() != 5 {
		t.Errorf("MaxIter 5: %d iterations, converged %v", m.Iterations(), m.Converged())
	}
	m, err = Train(x, Config{Nu: 0.3, Kernel: svm.Kernel{Gamma: 4}, MaxIter: -1})
	if err != nil || !m.Converged() {
		t.Errorf("unbounded: converged %v, error %v", m != nil && m.Converged(), err)
	}
}

// TestOutliersFlagged: the planted outliers fall outside the support.
func TestOutliersFlagged(t *testing.T) {
	x := sessionData(2, 400, 12)
	m, err := Train(x, Config{Nu: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for _, row := range x[len(x)-12:] {
		if m.Outlier(row) {
			flagged++
		}
		if m.Score(row) != -m.Decision(row) || m.Decision(row) != m.ScoreSamples(row)-m.Rho() {
			t.Fatal("Score, Decision and ScoreSamples disagree")
		}
	}
	if flagged < 9 {
		t.Errorf("%d of 12 planted outliers flagged", flagged)
	}
	if m.Outlier([]float64{1, -0.5}) {
		t.Error("the centre of the blob is flagged")
	}
}

func TestInitialAlpha(t *testing.T) {
	a := initialAlpha(ones(100), 0.1)
	var sum, nuL float64
	for range 100 {
		nuL += 0.1
	}
	full := 0
	for _, v := range a {
		sum += v
		if v == 1 {
			full++
		}
	}
	// 0.1 added 100 times is 9.99999999999998: nine full bounds and the
	// rest on the tenth row.
	if sum != nuL || full != 9 || a[9] <= 0.99 || a[10] != 0 {
		t.Errorf("initial α sums to %v (want %v), %d at the bound, α₉ = %v", sum, nuL, full, a[9])
	}
}

func TestValidation(t *testing.T) {
	x := sessionData(1, 20, 2)
	cases := []struct {
		name string
		x    [][]float64
		cfg  Config
		want error
	}{
		{"empty", nil, Config{}, ErrEmpty},
		{"no features", [][]float64{{}}, Config{}, ErrEmpty},
		{"ragged", [][]float64{{1, 2}, {3}}, Config{}, ErrRagged},
		{"NaN", [][]float64{{math.NaN(), 1}}, Config{}, ErrNotFinite},
		{"Inf", [][]float64{{1, math.Inf(-1)}}, Config{}, ErrNotFinite},
		{"nu negative", x, Config{Nu: -0.1}, ErrConfig},
		{"nu above 1", x, Config{Nu: 1.5}, ErrConfig},
		{"nu NaN", x, Config{Nu: math.NaN()}, ErrConfig},
		{"nu 1", x, Config{Nu: 1}, ErrConfig},
		{"tol", x, Config{Tol: -1}, ErrConfig},
		{"tol Inf", x, Config{Tol: math.Inf(1)}, ErrConfig},
		{"cache", x, Config{CacheMB: -1}, ErrConfig},
		{"kernel type", x, Config{Kernel: svm.Kernel{Type: 7}}, ErrConfig},
		{"gamma", x, Config{Kernel: svm.Kernel{Gamma: -1}}, ErrConfig},
		{"degree", x, Config{Kernel: svm.Kernel{Type: svm.Poly, Degree: -1}}, ErrConfig},
		{"coef0", x, Config{Kernel: svm.Kernel{Type: svm.Poly, Coef0: math.NaN()}}, ErrConfig},
	}
	for _, c := range cases {
		if _, err := Train(c.x, c.cfg); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}

func TestDefaultsAndPanics(t *testing.T) {
	x := sessionData(1, 40, 2)
	m, err := Train(x, Config{Kernel: svm.Kernel{Type: svm.Poly}})
	if err != nil {
		t.Fatal(err)
	}
	flat, d, _ := validate(x)
	if k := m.Kernel(); k.Degree != 3 || k.Gamma != svm.ScaleGamma(flat, d) || m.Nu() != DefaultNu || m.NumFeatures() != 2 {
		t.Errorf("defaults: kernel %+v, ν %v", k, m.Nu())
	}
	if m.Objective() <= 0 {
		t.Errorf("objective %v", m.Objective())
	}
	defer func() {
		if recover() == nil {
			t.Error("a row of the wrong length did not panic")
		}
	}()
	m.Decision([]float64{1})
}
