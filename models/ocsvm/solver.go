package ocsvm

import (
	"math"

	"github.com/vigil-ml/vigil/models/svm"
)

// tau replaces a non-positive curvature in a two-variable step (LIBSVM's
// TAU).
const tau = 1e-12

const (
	atLower uint8 = iota
	atUpper
	free
)

// kernelMatrix serves columns of K, rounded to float32 as LIBSVM stores
// them; the diagonal stays float64.
type kernelMatrix struct {
	kernel svm.Kernel
	x      []float64 // rows, row-major
	d      int
	diag   []float64
	cache  *columnCache
}

func newKernelMatrix(k svm.Kernel, x []float64, d, cacheEntries int) *kernelMatrix {
	l := len(x) / d
	q := &kernelMatrix{kernel: k, x: x, d: d, diag: make([]float64, l), cache: newColumnCache(l, cacheEntries)}
	for i := range l {
		xi := q.row(i)
		q.diag[i] = k.Eval(xi, xi)
	}
	return q
}

func (q *kernelMatrix) row(i int) []float64 { return q.x[i*q.d : (i+1)*q.d] }

// column returns K(x_i, x_r) for every row r.
func (q *kernelMatrix) column(i int) []float32 {
	return q.cache.get(i, func(col []float32) {
		xi := q.row(i)
		for r := range col {
			col[r] = float32(q.kernel.Eval(xi, q.row(r)))
		}
	})
}

// solver is LIBSVM's Solver (Fan, Chen and Lin 2005) specialized to the
// one-class dual
//
//	min ½αᵀKα  subject to  eᵀα = νℓ,  0 ≤ α_t ≤ 1,
//
// where every label is +1 and the linear term is zero: SMO with
// second-order working-set selection, optional shrinking with gradient
// reconstruction, started from LIBSVM's feasible α. Statements follow
// svm.cpp so that the iterates are LIBSVM's (and scikit-learn's).
// Variables are addressed by position; active[t] is the training row at
// position t, which shrinking permutes.
type solver struct {
	q          *kernelMatrix
	l          int
	activeSize int
	g          []float64 // gradient Kα
	gBar       []float64 // Σ_{α_j = C_j} C_j K_tj
	alpha, c   []float64
	status     []uint8
	active     []int
	eps        float64
	unshrink   bool
}

type solution struct {
	alpha     []float64 // by training row
	rho       float64
	obj       float64 // ½αᵀKα
	iter      int
	converged bool
}

// at returns Q_{position t} from column col (a column of some row).
func (s *solver) at(col []float32, t int) float64 { return float64(col[s.active[t]]) }

func (s *solver) qd(t int) float64 { return s.q.diag[s.active[t]] }

func (s *solver) column(t int) []float32 { return s.q.column(s.active[t]) }

// solve runs the solver from alpha0 with upper bounds c to the tolerance
// eps on the maximal violation; it stops after maxIter iterations when
// maxIter > 0.
func solve(q *kernelMatrix, alpha0, c []float64, eps float64, shrinking bool, maxIter int) solution {
	l := len(alpha0)
	s := &solver{
		q: q, l: l, activeSize: l,
		g:      make([]float64, l),
		gBar:   make([]float64, l),
		alpha:  append([]float64(nil), alpha0...),
		c:      append([]float64(nil), c...),
		status: make([]uint8, l),
		active: make([]int, l),
		eps:    eps,
	}
	for t := range l {
		s.updateStatus(t)
		s.active[t] = t
	}
	// The gradient at α0 (the linear term is zero).
	for i := range l {
		if s.status[i] == atLower {
			continue
		}
		qi := s.column(i)
		ai := s.alpha[i]
		for j := range l {
			s.g[j] += ai * s.at(qi, j)
		}
		if s.status[i] == atUpper {
			for j := range l {
				s.gBar[j] += s.c[i] * s.at(qi, j)
			}
		}
	}

	iter := 0
	counter := min(l, 1000) + 1
	converged := false
	for maxIter <= 0 || iter < maxIter {
		counter--
		if counter == 0 {
			counter = min(l, 1000)
			if shrinking {
				s.shrink()
			}
		}
		i, j, ok := s.selectWorkingSet()
		if !ok {
			s.reconstructGradient()
			s.activeSize = l
			i, j, ok = s.selectWorkingSet()
			if !ok {
				converged = true
				break
			}
			counter = 1 // shrink at the next iteration
		}
		iter++
		s.step(i, j)
	}
	if !converged && s.activeSize < l {
		s.reconstructGradient()
		s.activeSize = l
	}

	out := solution{alpha: make([]float64, l), rho: s.rho(), iter: iter, converged: converged}
	var v float64
	for t := range l {
		v += s.alpha[t] * s.g[t]
		out.alpha[s.active[t]] = s.alpha[t]
	}
	out.obj = v / 2
	return out
}

func (s *solver) updateStatus(t int) {
	switch {
	case s.alpha[t] >= s.c[t]:
		s.status[t] = atUpper
	case s.alpha[t] <= 0:
		s.status[t] = atLower
	default:
		s.status[t] = free
	}
}

// step optimizes the pair (i, j) analytically (both labels +1), clips to
// the box, and updates the gradient, the bound status and gBar.
func (s *solver) step(i, j int) {
	qi := s.column(i)
	qj := s.column(j)
	ci, cj := s.c[i], s.c[j]
	a := s.alpha
	oldI, oldJ := a[i], a[j]

	quad := s.qd(i) + s.qd(j) - float64(2*s.at(qi, j))
	if quad <= 0 {
		quad = tau
	}
	delta := (s.g[i] - s.g[j]) / quad
	sum := a[i] + a[j]
	a[i] -= delta
	a[j] += delta
	if sum > ci {
		if a[i] > ci {
			a[i] = ci
			a[j] = sum - ci
		}
	} else if a[j] < 0 {
		a[j] = 0
		a[i] = sum
	}
	if sum > cj {
		if a[j] > cj {
			a[j] = cj
			a[i] = sum - cj
		}
	} else if a[i] < 0 {
		a[i] = 0
		a[j] = sum
	}

	dI, dJ := a[i]-oldI, a[j]-oldJ
	for k := range s.activeSize {
		s.g[k] += float64(s.at(qi, k)*dI) + float64(s.at(qj, k)*dJ)
	}

	wasUpperI, wasUpperJ := s.status[i] == atUpper, s.status[j] == atUpper
	s.updateStatus(i)
	s.updateStatus(j)
	s.moveGBar(i, wasUpperI, ci)
	s.moveGBar(j, wasUpperJ, cj)
}

// moveGBar adds or removes C_t K_t from gBar when t entered or left its
// upper bound.
func (s *solver) moveGBar(t int, wasUpper bool, ct float64) {
	if wasUpper == (s.status[t] == atUpper) {
		return
	}
	qt := s.column(t)
	if wasUpper {
		for k := range s.l {
			s.gBar[k] -= ct * s.at(qt, k)
		}
	} else {
		for k := range s.l {
			s.gBar[k] += ct * s.at(qt, k)
		}
	}
}

// selectWorkingSet is WSS2 with every label +1: i maximizes −∇_t over the
// variables below their upper bound, j minimizes the second-order decrease
// over those above zero. It reports false when the maximal violation is
// below eps.
func (s *solver) selectWorkingSet() (int, int, bool) {
	gmax, gmax2 := math.Inf(-1), math.Inf(-1)
	gmaxIdx, gminIdx := -1, -1
	objDiffMin := math.Inf(1)
	for t := range s.activeSize {
		if s.status[t] != atUpper && -s.g[t] >= gmax {
			gmax = -s.g[t]
			gmaxIdx = t
		}
	}
	i := gmaxIdx
	var qi []float32
	var qdI float64
	if i != -1 {
		qi = s.column(i)
		qdI = s.qd(i)
	}
	for j := range s.activeSize {
		if s.status[j] == atLower {
			continue
		}
		gradDiff := gmax + s.g[j]
		if s.g[j] >= gmax2 {
			gmax2 = s.g[j]
		}
		if gradDiff <= 0 {
			continue
		}
		quad := qdI + s.qd(j) - float64(2*s.at(qi, j))
		var objDiff float64
		if quad > 0 {
			objDiff = -float64(gradDiff*gradDiff) / quad
		} else {
			objDiff = -float64(gradDiff*gradDiff) / tau
		}
		if objDiff <= objDiffMin {
			gminIdx = j
			objDiffMin = objDiff
		}
	}
	if gmax+gmax2 < s.eps || gminIdx == -1 {
		return 0, 0, false
	}
	return gmaxIdx, gminIdx, true
}

// reconstructGradient recomputes the gradient of the shrunk variables from
// gBar and the free variables, reading whichever columns are fewer, as
// LIBSVM does.
func (s *solver) reconstructGradient() {
	if s.activeSize == s.l {
		return
	}
	for j := s.activeSize; j < s.l; j++ {
		s.g[j] = s.gBar[j]
	}
	nFree := 0
	for j := range s.activeSize {
		if s.status[j] == free {
			nFree++
		}
	}
	if nFree*s.l > 2*s.activeSize*(s.l-s.activeSize) {
		for i := s.activeSize; i < s.l; i++ {
			qi := s.column(i)
			for j := range s.activeSize {
				if s.status[j] == free {
					s.g[i] += s.alpha[j] * s.at(qi, j)
				}
			}
		}
		return
	}
	for i := range s.activeSize {
		if s.status[i] != free {
			continue
		}
		qi := s.column(i)
		ai := s.alpha[i]
		for j := s.activeSize; j < s.l; j++ {
			s.g[j] += ai * s.at(qi, j)
		}
	}
}

func (s *solver) beShrunk(t int, gmax1, gmax2 float64) bool {
	switch s.status[t] {
	case atUpper:
		return -s.g[t] > gmax1
	case atLower:
		return s.g[t] > gmax2
	}
	return false
}

// shrink moves the bounded variables that cannot be selected soon past the
// end of the active set; once the violation is within 10·eps it first
// restores the whole set (once).
func (s *solver) shrink() {
	gmax1, gmax2 := math.Inf(-1), math.Inf(-1)
	for t := range s.activeSize {
		if s.status[t] != atUpper && -s.g[t] >= gmax1 {
			gmax1 = -s.g[t]
		}
		if s.status[t] != atLower && s.g[t] >= gmax2 {
			gmax2 = s.g[t]
		}
	}
	if !s.unshrink && gmax1+gmax2 <= s.eps*10 {
		s.unshrink = true
		s.reconstructGradient()
		s.activeSize = s.l
	}
	for t := 0; t < s.activeSize; t++ {
		if !s.beShrunk(t, gmax1, gmax2) {
			continue
		}
		s.activeSize--
		for s.activeSize > t {
			if !s.beShrunk(s.activeSize, gmax1, gmax2) {
				s.swap(t, s.activeSize)
				break
			}
			s.activeSize--
		}
	}
}

func (s *solver) swap(i, j int) {
	s.g[i], s.g[j] = s.g[j], s.g[i]
	s.gBar[i], s.gBar[j] = s.gBar[j], s.gBar[i]
	s.alpha[i], s.alpha[j] = s.alpha[j], s.alpha[i]
	s.c[i], s.c[j] = s.c[j], s.c[i]
	s.status[i], s.status[j] = s.status[j], s.status[i]
	s.active[i], s.active[j] = s.active[j], s.active[i]
}

// rho is ρ = ∇_t averaged over the free variables, or the midpoint of the
// range the bounded ones allow when none is free.
func (s *solver) rho() float64 {
	nFree := 0
	ub, lb, sumFree := math.Inf(1), math.Inf(-1), 0.0
	for t := range s.activeSize {
		switch s.status[t] {
		case atUpper:
			lb = max(lb, s.g[t])
		case atLower:
			ub = min(ub, s.g[t])
		default:
			nFree++
			sumFree += s.g[t]
		}
	}
	if nFree > 0 {
		return sumFree / float64(nFree)
	}
	return (ub + lb) / 2
}
