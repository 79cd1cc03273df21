package svm

import "math"

// tau replaces a non-positive curvature in a two-variable step (LIBSVM's
// TAU).
const tau = 1e-12

const (
	atLower uint8 = iota
	atUpper
	free
)

// solver is LIBSVM's Solver (Fan, Chen and Lin 2005) for
//
//	min ½αᵀQα + pᵀα  subject to  yᵀα = yᵀα₀,  0 ≤ α_t ≤ C_t,
//
// started from a feasible α₀ (0 for classification): SMO with second-order
// working-set selection (WSS2), optional shrinking with gradient
// reconstruction, and a kernel cache. The statement order follows LIBSVM's
// svm.cpp so that the iterates, and hence the approximate solution at a
// given tolerance, are LIBSVM's.
type solver struct {
	q          *qMatrix
	l          int
	activeSize int
	y          []int8
	g          []float64 // gradient Qα + p
	gBar       []float64 // Σ_{α_j = C_j} C_j Q_tj: the gradient part from bounded variables
	alpha, c   []float64
	p          []float64
	status     []uint8
	// upMul and lowMul fold y and the status into the scans of
	// selectWorkingSet (wss.go): −y_t (y_t) where t is in I_up (I_low),
	// else NaN.
	upMul, lowMul []float64
	active        []int // active[t]: the input index of variable t
	eps           float64
	unshrink      bool
}

// solution is the solver's output, in the input order of the variables.
type solution struct {
	alpha []float64
	// rho is LIBSVM's ρ: the decision function is Σ α_t y_t K(x_t, ·) − ρ.
	rho float64
	// obj is ½αᵀQα + pᵀα at alpha.
	obj       float64
	iter      int
	converged bool
}

// solve runs the solver on q (whose labels y it shares), linear term p and
// bounds c, from alpha0 (nil: α = 0), to the tolerance eps on the maximal
// violation m(α) − M(α). It stops after maxIter iterations when maxIter > 0.
func solve(q *qMatrix, p, c, alpha0 []float64, eps float64, shrinking bool, maxIter int) solution {
	l := len(p)
	s := &solver{
		q: q, l: l, activeSize: l,
		y:      append([]int8(nil), q.y...),
		g:      make([]float64, l),
		gBar:   make([]float64, l),
		alpha:  make([]float64, l),
		c:      append([]float64(nil), c...),
		p:      append([]float64(nil), p...),
		status: make([]uint8, l),
		upMul:  make([]float64, l),
		lowMul: make([]float64, l),
		active: make([]int, l),
		eps:    eps,
	}
	if alpha0 != nil {
		copy(s.alpha, alpha0)
	}
	for t := range l {
		s.updateStatus(t)
		s.active[t] = t
		s.g[t] = s.p[t]
	}
	// The gradient Qα + p and gBar at the start, as LIBSVM computes them.
	for i := range l {
		if s.status[i] == atLower {
			continue
		}
		qi := s.q.column(i, l)
		ai := s.alpha[i]
		for j := range l {
			s.g[j] += ai * float64(qi[j])
		}
		if s.status[i] == atUpper {
			for j := range l {
				s.gBar[j] += s.c[i] * float64(qi[j])
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
		v += s.alpha[t] * (s.g[t] + s.p[t])
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
	// I_up: y = +1 below C or y = −1 above 0; I_low: the other way round.
	y, st := float64(s.y[t]), s.status[t]
	up, low := st != atUpper, st != atLower
	if y < 0 {
		up, low = low, up
	}
	s.upMul[t], s.lowMul[t] = math.NaN(), math.NaN()
	if up {
		s.upMul[t] = -y
	}
	if low {
		s.lowMul[t] = y
	}
}

// step optimizes the pair (i, j) analytically, clipping to the box, and
// updates the gradient, the bound status and gBar.
func (s *solver) step(i, j int) {
	qi := s.q.column(i, s.activeSize)
	qj := s.q.column(j, s.activeSize)
	qd := s.q.qd
	ci, cj := s.c[i], s.c[j]
	a := s.alpha
	oldI, oldJ := a[i], a[j]

	if s.y[i] != s.y[j] {
		quad := qd[i] + qd[j] + 2*float64(qi[j])
		if quad <= 0 {
			quad = tau
		}
		delta := (-s.g[i] - s.g[j]) / quad
		diff := a[i] - a[j]
		a[i] += delta
		a[j] += delta
		if diff > 0 {
			if a[j] < 0 {
				a[j] = 0
				a[i] = diff
			}
		} else if a[i] < 0 {
			a[i] = 0
			a[j] = -diff
		}
		if diff > ci-cj {
			if a[i] > ci {
				a[i] = ci
				a[j] = ci - diff
			}
		} else if a[j] > cj {
			a[j] = cj
			a[i] = cj + diff
		}
	} else {
		quad := qd[i] + qd[j] - 2*float64(qi[j])
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
	}

	dI, dJ := a[i]-oldI, a[j]-oldJ
	gradStep(s.g[:s.activeSize], qi, qj, dI, dJ)

	wasUpperI, wasUpperJ := s.status[i] == atUpper, s.status[j] == atUpper
	s.updateStatus(i)
	s.updateStatus(j)
	s.moveGBar(i, wasUpperI, ci)
	s.moveGBar(j, wasUpperJ, cj)
}

// moveGBar adds or removes C_t Q_t from gBar when t entered or left its
// upper bound.
func (s *solver) moveGBar(t int, wasUpper bool, ct float64) {
	if wasUpper == (s.status[t] == atUpper) {
		return
	}
	gBar := s.gBar[:s.l]
	qt := s.q.column(t, s.l)[:s.l]
	if wasUpper {
		for k := range gBar {
			gBar[k] -= ct * float64(qt[k])
		}
	} else {
		for k := range gBar {
			gBar[k] += ct * float64(qt[k])
		}
	}
}

// selectWorkingSet is WSS2: i maximizes −y_t ∇_t over I_up, j minimizes the
// second-order decrease of the objective over I_low among the pairs that
// violate optimality. It reports false when the maximal violation is below
// eps.
func (s *solver) selectWorkingSet() (int, int, bool) {
	n := s.activeSize
	g := s.g[:n]
	gmax, i := wssMax(g, s.upMul)
	if i == -1 {
		// No j can follow (every gradDiff would be −Inf): no pair.
		return 0, 0, false
	}
	qi := s.q.column(i, n)
	qd := s.q.qd
	gmax2, j := wssMin(g, s.lowMul, qd, qi, gmax, qd[i], 2*float64(s.y[i]))
	if gmax+gmax2 < s.eps || j == -1 {
		return 0, 0, false
	}
	return i, j, true
}

// reconstructGradient recomputes the gradient of the shrunk variables from
// gBar and the free variables.
func (s *solver) reconstructGradient() {
	if s.activeSize == s.l {
		return
	}
	for j := s.activeSize; j < s.l; j++ {
		s.g[j] = s.gBar[j] + s.p[j]
	}
	nFree := 0
	for j := range s.activeSize {
		if s.status[j] == free {
			nFree++
		}
	}
	// Read whichever columns are fewer: one per inactive variable (active
	// part) or one per free variable (inactive part).
	if nFree*s.l > 2*s.activeSize*(s.l-s.activeSize) {
		for i := s.activeSize; i < s.l; i++ {
			qi := s.q.column(i, s.activeSize)
			for j := range s.activeSize {
				if s.status[j] == free {
					s.g[i] += s.alpha[j] * float64(qi[j])
				}
			}
		}
		return
	}
	for i := range s.activeSize {
		if s.status[i] != free {
			continue
		}
		qi := s.q.column(i, s.l)
		ai := s.alpha[i]
		for j := s.activeSize; j < s.l; j++ {
			s.g[j] += ai * float64(qi[j])
		}
	}
}

func (s *solver) beShrunk(t int, gmax1, gmax2 float64) bool {
	switch s.status[t] {
	case atUpper:
		if s.y[t] == +1 {
			return -s.g[t] > gmax1
		}
		return -s.g[t] > gmax2
	case atLower:
		if s.y[t] == +1 {
			return s.g[t] > gmax2
		}
		return s.g[t] > gmax1
	}
	return false
}

// shrink moves the bounded variables that cannot be selected soon past the
// end of the active set; once the violation falls within 10·eps it first
// restores the whole set (once).
func (s *solver) shrink() {
	gmax1, gmax2 := math.Inf(-1), math.Inf(-1) // max −y∇ over I_up, max y∇ over I_low
	for t := range s.activeSize {
		if s.y[t] == +1 {
			if s.status[t] != atUpper && -s.g[t] >= gmax1 {
				gmax1 = -s.g[t]
			}
			if s.status[t] != atLower && s.g[t] >= gmax2 {
				gmax2 = s.g[t]
			}
		} else {
			if s.status[t] != atUpper && -s.g[t] >= gmax2 {
				gmax2 = -s.g[t]
			}
			if s.status[t] != atLower && s.g[t] >= gmax1 {
				gmax1 = s.g[t]
			}
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
	s.q.swap(i, j)
	s.y[i], s.y[j] = s.y[j], s.y[i]
	s.g[i], s.g[j] = s.g[j], s.g[i]
	s.status[i], s.status[j] = s.status[j], s.status[i]
	s.upMul[i], s.upMul[j] = s.upMul[j], s.upMul[i]
	s.lowMul[i], s.lowMul[j] = s.lowMul[j], s.lowMul[i]
	s.alpha[i], s.alpha[j] = s.alpha[j], s.alpha[i]
	s.p[i], s.p[j] = s.p[j], s.p[i]
	s.active[i], s.active[j] = s.active[j], s.active[i]
	s.gBar[i], s.gBar[j] = s.gBar[j], s.gBar[i]
	s.c[i], s.c[j] = s.c[j], s.c[i]
}

// rho is ρ = y_t ∇_t averaged over the free variables, or the midpoint of
// the range the bounded ones allow when none is free.
func (s *solver) rho() float64 {
	nFree := 0
	ub, lb, sumFree := math.Inf(1), math.Inf(-1), 0.0
	for t := range s.activeSize {
		yg := float64(s.y[t]) * s.g[t]
		switch s.status[t] {
		case atUpper:
			if s.y[t] == -1 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		case atLower:
			if s.y[t] == +1 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		default:
			nFree++
			sumFree += yg
		}
	}
	if nFree > 0 {
		return sumFree / float64(nFree)
	}
	return (ub + lb) / 2
}
