//go:build gpu

package exec

// NonFinite is non_finite_f32.
func (g *GPUBackend) NonFinite(flag, x Buf, n int) error {
	f, err := g.buf(flag, 1)
	if err != nil {
		return err
	}
	b, err := g.buf(x, n)
	if err != nil {
		return err
	}
	return g.S.NonFinite(f, b)
}

// Adam is adam_f32.
func (g *GPUBackend) Adam(p, m, v, gr Buf, n int, lrT, beta1, beta2, eps float64) error {
	b, err := g.bufs(n, p, m, v, gr)
	if err != nil {
		return err
	}
	return g.S.Adam(b[0], b[1], b[2], b[3], lrT, beta1, beta2, eps)
}

// SGD is sgd_f32.
func (g *GPUBackend) SGD(p, gr Buf, n int, lr float64) error {
	b, err := g.bufs(n, p, gr)
	if err != nil {
		return err
	}
	return g.S.SGD(b[0], b[1], lr)
}

// SGDMomentum is sgd_momentum_f32.
func (g *GPUBackend) SGDMomentum(p, u, gr Buf, n int, lr, mu float64, nesterov bool) error {
	b, err := g.bufs(n, p, u, gr)
	if err != nil {
		return err
	}
	return g.S.SGDMomentum(b[0], b[1], b[2], lr, mu, nesterov)
}

// BernoulliMask is bernoulli_mask_f32.
func (g *GPUBackend) BernoulliMask(y Buf, n int, key, threshold uint64, scale float32) error {
	b, err := g.buf(y, n)
	if err != nil {
		return err
	}
	return g.S.BernoulliMask(b, key, threshold, scale)
}
