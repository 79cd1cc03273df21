package svm

// DualOptions set SolveDual's solver: the stopping tolerance on the
// maximal violation, shrinking, an iteration cap (0: none) and the kernel
// cache in float32 entries (at least two columns are kept).
type DualOptions struct {
	Tol          float64
	Shrinking    bool
	MaxIter      int
	CacheEntries int
}

// DualSolution is SolveDual's result: α in row order, LIBSVM's ρ (the
// decision function is Σ α_t y_t K(x_t, ·) − ρ), the objective at α, the
// iterations run and whether the tolerance was met.
type DualSolution struct {
	Alpha     []float64
	Rho, Obj  float64
	Iter      int
	Converged bool
}

// SolveDual runs the solver Train uses on the general dual LIBSVM hands to
// it for its other formulations (one-class, ε-SVR, ν-SVM):
//
//	min ½αᵀQα + pᵀα  subject to  yᵀα = yᵀα₀,  0 ≤ α_t ≤ C_t,
//
// Q_ij = y_i y_j K(x_i, x_j) over the rows of flat (d features each,
// labels y: true = +1), started from the feasible alpha0. A Gamma of 0
// (and a Poly Degree of 0) is resolved as Train resolves them.
func SolveDual(k Kernel, flat []float64, d int, y []bool, p, c, alpha0 []float64, o DualOptions) DualSolution {
	k = k.resolve(flat, d)
	ys := make([]int8, len(y))
	for i, v := range y {
		ys[i] = -1
		if v {
			ys[i] = 1
		}
	}
	q := newQMatrix(k, flat, d, ys, o.CacheEntries)
	s := solve(q, p, c, alpha0, o.Tol, o.Shrinking, o.MaxIter)
	return DualSolution{Alpha: s.alpha, Rho: s.rho, Obj: s.obj, Iter: s.iter, Converged: s.converged}
}
