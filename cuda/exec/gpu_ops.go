//go:build gpu

package exec

import "fmt"

// Fill is fill_f32.
func (g *GPUBackend) Fill(y Buf, n int, v float32) error {
	b, err := g.buf(y, n)
	if err != nil {
		return err
	}
	return g.S.Fill(b, v)
}

// Copy is copy_f32.
func (g *GPUBackend) Copy(y, x Buf, n int) error {
	b, err := g.bufs(n, y, x)
	if err != nil {
		return err
	}
	return g.S.Copy(b[0], b[1])
}

// Unary is OP_f32.
func (g *GPUBackend) Unary(op string, y, x Buf, n int) error {
	b, err := g.bufs(n, y, x)
	if err != nil {
		return err
	}
	return g.S.Unary(op, b[0], b[1])
}

// UnaryGrad is OP_grad_f32.
func (g *GPUBackend) UnaryGrad(op string, dx, x, y, dy Buf, n int) error {
	b, err := g.bufs(n, dx, x, y, dy)
	if err != nil {
		return err
	}
	return g.S.UnaryGrad(op, b[0], b[1], b[2], b[3])
}

// Binary is OP_f32.
func (g *GPUBackend) Binary(op string, z, x, y Buf, n int) error {
	b, err := g.bufs(n, z, x, y)
	if err != nil {
		return err
	}
	return g.S.Binary(op, b[0], b[1], b[2])
}

// BinaryScalar is OP_scalar_f32.
func (g *GPUBackend) BinaryScalar(op string, z, x Buf, n int, s float32) error {
	b, err := g.bufs(n, z, x)
	if err != nil {
		return err
	}
	return g.S.BinaryScalar(op, b[0], b[1], s, false)
}

// BinaryRScalar is OP_rscalar_f32.
func (g *GPUBackend) BinaryRScalar(op string, z, x Buf, n int, s float32) error {
	b, err := g.bufs(n, z, x)
	if err != nil {
		return err
	}
	return g.S.BinaryScalar(op, b[0], b[1], s, true)
}

// BinaryBcast is OP_bcast_f32.
func (g *GPUBackend) BinaryBcast(op string, z, x, y Buf, d, xs, ys [4]int) error {
	zb, err := g.buf(z, d[0]*d[1]*d[2]*d[3])
	if err != nil {
		return err
	}
	xb, err := g.buf(x, span(d, xs))
	if err != nil {
		return err
	}
	yb, err := g.buf(y, span(d, ys))
	if err != nil {
		return err
	}
	return g.S.BinaryBcast(op, zb, xb, yb, d, xs, ys)
}

// BiasAct is bias_act_f32.
func (g *GPUBackend) BiasAct(y, x, b Buf, n, c, inner, act int) error {
	v, err := g.bufs(n*c*inner, y, x)
	if err != nil {
		return err
	}
	bb, err := g.buf(b, c)
	if err != nil {
		return err
	}
	return g.S.BiasAct(v[0], v[1], bb, n, c, inner, act)
}

// BiasActBackward is bias_act_backward_chan_f32, or the rows form for
// inner = 1.
func (g *GPUBackend) BiasActBackward(dz, db, y, dy Buf, n, c, inner, act int) error {
	v, err := g.bufs(n*c*inner, dz, y, dy)
	if err != nil {
		return err
	}
	dbb, err := g.buf(db, c)
	if err != nil {
		return err
	}
	return g.S.BiasActBackward(v[0], dbb, v[1], v[2], n, c, inner, act)
}

// SumAxis is sum_axis_f32, or sum_last_f32 for inner = 1.
func (g *GPUBackend) SumAxis(y, x Buf, outer, length, inner int, scale float32) error {
	yb, err := g.buf(y, outer*inner)
	if err != nil {
		return err
	}
	xb, err := g.buf(x, outer*length*inner)
	if err != nil {
		return err
	}
	return g.S.SumAxis(yb, xb, outer, length, inner, scale)
}

// MaxAxis is max_axis_f32, or max_last_f32 for inner = 1.
func (g *GPUBackend) MaxAxis(y, x Buf, outer, length, inner int) error {
	yb, err := g.buf(y, outer*inner)
	if err != nil {
		return err
	}
	xb, err := g.buf(x, outer*length*inner)
	if err != nil {
		return err
	}
	return g.S.MaxAxis(yb, xb, outer, length, inner)
}

// Repeat is repeat_f32.
func (g *GPUBackend) Repeat(y, x Buf, outer, d, r, inner int, scale float32) error {
	yb, err := g.buf(y, outer*d*r*inner)
	if err != nil {
		return err
	}
	xb, err := g.buf(x, outer*d*inner)
	if err != nil {
		return err
	}
	return g.S.Repeat(yb, xb, outer, d, r, inner, scale)
}

// StridedCopy is strided_copy_f32.
func (g *GPUBackend) StridedCopy(y, x Buf, d, s [4]int) error {
	yb, err := g.buf(y, d[0]*d[1]*d[2]*d[3])
	if err != nil {
		return err
	}
	xb, err := g.buf(x, span(d, s))
	if err != nil {
		return err
	}
	return g.S.StridedCopy(yb, xb, d, s)
}

// Im2col is im2col_f32, launched with the schedule's output grid.
func (g *GPUBackend) Im2col(col, x Buf, gm Geom) error {
	return g.conv("im2col_f32", col, x, gm, gm.ColLen(), gm.N*gm.C*gm.H*gm.W, gm.ColLen())
}

// Col2im is col2im_f32.
func (g *GPUBackend) Col2im(x, col Buf, gm Geom) error {
	n := gm.N * gm.C * gm.H * gm.W
	return g.conv("col2im_f32", x, col, gm, n, gm.ColLen(), n)
}

func (g *GPUBackend) conv(name string, out, in Buf, gm Geom, outLen, inLen, threads int) error {
	if err := gm.check(); err != nil {
		return err
	}
	ob, err := g.buf(out, outLen)
	if err != nil {
		return err
	}
	ib, err := g.buf(in, inLen)
	if err != nil {
		return err
	}
	if threads == 0 {
		return nil
	}
	return g.D.Launch(g.S, name, g.D.GridFor(threads), ob, ib, gm.N, gm.C, gm.H, gm.W,
		gm.KH, gm.KW, gm.SH, gm.SW, gm.PH, gm.PW, gm.DH, gm.DW, gm.OH, gm.OW)
}

// BCELogits is bce_logits_f32.
func (g *GPUBackend) BCELogits(out, logits, target Buf, n, d int) error {
	ob, err := g.buf(out, n)
	if err != nil {
		return err
	}
	v, err := g.bufs(n*d, logits, target)
	if err != nil {
		return err
	}
	return g.S.BCELogits(ob, v[0], v[1], n, d)
}

// BCELogitsGrad is bce_logits_grad_f32.
func (g *GPUBackend) BCELogitsGrad(dx, logits, target, dy Buf, n, d int) error {
	v, err := g.bufs(n*d, dx, logits, target)
	if err != nil {
		return err
	}
	dyb, err := g.buf(dy, n)
	if err != nil {
		return err
	}
	return g.S.BCELogitsGrad(v[0], v[1], v[2], dyb, n, d)
}

// packed reports leading dimensions other than those of contiguous
// matrices, which device.Gemm does not take.
func packed(tA, tB bool, m, n, k, lda, ldb, ldc int) error {
	wa, wb := k, n
	if tA {
		wa = m
	}
	if tB {
		wb = k
	}
	if lda != wa || ldb != wb || ldc != n {
		return fmt.Errorf("gemm: leading dimensions %d %d %d of non-contiguous matrices (want %d %d %d)", lda, ldb, ldc, wa, wb, n)
	}
	return nil
}
