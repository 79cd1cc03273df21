//go:build gpu

package device

import (
	"fmt"
	"math"
)

// AdamLR returns Adam's step size lr·sqrt(1-β2^t)/(1-β1^t) at step t (from
// 1), computed as trainers.Adam does.
func AdamLR(lr, beta1, beta2 float64, t int) float64 {
	ft := float64(t)
	return lr * math.Sqrt(1-math.Pow(beta2, ft)) / (1 - math.Pow(beta1, ft))
}

// Adam applies one Keras-form Adam update in place to p with moments m, v
// and gradient g (all of one length): lrT from AdamLR, eps added to the
// uncorrected sqrt(v). Float64 arithmetic per value, as on the CPU.
func (s *Stream) Adam(p, m, v, g Buffer, lrT, beta1, beta2, eps float64) error {
	const name = "adam_f32"
	if err := sameLen(name, p.Len, m, v, g); err != nil {
		return err
	}
	return s.elementwise(name, p.Len, p, m, v, g, p.Len, lrT, beta1, beta2, eps)
}

// SGD applies p -= lr·g.
func (s *Stream) SGD(p, g Buffer, lr float64) error {
	const name = "sgd_f32"
	if err := sameLen(name, p.Len, g); err != nil {
		return err
	}
	return s.elementwise(name, p.Len, p, g, p.Len, lr)
}

// SGDMomentum applies u = μu - lr·g, then p += u (or p += μu - lr·g with
// nesterov), as trainers.SGD.
func (s *Stream) SGDMomentum(p, u, g Buffer, lr, mu float64, nesterov bool) error {
	const name = "sgd_momentum_f32"
	if err := sameLen(name, p.Len, u, g); err != nil {
		return err
	}
	nest := 0
	if nesterov {
		nest = 1
	}
	return s.elementwise(name, p.Len, p, u, g, p.Len, lr, mu, nest)
}

// NonFinite sets flag[0] to 1 when some value of x is NaN or infinite and
// leaves it alone otherwise (clear it first; several checks may share it).
func (s *Stream) NonFinite(flag, x Buffer) error {
	const name = "non_finite_f32"
	if flag.Len < 1 {
		return fmt.Errorf("device: %s: empty flag buffer", name)
	}
	if err := checkN(name, x.Len); err != nil {
		return err
	}
	return s.elementwise(name, x.Len, flag, x, x.Len)
}
