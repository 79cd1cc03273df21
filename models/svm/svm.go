package svm

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Errors that Train and the penalty rules wrap; test them with errors.Is.
var (
	// ErrEmpty: no samples, or rows without features.
	ErrEmpty = errors.New("no training data")
	// ErrRagged: rows of different lengths, or as many labels as rows not.
	ErrRagged = errors.New("inconsistent shapes")
	// ErrNotFinite: a NaN or infinite feature.
	ErrNotFinite = errors.New("non-finite value")
	// ErrOneClass: every label is the same.
	ErrOneClass = errors.New("only one class")
	// ErrConfig: a configuration value out of range.
	ErrConfig = errors.New("invalid configuration")
)

// Defaults for the zero values of Config.
const (
	DefaultC       = 1.0
	DefaultTol     = 1e-3
	DefaultCacheMB = 200 // scikit-learn's cache_size
)

// Config sets up Train. The zero value is scikit-learn's SVC() without
// shrinking: RBF kernel with γ = "scale", C = 1, tol = 1e-3.
type Config struct {
	// Kernel is the kernel; the zero value is RBF with γ = "scale".
	Kernel Kernel
	// C is the penalty of both classes unless CPos or CNeg is set; zero
	// means DefaultC.
	C float64
	// CPos is the penalty C+ of the positive (true) class, the minority in
	// a Biased-SVM; zero means C.
	CPos float64
	// CNeg is the penalty C− of the negative (false) class; zero means C.
	CNeg float64
	// Tol is the stopping tolerance: the solver stops when the maximal
	// violating pair's gap m(α) − M(α) is below it. Zero means DefaultTol
	// (LIBSVM's eps and scikit-learn's tol).
	Tol float64
	// CacheMB is the kernel cache in MiB (2²⁰ bytes of float32 entries,
	// never less than two columns); zero means DefaultCacheMB. It changes
	// the speed only, never the result.
	CacheMB int
	// Shrinking enables LIBSVM's shrinking heuristic (its default, -h 1;
	// scikit-learn's shrinking=True). The zero value, false, solves
	// without it. Both reach the same solution within Tol.
	Shrinking bool
	// MaxIter bounds the SMO iterations; zero means
	// max(10⁷, 100·n) as in LIBSVM, negative means no bound (scikit-learn's
	// max_iter=-1). A model stopped by it reports Converged() == false.
	MaxIter int
	// Probability fits Platt's sigmoid to 5-fold cross-validated decision
	// values so that Model.Probability works; it trains five more models.
	Probability bool
	// Seed seeds the PCG that shuffles the cross-validation folds of
	// Probability. Every seed gives a deterministic model.
	Seed uint64
}

// resolved is a Config with its defaults filled in.
type resolved struct {
	cPos, cNeg   float64
	tol          float64
	cacheEntries int
	shrinking    bool
	maxIter      int // ≤ 0: no bound
}

func (cfg Config) resolve(n int) (resolved, error) {
	if err := cfg.Kernel.validate(); err != nil {
		return resolved{}, err
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"C", cfg.C}, {"CPos", cfg.CPos}, {"CNeg", cfg.CNeg}, {"Tol", cfg.Tol}} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return resolved{}, fmt.Errorf("svm: %s = %v, want finite and ≥ 0 (0 = default): %w", f.name, f.v, ErrConfig)
		}
	}
	if cfg.CacheMB < 0 {
		return resolved{}, fmt.Errorf("svm: CacheMB = %d, want ≥ 0: %w", cfg.CacheMB, ErrConfig)
	}
	r := resolved{cPos: cfg.CPos, cNeg: cfg.CNeg, tol: cfg.Tol, shrinking: cfg.Shrinking, maxIter: cfg.MaxIter}
	c := cfg.C
	if c == 0 {
		c = DefaultC
	}
	if r.cPos == 0 {
		r.cPos = c
	}
	if r.cNeg == 0 {
		r.cNeg = c
	}
	if r.tol == 0 {
		r.tol = DefaultTol
	}
	mb := cfg.CacheMB
	if mb == 0 {
		mb = DefaultCacheMB
	}
	r.cacheEntries = mb << 20 / 4
	switch {
	case r.maxIter == 0:
		r.maxIter = max(10_000_000, 100*n)
	case r.maxIter < 0:
		r.maxIter = 0
	}
	return r, nil
}

// Model is a trained binary SVM. Its decision function is
// f(x) = Σ_k coef_k K(sv_k, x) + b, positive for the true class.
type Model struct {
	kernel    Kernel
	d         int
	sv        []float64 // support vectors, row-major
	index     []int     // their rows in the training data, ascending
	coef      []float64 // α_k y_k, y = +1 for true
	bias      float64
	cPos      float64
	cNeg      float64
	obj       float64
	iter      int
	converged bool
	// Platt's sigmoid P(true | f) = 1/(1 + exp(probA·f + probB)).
	probA, probB float64
	hasProb      bool
}

// Train fits a soft-margin SVM with per-class penalties to rows x and
// labels y (true = positive class) by solving the dual
//
//	min ½αᵀQα − eᵀα  subject to  yᵀα = 0,  0 ≤ α_i ≤ C_{y_i},
//
// Q_ij = y_i y_j K(x_i, x_j), with LIBSVM's SMO (see the package
// documentation). It returns an error wrapping ErrEmpty, ErrRagged,
// ErrNotFinite, ErrOneClass or ErrConfig for bad input; x and y are not
// modified or retained.
func Train(x [][]float64, y []bool, cfg Config) (*Model, error) {
	flat, d, err := validate(x, y)
	if err != nil {
		return nil, err
	}
	r, err := cfg.resolve(len(y))
	if err != nil {
		return nil, err
	}
	k := cfg.Kernel.resolve(flat, d)
	m := train(flat, d, y, k, r)
	if cfg.Probability {
		m.probA, m.probB = plattCV(flat, d, y, k, r, cfg.Seed)
		m.hasProb = true
	}
	return m, nil
}

// LabelsFromSign converts ±1 labels to Train's: +1 → true, −1 → false. Any
// other value is an error wrapping ErrConfig.
func LabelsFromSign(y []float64) ([]bool, error) {
	out := make([]bool, len(y))
	for i, v := range y {
		switch v {
		case 1:
			out[i] = true
		case -1:
		default:
			return nil, fmt.Errorf("svm: label %d is %v, want +1 or −1: %w", i, v, ErrConfig)
		}
	}
	return out, nil
}

// validate checks the training data and returns it row-major.
func validate(x [][]float64, y []bool) ([]float64, int, error) {
	if len(x) == 0 {
		return nil, 0, fmt.Errorf("svm: %w", ErrEmpty)
	}
	if len(y) != len(x) {
		return nil, 0, fmt.Errorf("svm: %d labels for %d rows: %w", len(y), len(x), ErrRagged)
	}
	d := len(x[0])
	if d == 0 {
		return nil, 0, fmt.Errorf("svm: rows have no features: %w", ErrEmpty)
	}
	flat := make([]float64, 0, len(x)*d)
	for i, row := range x {
		if len(row) != d {
			return nil, 0, fmt.Errorf("svm: row %d has %d features, row 0 has %d: %w", i, len(row), d, ErrRagged)
		}
		for j, v := range row {
			if v-v != 0 { // NaN for ±Inf and NaN, 0 otherwise
				return nil, 0, fmt.Errorf("svm: x[%d][%d] = %v: %w", i, j, v, ErrNotFinite)
			}
		}
		flat = append(flat, row...)
	}
	if !slices.Contains(y, true) || !slices.Contains(y, false) {
		return nil, 0, fmt.Errorf("svm: all %d labels are %v: %w", len(y), y[0], ErrOneClass)
	}
	return flat, d, nil
}

// train solves the dual on validated data. It hands the solver the samples
// the way scikit-learn's LIBSVM sees them: grouped by class, the false class
// first and labelled +1 internally, each group in input order. The dual is
// the same under either labelling, but SMO's tie-breaking is not, and this
// order makes the iterates, and so the solution at Tol, scikit-learn's.
func train(flat []float64, d int, y []bool, k Kernel, r resolved) *Model {
	n := len(y)
	perm := make([]int, 0, n) // solver position → input row
	for _, want := range []bool{false, true} {
		for i, v := range y {
			if v == want {
				perm = append(perm, i)
			}
		}
	}
	xs := make([]float64, n*d)
	ys := make([]int8, n)
	cs := make([]float64, n)
	p := make([]float64, n)
	for t, i := range perm {
		copy(xs[t*d:(t+1)*d], flat[i*d:(i+1)*d])
		ys[t], cs[t] = +1, r.cNeg
		if y[i] {
			ys[t], cs[t] = -1, r.cPos
		}
		p[t] = -1
	}
	q := newQMatrix(k, xs, d, ys, r.cacheEntries)
	sol := solve(q, p, cs, nil, r.tol, r.shrinking, r.maxIter)

	m := &Model{
		kernel: k, d: d,
		// The solver's f is Σ α_t ys_t K − ρ with ys = +1 for false; ours
		// is its negative, so b = ρ and coef = α·(+1 for true).
		bias: sol.rho,
		cPos: r.cPos, cNeg: r.cNeg,
		obj: sol.obj, iter: sol.iter, converged: sol.converged,
	}
	type sv struct {
		row  int
		coef float64
	}
	var svs []sv
	for t, a := range sol.alpha {
		if a > 0 {
			svs = append(svs, sv{perm[t], -float64(ys[t]) * a})
		}
	}
	slices.SortFunc(svs, func(a, b sv) int { return a.row - b.row })
	for _, s := range svs {
		m.index = append(m.index, s.row)
		m.coef = append(m.coef, s.coef)
		m.sv = append(m.sv, flat[s.row*d:(s.row+1)*d]...)
	}
	return m
}

// Decision returns f(x) = Σ_k coef_k K(sv_k, x) + b: positive on the true
// side, and the margin is |f| = 1. It panics if len(x) is not the number of
// training features.
func (m *Model) Decision(x []float64) float64 {
	if len(x) != m.d {
		panic(fmt.Sprintf("svm: Decision on %d features, the model has %d", len(x), m.d))
	}
	return decision(m.kernel, m.sv, m.coef, m.bias, x)
}

// decisionChunk is how many support vectors decision takes at a time.
const decisionChunk = 256

// decision is b + Σ_k coef_k K(sv_k, x), summed in the order of the
// support vectors (sv row-major, len(x) values a row), each K as
// Kernel.Eval computes it; the kernel values are computed a chunk at a time
// (simd.go), in buffers on the stack.
func decision(k Kernel, sv, coef []float64, b float64, x []float64) float64 {
	var s, kv [decisionChunk]float64
	d := len(x)
	f := b
	for lo := 0; lo < len(coef); lo += decisionChunk {
		hi := min(lo+decisionChunk, len(coef))
		out := kv[:hi-lo]
		k.values(x, sv[lo*d:hi*d], s[:hi-lo], out)
		for j, c := range coef[lo:hi] {
			f += c * out[j]
		}
	}
	return f
}

// Predict returns the class of x: Decision(x) ≥ 0 (a point on the boundary
// goes to the true class, as LIBSVM and scikit-learn assign it to their
// second class). It panics as Decision does.
func (m *Model) Predict(x []float64) bool { return m.Decision(x) >= 0 }

// Probability returns P(true | x) from Platt's sigmoid on Decision(x),
// clipped to [1e−7, 1 − 1e−7] as LIBSVM does. It panics if the model was
// trained without Config.Probability, or as Decision does.
func (m *Model) Probability(x []float64) float64 {
	if !m.hasProb {
		panic("svm: Probability on a model trained without Config.Probability")
	}
	return min(max(sigmoid(m.Decision(x), m.probA, m.probB), 1e-7), 1-1e-7)
}

// HasProbability reports whether Probability may be called.
func (m *Model) HasProbability() bool { return m.hasProb }

// Sigmoid returns Platt's parameters: P(true | f) = 1/(1 + exp(A·f + B)).
// Both are zero without Config.Probability.
func (m *Model) Sigmoid() (a, b float64) { return m.probA, m.probB }

// SupportVectors returns the training rows with α_i > 0, ascending. The
// slice is a copy.
func (m *Model) SupportVectors() []int { return slices.Clone(m.index) }

// DualCoef returns α_i y_i (y = +1 for true) for SupportVectors, in the same
// order: scikit-learn's dual_coef_. The slice is a copy.
func (m *Model) DualCoef() []float64 { return slices.Clone(m.coef) }

// Bias returns b, scikit-learn's intercept_.
func (m *Model) Bias() float64 { return m.bias }

// Iterations returns the number of SMO steps (scikit-learn's n_iter_).
func (m *Model) Iterations() int { return m.iter }

// Converged reports whether the solver reached Tol before MaxIter.
func (m *Model) Converged() bool { return m.converged }

// Objective returns the dual objective ½αᵀQα − eᵀα at the solution.
func (m *Model) Objective() float64 { return m.obj }

// Kernel returns the kernel with its defaults resolved (γ of "scale",
// degree 3).
func (m *Model) Kernel() Kernel { return m.kernel }

// Penalties returns the resolved C+ and C−.
func (m *Model) Penalties() (cPos, cNeg float64) { return m.cPos, m.cNeg }

// NumFeatures returns the length of the rows the model takes.
func (m *Model) NumFeatures() int { return m.d }
