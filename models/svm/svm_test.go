package svm

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// trainCase trains the golden case g with shrinking and tolerance tol.
func trainCase(t *testing.T, g goldenCase, tol float64, shrinking bool) ([][]float64, []bool, *Model) {
	t.Helper()
	x, y := goldenData(t, g)
	m, err := Train(x, y, Config{Kernel: g.Kernel, C: g.C, CPos: g.CPos, CNeg: g.CNeg, Tol: tol, Shrinking: shrinking})
	if err != nil {
		t.Fatal(err)
	}
	return x, y, m
}

// alphas returns α_i and C_i for every training row of m.
func alphas(m *Model, y []bool) (alpha, c []float64) {
	alpha = make([]float64, len(y))
	c = make([]float64, len(y))
	coef := m.DualCoef()
	for k, i := range m.SupportVectors() {
		alpha[i] = math.Abs(coef[k])
	}
	cPos, cNeg := m.Penalties()
	for i, v := range y {
		c[i] = cNeg
		if v {
			c[i] = cPos
		}
	}
	return alpha, c
}

func sign(v bool) float64 {
	if v {
		return 1
	}
	return -1
}

// TestKKT checks every multiplier of every golden case, at the default
// tolerance and at 1e−8: 0 ≤ α_i ≤ C_i, yᵀα = 0, and with m_i = y_i f(x_i)
//
//	0 < α_i < C_i ⇒ |m_i − 1| ≤ tol,  α_i = 0 ⇒ m_i ≥ 1 − tol,  α_i = C_i ⇒ m_i ≤ 1 + tol,
//
// tol = Tol plus 1e−5 for f evaluated in float64 against the solver's
// float32 kernel columns.
func TestKKT(t *testing.T) {
	for _, tol := range []float64{1e-3, 1e-8} {
		for _, g := range goldenCases {
			x, y, m := trainCase(t, g, tol, true)
			alpha, c := alphas(m, y)
			slack := tol + 1e-5
			var sum, worst float64
			for i, xi := range x {
				if alpha[i] < 0 || alpha[i] > c[i] {
					t.Errorf("%s: α_%d = %v outside [0, %v]", g.Name, i, alpha[i], c[i])
				}
				sum += sign(y[i]) * alpha[i]
				mi := sign(y[i]) * m.Decision(xi)
				var viol float64
				switch {
				case alpha[i] == 0:
					viol = 1 - mi
				case alpha[i] == c[i]:
					viol = mi - 1
				default:
					viol = math.Abs(mi - 1)
				}
				worst = max(worst, viol)
				if viol > slack {
					t.Errorf("%s tol %g: row %d α %v C %v y·f %v violates KKT by %v", g.Name, tol, i, alpha[i], c[i], mi, viol)
				}
			}
			if math.Abs(sum) > 1e-9*max(g.CPos, g.CNeg)*float64(len(y)) {
				t.Errorf("%s: yᵀα = %v", g.Name, sum)
			}
			t.Logf("%-26s tol %g: worst KKT violation %.2g", g.Name, tol, worst)
		}
	}
}

// dualityGap returns the primal objective ½‖w‖² + Σ C_i ξ_i at the model's
// (w, b), the dual objective eᵀα − ½αᵀQα, and the gap between them.
func dualityGap(m *Model, x [][]float64, y []bool) (primal, dual float64) {
	alpha, c := alphas(m, y)
	sv, coef := m.SupportVectors(), m.DualCoef()
	k := m.Kernel()
	var wNorm2 float64
	for a, i := range sv {
		for b, j := range sv {
			wNorm2 += coef[a] * coef[b] * k.Eval(x[i], x[j])
		}
	}
	var hinge, sumAlpha float64
	for i, xi := range x {
		hinge += c[i] * max(0, 1-sign(y[i])*m.Decision(xi))
		sumAlpha += alpha[i]
	}
	return wNorm2/2 + hinge, sumAlpha - wNorm2/2
}

// TestDualityGap checks that the primal and dual objectives meet: relative
// gap below 1e−3 at the default tolerance and 1e−6 at 1e−8, and that the
// dual objective equals −Objective().
func TestDualityGap(t *testing.T) {
	for _, c := range []struct{ tol, maxGap float64 }{{1e-3, 1e-3}, {1e-8, 1e-6}} {
		for _, g := range goldenCases {
			x, y, m := trainCase(t, g, c.tol, true)
			primal, dual := dualityGap(m, x, y)
			gap := (primal - dual) / max(1, math.Abs(primal))
			t.Logf("%-26s tol %g: primal %.6f dual %.6f relative gap %.2g", g.Name, c.tol, primal, dual, gap)
			if gap < -1e-9 || gap > c.maxGap {
				t.Errorf("%s tol %g: relative duality gap %v", g.Name, c.tol, gap)
			}
			if !closeTo(dual, -m.Objective(), 1e-6, 1e-9) {
				t.Errorf("%s: dual %v, −Objective() %v", g.Name, dual, -m.Objective())
			}
		}
	}
}

// TestShrinkingSameSolution: with and without shrinking, at tolerance 1e−8,
// the solutions agree (the overlap case shrinks and rebuilds the gradient
// several times).
func TestShrinkingSameSolution(t *testing.T) {
	for _, g := range goldenCases {
		if !g.Shrinking {
			continue
		}
		_, _, on := trainCase(t, g, 1e-8, true)
		_, _, off := trainCase(t, g, 1e-8, false)
		if !slices.Equal(on.SupportVectors(), off.SupportVectors()) {
			t.Errorf("%s: support vectors %v with shrinking, %v without", g.Name, on.SupportVectors(), off.SupportVectors())
			continue
		}
		var worst float64
		a, b := on.DualCoef(), off.DualCoef()
		for k := range a {
			worst = max(worst, math.Abs(a[k]-b[k]))
		}
		if worst > 1e-5*max(g.CPos, g.CNeg) || !closeTo(on.Bias(), off.Bias(), 0, 1e-6) {
			t.Errorf("%s: max |Δcoef| %v, bias %v vs %v", g.Name, worst, on.Bias(), off.Bias())
		}
		t.Logf("%-26s max |Δcoef| %.2g, |Δb| %.2g, iterations %d vs %d", g.Name, worst, math.Abs(on.Bias()-off.Bias()), on.Iterations(), off.Iterations())
	}
}

// TestCacheSizeSameSolution: the smallest cache (two columns) and one that
// holds the whole matrix give bit-identical models, with and without
// shrinking.
func TestCacheSizeSameSolution(t *testing.T) {
	x, y := overlapData()
	cfg := Config{Kernel: Kernel{Type: RBF, Gamma: 1}, CPos: 30, CNeg: 10}
	flat, d, err := validate(x, y)
	if err != nil {
		t.Fatal(err)
	}
	for _, shrinking := range []bool{true, false} {
		cfg.Shrinking = shrinking
		r, err := cfg.resolve(len(y))
		if err != nil {
			t.Fatal(err)
		}
		r.cacheEntries = len(y) * len(y)
		large := train(flat, d, y, cfg.Kernel, r)
		r.cacheEntries = 0 // raised to two columns
		tiny := train(flat, d, y, cfg.Kernel, r)
		if !slices.Equal(large.SupportVectors(), tiny.SupportVectors()) || !slices.Equal(large.DualCoef(), tiny.DualCoef()) ||
			large.Bias() != tiny.Bias() || large.Iterations() != tiny.Iterations() {
			t.Errorf("shrinking %v: the two-column cache changes the model", shrinking)
		}
	}
}

// TestColumnCacheAgainstDirect drives Q through random column requests and
// swaps with a three-column cache and checks every value against the
// kernel computed directly.
func TestColumnCacheAgainstDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, d = 40, 3
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	y := make([]int8, n)
	for i := range y {
		y[i] = int8(2*rng.IntN(2) - 1)
	}
	k := Kernel{Type: RBF, Gamma: 0.3}
	q := newQMatrix(k, x, d, y, 3*n)
	order := make([]int, n) // order[t]: the original variable at position t
	for i := range order {
		order[i] = i
	}
	for step := range 3000 {
		if rng.IntN(4) == 0 {
			i, j := rng.IntN(n), rng.IntN(n)
			q.swap(i, j)
			order[i], order[j] = order[j], order[i]
			continue
		}
		i, length := rng.IntN(n), 1+rng.IntN(n)
		col := q.column(i, length)
		oi := order[i]
		for j := range length {
			oj := order[j]
			want := float32(float64(y[oi]) * float64(y[oj]) * k.Eval(x[oi*d:(oi+1)*d], x[oj*d:(oj+1)*d]))
			if col[j] != want {
				t.Fatalf("step %d: Q[%d][%d] = %v, want %v", step, j, i, col[j], want)
			}
		}
		if want := k.Eval(x[oi*d:(oi+1)*d], x[oi*d:(oi+1)*d]); q.qd[i] != want {
			t.Fatalf("step %d: QD[%d] = %v, want %v", step, i, q.qd[i], want)
		}
	}
	if used := 3*n - q.cache.free; used > 3*n || used < 0 {
		t.Errorf("cache holds %d entries, limit %d", used, 3*n)
	}
}

// referenceSolve is a plain SMO for the same dual: dense float64 Q, the
// maximal violating pair (WSS1), no shrinking, no cache. It returns the
// decision values at the training points.
func referenceSolve(x [][]float64, y []bool, k Kernel, cPos, cNeg, tol float64) []float64 {
	n := len(y)
	ys := make([]float64, n)
	c := make([]float64, n)
	for i, v := range y {
		ys[i], c[i] = sign(v), cNeg
		if v {
			c[i] = cPos
		}
	}
	K := make([][]float64, n)
	for i := range K {
		K[i] = make([]float64, n)
		for j := range K[i] {
			K[i][j] = k.Eval(x[i], x[j])
		}
	}
	alpha := make([]float64, n)
	grad := make([]float64, n) // ∇ of ½αᵀQα − eᵀα
	for i := range grad {
		grad[i] = -1
	}
	up := func(t int) bool { return (ys[t] > 0 && alpha[t] < c[t]) || (ys[t] < 0 && alpha[t] > 0) }
	low := func(t int) bool { return (ys[t] > 0 && alpha[t] > 0) || (ys[t] < 0 && alpha[t] < c[t]) }
	for range 1_000_000 {
		i, j := -1, -1
		gi, gj := math.Inf(-1), math.Inf(1)
		for t := range n {
			v := -ys[t] * grad[t]
			if up(t) && v > gi {
				i, gi = t, v
			}
			if low(t) && v < gj {
				j, gj = t, v
			}
		}
		if gi-gj < tol {
			break
		}
		// Move along y_i e_i − y_j e_j by the clipped Newton step.
		eta := max(K[i][i]+K[j][j]-2*K[i][j], 1e-12)
		step := (gi - gj) / eta
		if ys[i] > 0 {
			step = min(step, c[i]-alpha[i])
		} else {
			step = min(step, alpha[i])
		}
		if ys[j] > 0 {
			step = min(step, alpha[j])
		} else {
			step = min(step, c[j]-alpha[j])
		}
		alpha[i] += ys[i] * step
		alpha[j] -= ys[j] * step
		for t := range n {
			grad[t] += ys[t] * step * (K[t][i] - K[t][j])
		}
	}
	// b from the free variables, or the midpoint of the feasible range.
	var sum float64
	nFree := 0
	lo, hi := math.Inf(-1), math.Inf(1)
	for t := range n {
		v := -ys[t] * grad[t]
		switch {
		case alpha[t] > 0 && alpha[t] < c[t]:
			sum += v
			nFree++
		case up(t):
			lo = max(lo, v)
		default:
			hi = min(hi, v)
		}
	}
	b := (lo + hi) / 2
	if nFree > 0 {
		b = sum / float64(nFree)
	}
	f := make([]float64, n)
	for t := range n {
		f[t] = b
		for s := range n {
			f[t] += alpha[s] * ys[s] * K[s][t]
		}
	}
	return f
}

// TestAgainstReferenceSolver compares training-point decision values with
// the plain solver at tolerance 1e−9 on every golden dataset and kernel.
func TestAgainstReferenceSolver(t *testing.T) {
	for _, g := range goldenCases {
		if !g.Shrinking || g.Data == "overlap" {
			continue // the overlap case is slow for the plain solver
		}
		x, y, m := trainCase(t, g, 1e-9, true)
		want := referenceSolve(x, y, m.Kernel(), g.CPos, g.CNeg, 1e-9)
		var worst float64
		for i, xi := range x {
			worst = max(worst, math.Abs(m.Decision(xi)-want[i]))
		}
		t.Logf("%-26s max |Δf| on training points %.2g", g.Name, worst)
		if worst > 1e-4 {
			t.Errorf("%s: decision values differ from the reference solver's by %v", g.Name, worst)
		}
	}
}

func TestValidation(t *testing.T) {
	ok := [][]float64{{0, 1}, {1, 0}}
	cases := []struct {
		name string
		x    [][]float64
		y    []bool
		cfg  Config
		want error
	}{
		{"empty", nil, nil, Config{}, ErrEmpty},
		{"no features", [][]float64{{}, {}}, []bool{true, false}, Config{}, ErrEmpty},
		{"label count", ok, []bool{true}, Config{}, ErrRagged},
		{"ragged", [][]float64{{0, 1}, {1}}, []bool{true, false}, Config{}, ErrRagged},
		{"NaN", [][]float64{{0, math.NaN()}, {1, 0}}, []bool{true, false}, Config{}, ErrNotFinite},
		{"Inf", [][]float64{{0, 1}, {math.Inf(1), 0}}, []bool{true, false}, Config{}, ErrNotFinite},
		{"one class", ok, []bool{true, true}, Config{}, ErrOneClass},
		{"negative C", ok, []bool{true, false}, Config{C: -1}, ErrConfig},
		{"NaN CPos", ok, []bool{true, false}, Config{CPos: math.NaN()}, ErrConfig},
		{"negative CNeg", ok, []bool{true, false}, Config{CNeg: -2}, ErrConfig},
		{"negative Tol", ok, []bool{true, false}, Config{Tol: -1e-3}, ErrConfig},
		{"negative cache", ok, []bool{true, false}, Config{CacheMB: -1}, ErrConfig},
		{"negative gamma", ok, []bool{true, false}, Config{Kernel: Kernel{Gamma: -1}}, ErrConfig},
		{"negative degree", ok, []bool{true, false}, Config{Kernel: Kernel{Type: Poly, Degree: -1}}, ErrConfig},
		{"unknown kernel", ok, []bool{true, false}, Config{Kernel: Kernel{Type: 7}}, ErrConfig},
	}
	for _, c := range cases {
		m, err := Train(c.x, c.y, c.cfg)
		if !errors.Is(err, c.want) || m != nil {
			t.Errorf("%s: Train = %v, %v; want error %v", c.name, m, err, c.want)
		}
	}
	if m, err := Train(ok, []bool{true, false}, Config{}); err != nil || !m.Converged() {
		t.Errorf("smallest valid problem: %v", err)
	}
}

func TestPredictAndDefaults(t *testing.T) {
	x, y := separableData()
	m, err := Train(x, y, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if k := m.Kernel(); k.Type != RBF || k.Gamma <= 0 {
		t.Errorf("default kernel %+v, want RBF with gamma scale", k)
	}
	if cPos, cNeg := m.Penalties(); cPos != DefaultC || cNeg != DefaultC {
		t.Errorf("default penalties %v %v", cPos, cNeg)
	}
	for i, xi := range x {
		if m.Predict(xi) != y[i] || (m.Decision(xi) >= 0) != y[i] {
			t.Errorf("row %d misclassified: decision %v", i, m.Decision(xi))
		}
	}
	// Poly's degree 0 means 3.
	mp, err := Train(x, y, Config{Kernel: Kernel{Type: Poly, Gamma: 0.1}})
	if err != nil {
		t.Fatal(err)
	}
	if mp.Kernel().Degree != 3 {
		t.Errorf("poly degree %d, want 3", mp.Kernel().Degree)
	}
	// Decision panics on a wrong length; Probability without the sigmoid.
	for name, f := range map[string]func(){
		"decision":    func() { m.Decision([]float64{1}) },
		"probability": func() { m.Probability(x[0]) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestMaxIter(t *testing.T) {
	x, y := overlapData()
	m, err := Train(x, y, Config{Kernel: Kernel{Gamma: 1}, C: 10, MaxIter: 5, Shrinking: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.Converged() || m.Iterations() != 5 {
		t.Errorf("MaxIter 5: converged %v after %d iterations", m.Converged(), m.Iterations())
	}
	m, err = Train(x, y, Config{Kernel: Kernel{Gamma: 1}, C: 10, MaxIter: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Converged() {
		t.Error("MaxIter −1 (no bound) did not converge")
	}
}

func TestLabelsFromSign(t *testing.T) {
	got, err := LabelsFromSign([]float64{1, -1, 1})
	if err != nil || !slices.Equal(got, []bool{true, false, true}) {
		t.Errorf("LabelsFromSign = %v, %v", got, err)
	}
	if _, err := LabelsFromSign([]float64{1, 0}); !errors.Is(err, ErrConfig) {
		t.Errorf("label 0: %v", err)
	}
}

// TestProbabilityCalibrated fits two unit-variance Gaussians at ±1 with
// equal priors, whose true posterior is 1/(1 + exp(−2x)), and checks that
// Platt's probabilities follow it within 0.06 on [−2, 2], increase with the
// decision value, and are reproducible from the seed.
func TestProbabilityCalibrated(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const n = 1000
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range n {
		y[i] = i%2 == 0
		x[i] = []float64{rng.NormFloat64() - 1}
		if y[i] {
			x[i][0] += 2
		}
	}
	cfg := Config{Kernel: Kernel{Type: Linear}, Shrinking: true, Probability: true, Seed: 3}
	m, err := Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	prev := math.Inf(-1)
	for v := -2.0; v <= 2; v += 0.25 {
		p := m.Probability([]float64{v})
		truth := 1 / (1 + math.Exp(-2*v))
		worst = max(worst, math.Abs(p-truth))
		if !(p >= prev) {
			t.Errorf("P(%v) = %v below P at a smaller x (%v)", v, p, prev)
		}
		prev = p
	}
	a, b := m.Sigmoid()
	t.Logf("sigmoid A %.3f B %.3f; max |P − true posterior| on [−2, 2]: %.3f", a, b, worst)
	if worst > 0.06 {
		t.Errorf("probabilities are off the true posterior by up to %v", worst)
	}
	again, err := Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a2, b2 := again.Sigmoid(); a2 != a || b2 != b {
		t.Errorf("same seed, different sigmoid: (%v, %v) vs (%v, %v)", a, b, a2, b2)
	}
}

// TestSigmoidTrainRecoversSigmoid fits labels drawn from a known sigmoid.
func TestSigmoidTrainRecoversSigmoid(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const wantA, wantB = -2.0, 0.5
	dec := make([]float64, 20000)
	y := make([]bool, len(dec))
	for i := range dec {
		dec[i] = 4*rng.Float64() - 2
		y[i] = rng.Float64() < sigmoid(dec[i], wantA, wantB)
	}
	a, b := sigmoidTrain(dec, y)
	if math.Abs(a-wantA) > 0.1 || math.Abs(b-wantB) > 0.1 {
		t.Errorf("sigmoidTrain = (%v, %v), want about (%v, %v)", a, b, wantA, wantB)
	}
}

func TestClassWeightsAD(t *testing.T) {
	// Positives at 0, 1, 2 (nearest neighbour 1 apart: ρ+ = 1), negatives
	// at 0, 2, …, 18 (2 apart: ρ− = 0.5). n = 13.
	var x [][]float64
	var y []bool
	for i := range 3 {
		x, y = append(x, []float64{float64(i)}), append(y, true)
	}
	for i := range 10 {
		x, y = append(x, []float64{float64(2 * i)}), append(y, false)
	}
	rhoPos, rhoNeg, err := ClassDensities(x, y, 1)
	if err != nil || rhoPos != 1 || rhoNeg != 0.5 {
		t.Fatalf("ClassDensities = %v, %v, %v; want 1, 0.5", rhoPos, rhoNeg, err)
	}
	cPos, cNeg, err := ClassWeightsAD(x, y, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantPos, wantNeg := 2*13*1/(3*1.5), 2*13*0.5/(10*1.5)
	if !closeTo(cPos, wantPos, 1e-14, 0) || !closeTo(cNeg, wantNeg, 1e-14, 0) {
		t.Errorf("ClassWeightsAD = %v, %v; want %v, %v", cPos, cNeg, wantPos, wantNeg)
	}
	if mean := (3*cPos + 10*cNeg) / 13; !closeTo(mean, 2, 1e-14, 0) {
		t.Errorf("mean penalty %v, want 2", mean)
	}

	// Equal densities: AD is IR. Scaling the features changes nothing.
	xi, yi := imbalancedData()
	irPos, irNeg, err := ClassWeightsIR(yi, 1)
	if err != nil {
		t.Fatal(err)
	}
	adPos, adNeg, err := ClassWeightsAD(xi, yi, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	scaled := make([][]float64, len(xi))
	for i, r := range xi {
		scaled[i] = []float64{8 * r[0], 8 * r[1]}
	}
	sPos, sNeg, err := ClassWeightsAD(scaled, yi, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !closeTo(sPos, adPos, 1e-12, 0) || !closeTo(sNeg, adNeg, 1e-12, 0) {
		t.Errorf("scaled features: AD %v %v, unscaled %v %v", sPos, sNeg, adPos, adNeg)
	}
	t.Logf("imbalanced set: IR C+ %.3f C− %.3f; AD (k=5) C+ %.3f C− %.3f", irPos, irNeg, adPos, adNeg)
	if adPos <= adNeg {
		t.Errorf("AD gives the minority %v, the majority %v", adPos, adNeg)
	}
	same := [][]float64{{0}, {1}, {2}, {10}, {11}, {12}}
	sy := []bool{true, true, true, false, false, false}
	p1, n1, _ := ClassWeightsIR(sy, 1)
	p2, n2, err := ClassWeightsAD(same, sy, 1, 0)
	if err != nil || p1 != p2 || n1 != n2 {
		t.Errorf("equal densities: AD (%v, %v, %v), IR (%v, %v)", p2, n2, err, p1, n1)
	}

	// Errors.
	if _, _, err := ClassWeightsAD([][]float64{{0}, {1}, {2}}, []bool{true, false, false}, 1, 0); !errors.Is(err, ErrConfig) {
		t.Errorf("single-point class: %v", err)
	}
	if _, _, err := ClassWeightsAD([][]float64{{0}, {0}, {1}, {2}}, []bool{true, true, false, false}, 1, 0); !errors.Is(err, ErrConfig) {
		t.Errorf("coincident class: %v", err)
	}
	if _, _, err := ClassWeightsAD(same, sy, 0, 0); !errors.Is(err, ErrConfig) {
		t.Errorf("c = 0: %v", err)
	}
	if _, _, err := ClassWeightsIR([]bool{true, true}, 1); !errors.Is(err, ErrOneClass) {
		t.Errorf("one class: %v", err)
	}
}

func TestScaleGamma(t *testing.T) {
	// Entries 0, 2, 4, 6: variance 5; two features → γ = 1/10.
	if g := ScaleGamma([]float64{0, 2, 4, 6}, 2); !closeTo(g, 0.1, 1e-15, 0) {
		t.Errorf("ScaleGamma = %v, want 0.1", g)
	}
	if g := ScaleGamma([]float64{3, 3}, 1); g != 1 {
		t.Errorf("constant data: ScaleGamma = %v, want 1", g)
	}
}
