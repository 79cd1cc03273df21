package exec

import (
	"math"

	"github.com/vigil-ml/vigil/cuda/kernels"
)

// NonFinite is non_finite_f32.
func (c *CPUBackend) NonFinite(flag, x Buf, n int) error {
	f, err := c.view(flag, 1)
	if err != nil {
		return err
	}
	xs, err := c.view(x, n)
	if err != nil {
		return err
	}
	for _, v := range xs[:n] {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			f[0] = 1
			return nil
		}
	}
	return nil
}

// Adam is adam_f32: the arithmetic of trainers.Adam, value by value.
func (c *CPUBackend) Adam(p, m, v, g Buf, n int, lrT, b1, b2, eps float64) error {
	b, err := c.views(n, p, m, v, g)
	if err != nil {
		return err
	}
	w, ms, vs, gs := b[0][:n], b[1][:n], b[2][:n], b[3][:n]
	for j, gj := range gs {
		gd := float64(gj)
		mj := b1*float64(ms[j]) + (1-b1)*gd
		vj := b2*float64(vs[j]) + (1-b2)*gd*gd
		ms[j], vs[j] = float32(mj), float32(vj)
		w[j] = float32(float64(w[j]) - lrT*mj/(math.Sqrt(vj)+eps))
	}
	return nil
}

// SGD is sgd_f32.
func (c *CPUBackend) SGD(p, g Buf, n int, lr float64) error {
	b, err := c.views(n, p, g)
	if err != nil {
		return err
	}
	w, gs := b[0][:n], b[1][:n]
	for j, gj := range gs {
		w[j] = float32(float64(w[j]) - lr*float64(gj))
	}
	return nil
}

// SGDMomentum is sgd_momentum_f32.
func (c *CPUBackend) SGDMomentum(p, u, g Buf, n int, lr, mu float64, nesterov bool) error {
	b, err := c.views(n, p, u, g)
	if err != nil {
		return err
	}
	w, us, gs := b[0][:n], b[1][:n], b[2][:n]
	for j, gj := range gs {
		uj := mu*float64(us[j]) - lr*float64(gj)
		us[j] = float32(uj)
		if nesterov {
			w[j] = float32(float64(w[j]) + mu*uj - lr*float64(gj))
		} else {
			w[j] = float32(float64(w[j]) + uj)
		}
	}
	return nil
}

// BernoulliMask is bernoulli_mask_f32.
func (c *CPUBackend) BernoulliMask(y Buf, n int, key, threshold uint64, scale float32) error {
	ys, err := c.view(y, n)
	if err != nil {
		return err
	}
	for i := range ys[:n] {
		ys[i] = kernels.MaskValue(key, i, threshold, scale)
	}
	return nil
}
