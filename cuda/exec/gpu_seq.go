//go:build gpu

package exec

// Gather is gather_axis_f32 (idx holds n int32 values).
func (g *GPUBackend) Gather(y, x, idx Buf, outer, length, inner, n int) error {
	yb, err := g.buf(y, outer*n*inner)
	if err != nil {
		return err
	}
	xb, err := g.buf(x, outer*length*inner)
	if err != nil {
		return err
	}
	ib, err := g.buf(idx, n)
	if err != nil {
		return err
	}
	return g.S.Gather(yb, xb, ib, outer, length, inner)
}

// ScatterAdd is scatter_add_axis_f32.
func (g *GPUBackend) ScatterAdd(dx, dy, idx Buf, outer, length, inner, n int) error {
	db, err := g.buf(dx, outer*length*inner)
	if err != nil {
		return err
	}
	yb, err := g.buf(dy, outer*n*inner)
	if err != nil {
		return err
	}
	ib, err := g.buf(idx, n)
	if err != nil {
		return err
	}
	return g.S.ScatterAdd(db, yb, ib, outer, length, inner)
}

// SoftmaxXent is softmax_xent_f32.
func (g *GPUBackend) SoftmaxXent(loss, logits, target Buf, n, v int) error {
	b, err := g.bufs(n, loss, target)
	if err != nil {
		return err
	}
	lb, err := g.buf(logits, n*v)
	if err != nil {
		return err
	}
	return g.S.SoftmaxXent(b[0], lb, b[1], n, v)
}

// SoftmaxXentGrad is softmax_xent_grad_f32.
func (g *GPUBackend) SoftmaxXentGrad(dx, logits, target, dy Buf, n, v int) error {
	w, err := g.bufs(n*v, dx, logits)
	if err != nil {
		return err
	}
	b, err := g.bufs(n, target, dy)
	if err != nil {
		return err
	}
	return g.S.SoftmaxXentGrad(w[0], w[1], b[0], b[1], n, v)
}

// TargetProb is target_prob_f32.
func (g *GPUBackend) TargetProb(p, loss Buf, n int) error {
	b, err := g.bufs(n, p, loss)
	if err != nil {
		return err
	}
	return g.S.TargetProb(b[0], b[1])
}

// LSTMCell is lstm_cell_f32; cPrev may be the zero Buf (NULL).
func (g *GPUBackend) LSTMCell(gates, c, tc, h, bias, cPrev Buf, b, hd int) error {
	gb, err := g.buf(gates, 4*b*hd)
	if err != nil {
		return err
	}
	bb, err := g.buf(bias, 4*hd)
	if err != nil {
		return err
	}
	v, err := g.bufs(b*hd, c, tc, h, cPrev)
	if err != nil {
		return err
	}
	return g.S.LSTMCell(gb, v[0], v[1], v[2], bb, v[3], b, hd)
}

// LSTMCellBackward is lstm_cell_backward_f32; cPrev and dhRec may be the
// zero Buf.
func (g *GPUBackend) LSTMCellBackward(dz, dc, gates, cPrev, tc, dh, dhRec Buf, b, hd int) error {
	w, err := g.bufs(4*b*hd, dz, gates)
	if err != nil {
		return err
	}
	v, err := g.bufs(b*hd, dc, cPrev, tc, dh, dhRec)
	if err != nil {
		return err
	}
	return g.S.LSTMCellBackward(w[0], v[0], w[1], v[1], v[2], v[3], v[4], b, hd)
}
