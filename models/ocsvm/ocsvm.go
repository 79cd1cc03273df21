package ocsvm

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/vigil-ml/vigil/models/svm"
)

// Errors that Train wraps; test them with errors.Is.
var (
	// ErrEmpty: no rows, or rows without features.
	ErrEmpty = errors.New("no training data")
	// ErrRagged: rows of different lengths.
	ErrRagged = errors.New("inconsistent shapes")
	// ErrNotFinite: a NaN or infinite feature.
	ErrNotFinite = errors.New("feature not finite")
	// ErrConfig: a setting out of range.
	ErrConfig = errors.New("invalid configuration")
)

const (
	// DefaultNu is scikit-learn's nu.
	DefaultNu = 0.5
	// DefaultTol is the stopping tolerance of LIBSVM and scikit-learn.
	DefaultTol = 1e-3
	// DefaultCacheMB is scikit-learn's cache_size.
	DefaultCacheMB = 200
)

// Config sets up Train. The zero value is scikit-learn's OneClassSVM():
// ν = 0.5, RBF kernel with γ = "scale", tol 1e−3, shrinking on.
type Config struct {
	// Nu is ν in (0, 1]: an upper bound on the fraction of training rows
	// outside the boundary and a lower bound on the fraction of support
	// vectors. Zero means DefaultNu.
	Nu float64
	// Kernel is the kernel; its zero value is RBF with γ = "scale",
	// 1/(d·Var(X)) (see svm.Kernel). A zero Degree of Poly means 3.
	Kernel svm.Kernel
	// Tol is the stopping tolerance on the maximal KKT violation; zero
	// means DefaultTol.
	Tol float64
	// CacheMB bounds the kernel cache; zero means DefaultCacheMB. It
	// changes the speed only.
	CacheMB int
	// NoShrinking turns LIBSVM's shrinking heuristic off (scikit-learn's
	// shrinking=False). The zero value, false, shrinks, as scikit-learn
	// does by default. Both reach the same solution within Tol.
	NoShrinking bool
	// MaxIter bounds the SMO iterations; zero means max(10⁷, 100·n) as in
	// LIBSVM, negative means no bound (scikit-learn's max_iter=−1). A model
	// stopped by it reports Converged() == false.
	MaxIter int
}

// Model is a trained one-class SVM. Its decision function is
// f(x) = Σ_k α_k K(sv_k, x) − ρ, positive inside the learned support.
type Model struct {
	kernel    svm.Kernel
	d         int
	nu        float64
	sv        []float64 // support vectors, row-major
	index     []int     // their training rows, ascending
	coef      []float64 // α_k in (0, 1]
	rho       float64
	obj       float64
	iter      int
	converged bool
}

// Train fits a one-class SVM (Schölkopf et al. 2001) to rows x by solving
// LIBSVM's ONE_CLASS dual
//
//	min ½αᵀKα  subject to  Σα_i = νℓ,  0 ≤ α_i ≤ 1,
//
// (Schölkopf's dual scaled by νℓ) with LIBSVM's SMO started from its
// feasible point: α_i = 1 for the first ⌊νℓ⌋ rows, the remainder on the
// next. It returns an error wrapping ErrEmpty, ErrRagged, ErrNotFinite or
// ErrConfig for bad input; x is neither modified nor retained.
func Train(x [][]float64, cfg Config) (*Model, error) {
	flat, d, err := validate(x)
	if err != nil {
		return nil, err
	}
	k, err := resolveKernel(cfg.Kernel, flat, d)
	if err != nil {
		return nil, err
	}
	nu, tol := cfg.Nu, cfg.Tol
	if nu == 0 {
		nu = DefaultNu
	}
	if !(nu > 0 && nu <= 1) {
		return nil, fmt.Errorf("ocsvm: Nu = %v, want in (0, 1] (0 = %v): %w", cfg.Nu, DefaultNu, ErrConfig)
	}
	if tol == 0 {
		tol = DefaultTol
	}
	if !(tol > 0) || math.IsInf(tol, 0) {
		return nil, fmt.Errorf("ocsvm: Tol = %v, want finite and > 0 (0 = default): %w", cfg.Tol, ErrConfig)
	}
	if cfg.CacheMB < 0 {
		return nil, fmt.Errorf("ocsvm: CacheMB = %d, want ≥ 0: %w", cfg.CacheMB, ErrConfig)
	}
	mb := cfg.CacheMB
	if mb == 0 {
		mb = DefaultCacheMB
	}
	maxIter := cfg.MaxIter
	switch {
	case maxIter == 0:
		maxIter = max(10_000_000, 100*len(x))
	case maxIter < 0:
		maxIter = 0
	}
	m := train(flat, d, k, nu, tol, !cfg.NoShrinking, maxIter, mb<<20/4)
	if math.IsNaN(m.rho) || math.IsInf(m.rho, 0) {
		// ν = 1 (or νℓ ≥ ℓ) puts every α at its bound, and no ρ is
		// determined; scikit-learn raises on it too.
		return nil, fmt.Errorf("ocsvm: ν = %v bounds every multiplier, so ρ is undefined (%v): %w", nu, m.rho, ErrConfig)
	}
	return m, nil
}

// train solves the dual on validated data with a cache of cacheEntries
// float32 values.
func train(flat []float64, d int, k svm.Kernel, nu, tol float64, shrinking bool, maxIter, cacheEntries int) *Model {
	l := len(flat) / d
	y, p, c := make([]bool, l), make([]float64, l), make([]float64, l)
	for i := range c {
		y[i], c[i] = true, 1
	}
	// LIBSVM's ONE_CLASS: every label +1, no linear term, bounds 1, from
	// its feasible start; the same solver as svm.Train's.
	sol := svm.SolveDual(k, flat, d, y, p, c, initialAlpha(c, nu),
		svm.DualOptions{Tol: tol, Shrinking: shrinking, MaxIter: maxIter, CacheEntries: cacheEntries})
	m := &Model{kernel: k, d: d, nu: nu, rho: sol.Rho, obj: sol.Obj, iter: sol.Iter, converged: sol.Converged}
	for i, a := range sol.Alpha {
		if a > 0 {
			m.index = append(m.index, i)
			m.coef = append(m.coef, a)
			m.sv = append(m.sv, flat[i*d:(i+1)*d]...)
		}
	}
	return m
}

// initialAlpha is scikit-learn's LIBSVM starting point: νℓ, accumulated
// as Σ_i ν·C_i, poured into α in row order, each up to its bound C_i.
func initialAlpha(c []float64, nu float64) []float64 {
	var nuL float64
	for _, ci := range c {
		nuL += ci * nu
	}
	alpha := make([]float64, len(c))
	for i := 0; nuL > 0 && i < len(c); i++ {
		alpha[i] = min(c[i], nuL)
		nuL -= alpha[i]
	}
	return alpha
}

func validate(x [][]float64) ([]float64, int, error) {
	if len(x) == 0 {
		return nil, 0, fmt.Errorf("ocsvm: %w", ErrEmpty)
	}
	d := len(x[0])
	if d == 0 {
		return nil, 0, fmt.Errorf("ocsvm: rows have no features: %w", ErrEmpty)
	}
	flat := make([]float64, 0, len(x)*d)
	for i, row := range x {
		if len(row) != d {
			return nil, 0, fmt.Errorf("ocsvm: row %d has %d features, row 0 has %d: %w", i, len(row), d, ErrRagged)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, 0, fmt.Errorf("ocsvm: x[%d][%d] = %v: %w", i, j, v, ErrNotFinite)
			}
		}
		flat = append(flat, row...)
	}
	return flat, d, nil
}

// resolveKernel checks k and fills in its defaults (γ "scale", degree 3)
// from the training rows.
func resolveKernel(k svm.Kernel, flat []float64, d int) (svm.Kernel, error) {
	switch k.Type {
	case svm.RBF, svm.Linear, svm.Poly:
	default:
		return k, fmt.Errorf("ocsvm: unknown kernel type %v: %w", k.Type, ErrConfig)
	}
	if k.Gamma < 0 || math.IsNaN(k.Gamma) || math.IsInf(k.Gamma, 0) {
		return k, fmt.Errorf("ocsvm: kernel gamma %v, want ≥ 0 (0 = scale): %w", k.Gamma, ErrConfig)
	}
	if k.Degree < 0 {
		return k, fmt.Errorf("ocsvm: kernel degree %d, want ≥ 0 (0 = 3): %w", k.Degree, ErrConfig)
	}
	if math.IsNaN(k.Coef0) || math.IsInf(k.Coef0, 0) {
		return k, fmt.Errorf("ocsvm: kernel coef0 %v is not finite: %w", k.Coef0, ErrConfig)
	}
	if k.Type == svm.Poly && k.Degree == 0 {
		k.Degree = 3
	}
	if k.Type != svm.Linear && k.Gamma == 0 {
		k.Gamma = svm.ScaleGamma(flat, d)
	}
	return k, nil
}

// ScoreSamples returns Σ_k α_k K(sv_k, x), scikit-learn's score_samples:
// higher inside the support. It panics if len(x) is not the number of
// training features.
func (m *Model) ScoreSamples(x []float64) float64 {
	if len(x) != m.d {
		panic(fmt.Sprintf("ocsvm: a row of %d features, the model has %d", len(x), m.d))
	}
	var f float64
	for k, a := range m.coef {
		f += a * m.kernel.Eval(m.sv[k*m.d:(k+1)*m.d], x)
	}
	return f
}

// Decision returns f(x) = ScoreSamples(x) − ρ, scikit-learn's
// decision_function: positive for inliers, negative for outliers. It
// panics as ScoreSamples does.
func (m *Model) Decision(x []float64) float64 { return m.ScoreSamples(x) - m.rho }

// Score returns −Decision(x): higher for more anomalous rows, positive
// outside the support. It panics as ScoreSamples does.
func (m *Model) Score(x []float64) float64 { return -m.Decision(x) }

// Outlier reports whether x lies outside the support: Decision(x) ≤ 0
// (LIBSVM and scikit-learn predict −1 there, +1 only for f(x) > 0). It
// panics as ScoreSamples does.
func (m *Model) Outlier(x []float64) bool { return m.Decision(x) <= 0 }

// SupportVectors returns the training rows with α_i > 0, ascending
// (scikit-learn's support_). The slice is a copy.
func (m *Model) SupportVectors() []int { return slices.Clone(m.index) }

// DualCoef returns α_i of SupportVectors in the same order, in LIBSVM's
// scale 0 < α_i ≤ 1 with Σα = νℓ (scikit-learn's dual_coef_). The slice
// is a copy.
func (m *Model) DualCoef() []float64 { return slices.Clone(m.coef) }

// Rho returns ρ, the offset of the decision function: scikit-learn's
// offset_, and −intercept_.
func (m *Model) Rho() float64 { return m.rho }

// Nu returns the resolved ν.
func (m *Model) Nu() float64 { return m.nu }

// Iterations returns the number of SMO steps (scikit-learn's n_iter_).
func (m *Model) Iterations() int { return m.iter }

// Converged reports whether the solver reached Tol before MaxIter.
func (m *Model) Converged() bool { return m.converged }

// Objective returns the dual objective ½αᵀKα at the solution.
func (m *Model) Objective() float64 { return m.obj }

// Kernel returns the kernel with its defaults resolved.
func (m *Model) Kernel() svm.Kernel { return m.kernel }

// NumFeatures returns the length of the rows the model takes.
func (m *Model) NumFeatures() int { return m.d }
