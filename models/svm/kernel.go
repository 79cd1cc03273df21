package svm

import (
	"fmt"
	"math"
)

// KernelType names a kernel function. The zero value is RBF, scikit-learn's
// and LIBSVM's default.
type KernelType int

const (
	// RBF is K(u, v) = exp(−γ‖u − v‖²).
	RBF KernelType = iota
	// Linear is K(u, v) = u·v.
	Linear
	// Poly is K(u, v) = (γ u·v + coef0)^degree.
	Poly
)

// String returns the scikit-learn name of the kernel.
func (t KernelType) String() string {
	switch t {
	case RBF:
		return "rbf"
	case Linear:
		return "linear"
	case Poly:
		return "poly"
	}
	return fmt.Sprintf("KernelType(%d)", int(t))
}

// Kernel is a kernel function and its parameters. The zero value is the RBF
// kernel with γ = "scale".
type Kernel struct {
	Type KernelType
	// Gamma is γ for RBF and Poly; Linear ignores it. Zero means "scale",
	// scikit-learn's default: γ = 1/(d·Var(X)), with d the number of
	// features and Var(X) the population variance of all the entries of the
	// training matrix taken together (1 when that variance is zero). Train
	// resolves it; Model.Kernel reports the value used.
	Gamma float64
	// Degree is the exponent of Poly; zero means 3 (scikit-learn's default).
	Degree int
	// Coef0 is the additive constant of Poly; zero is zero, as in
	// scikit-learn.
	Coef0 float64
}

// validate reports a kernel whose parameters are out of range.
func (k Kernel) validate() error {
	switch k.Type {
	case RBF, Linear, Poly:
	default:
		return fmt.Errorf("svm: unknown kernel type %d: %w", int(k.Type), ErrConfig)
	}
	if k.Gamma < 0 || math.IsNaN(k.Gamma) || math.IsInf(k.Gamma, 0) {
		return fmt.Errorf("svm: kernel gamma %v, want ≥ 0 (0 = scale): %w", k.Gamma, ErrConfig)
	}
	if k.Degree < 0 {
		return fmt.Errorf("svm: kernel degree %d, want ≥ 0 (0 = 3): %w", k.Degree, ErrConfig)
	}
	if math.IsNaN(k.Coef0) || math.IsInf(k.Coef0, 0) {
		return fmt.Errorf("svm: kernel coef0 %v is not finite: %w", k.Coef0, ErrConfig)
	}
	return nil
}

// resolve returns k with its defaults filled in from the training rows
// (flat, d values a row).
func (k Kernel) resolve(flat []float64, d int) Kernel {
	if k.Type == Poly && k.Degree == 0 {
		k.Degree = 3
	}
	if k.Type != Linear && k.Gamma == 0 {
		k.Gamma = ScaleGamma(flat, d)
	}
	return k
}

// ScaleGamma returns scikit-learn's gamma="scale" for the row-major matrix
// flat with d columns: 1/(d·Var), Var the population variance of all the
// entries; 1 when Var is zero. flat must not be empty.
func ScaleGamma(flat []float64, d int) float64 {
	var mean float64
	for _, v := range flat {
		mean += v
	}
	mean /= float64(len(flat))
	var ss float64
	for _, v := range flat {
		ss += (v - mean) * (v - mean)
	}
	variance := ss / float64(len(flat))
	if variance == 0 {
		return 1
	}
	return 1 / (float64(d) * variance)
}

// Eval returns K(u, v). u and v must have the same length; Eval does not
// check it. The kernel must be resolved (Degree > 0 for Poly), as
// Model.Kernel returns it. Training and Decision compute every kernel value
// as Eval does, bit for bit.
func (k Kernel) Eval(u, v []float64) float64 {
	var s [1]float64
	k.rows(u, v[:len(u)], s[:])
	return k.value(s[0])
}

// rows sets out[r] to what the kernel is computed from for u and row r of
// the row-major m (len(u) values a row): the squared distance for RBF, the
// dot product for Linear and Poly.
func (k Kernel) rows(u, m, out []float64) {
	if k.Type == RBF {
		sqDistRows(u, m, out)
	} else {
		dotRows(u, m, out)
	}
}

// values sets out[r] = K(u, row r of m) for r < len(out), as Eval computes
// it, using s (as long as out, not overlapping it) as scratch.
func (k Kernel) values(u, m, s, out []float64) {
	k.rows(u, m, s)
	switch k.Type {
	case RBF:
		expScaled(out, s, -k.Gamma)
	case Linear:
		copy(out, s)
	default:
		for r, v := range s {
			out[r] = k.value(v)
		}
	}
}

// value is K from what rows computed.
func (k Kernel) value(s float64) float64 {
	switch k.Type {
	case Linear:
		return s
	case Poly:
		return powi(k.Gamma*s+k.Coef0, k.Degree)
	default:
		return expNonPos(-k.Gamma * s)
	}
}

// powi is base^times by squaring, as LIBSVM computes it.
func powi(base float64, times int) float64 {
	tmp, ret := base, 1.0
	for t := times; t > 0; t /= 2 {
		if t%2 == 1 {
			ret *= tmp
		}
		tmp *= tmp
	}
	return ret
}
