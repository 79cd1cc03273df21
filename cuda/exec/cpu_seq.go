package exec

import (
	"math"

	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/layers"
)

// ints reads n int32 values stored bitwise in b.
func (c *CPUBackend) ints(b Buf, n int) ([]int32, error) {
	v, err := c.view(b, n)
	if err != nil {
		return nil, err
	}
	return program.Int32sOf(v[:n]), nil
}

// Gather is gather_axis_f32: an index outside [0, length) gives zeros.
func (c *CPUBackend) Gather(y, x, idx Buf, outer, length, inner, n int) error {
	yv, err := c.view(y, outer*n*inner)
	if err != nil {
		return err
	}
	xv, err := c.view(x, outer*length*inner)
	if err != nil {
		return err
	}
	ids, err := c.ints(idx, n)
	if err != nil {
		return err
	}
	for i := range outer * n * inner {
		k, r := i%inner, i/inner
		src := int(ids[r%n])
		yv[i] = 0
		if src >= 0 && src < length {
			yv[i] = xv[((r/n)*length+src)*inner+k]
		}
	}
	return nil
}

// ScatterAdd is scatter_add_axis_f32, adding in index order (the kernel's
// atomics add in any order); indices outside [0, length) are skipped.
func (c *CPUBackend) ScatterAdd(dx, dy, idx Buf, outer, length, inner, n int) error {
	dxv, err := c.view(dx, outer*length*inner)
	if err != nil {
		return err
	}
	dyv, err := c.view(dy, outer*n*inner)
	if err != nil {
		return err
	}
	ids, err := c.ints(idx, n)
	if err != nil {
		return err
	}
	for i := range outer * n * inner {
		k, r := i%inner, i/inner
		if dst := int(ids[r%n]); dst >= 0 && dst < length {
			dxv[((r/n)*length+dst)*inner+k] += dyv[i]
		}
	}
	return nil
}

// xentRow is xe_row of xent.cu: the row's maximum and Σ exp(l - max).
func xentRow(l []float32) (float32, float32) {
	m := float32(negInf)
	for _, v := range l {
		m = vgMax(m, v)
	}
	var s float32
	for _, v := range l {
		s += exp32(v - m)
	}
	return m, s
}

func exp32(x float32) float32 { return float32(math.Exp(float64(x))) }

func tanh32(x float32) float32 { return float32(math.Tanh(float64(x))) }

// SoftmaxXent is softmax_xent_f32.
func (c *CPUBackend) SoftmaxXent(loss, logits, target Buf, n, v int) error {
	lv, err := c.view(loss, n)
	if err != nil {
		return err
	}
	xv, err := c.view(logits, n*v)
	if err != nil {
		return err
	}
	ts, err := c.ints(target, n)
	if err != nil {
		return err
	}
	for r, t := range ts {
		switch {
		case t == layers.IgnoreTarget:
			lv[r] = 0
		case t < 0 || int(t) >= v:
			lv[r] = float32(math.NaN())
		default:
			row := xv[r*v : (r+1)*v]
			m, s := xentRow(row)
			lv[r] = m + float32(math.Log(float64(s))) - row[t]
		}
	}
	return nil
}

// SoftmaxXentGrad is softmax_xent_grad_f32.
func (c *CPUBackend) SoftmaxXentGrad(dx, logits, target, dy Buf, n, v int) error {
	v2, err := c.views(n*v, dx, logits)
	if err != nil {
		return err
	}
	dyv, err := c.view(dy, n)
	if err != nil {
		return err
	}
	ts, err := c.ints(target, n)
	if err != nil {
		return err
	}
	for r, t := range ts {
		d, row := v2[0][r*v:(r+1)*v], v2[1][r*v:(r+1)*v]
		if t == layers.IgnoreTarget {
			clear(d)
			continue
		}
		m, s := xentRow(row)
		for j, x := range row {
			p := exp32(x-m) / s
			if j == int(t) {
				p -= 1
			}
			d[j] = p * dyv[r]
			if t < 0 || int(t) >= v {
				d[j] = float32(math.NaN())
			}
		}
	}
	return nil
}

// TargetProb is target_prob_f32 (layers.TargetProbs).
func (c *CPUBackend) TargetProb(p, loss Buf, n int) error {
	v, err := c.views(n, p, loss)
	if err != nil {
		return err
	}
	layers.TargetProbs(v[0][:n], v[1][:n])
	return nil
}

// optional returns b's first n values, or nil for the zero Buf.
func (c *CPUBackend) optional(b Buf, n int) ([]float32, error) {
	if b.Len == 0 {
		return nil, nil
	}
	return c.view(b, n)
}

// LSTMCell is lstm_cell_f32; cPrev may be the zero Buf.
func (c *CPUBackend) LSTMCell(gates, cs, tc, h, bias, cPrev Buf, b, hd int) error {
	g, err := c.view(gates, 4*b*hd)
	if err != nil {
		return err
	}
	bv, err := c.view(bias, 4*hd)
	if err != nil {
		return err
	}
	v, err := c.views(b*hd, cs, tc, h)
	if err != nil {
		return err
	}
	cp, err := c.optional(cPrev, b*hd)
	if err != nil {
		return err
	}
	for k := range b * hd {
		r, j := k/hd, k%hd
		z := g[r*4*hd : (r+1)*4*hd]
		i := sigmoid32(z[j] + bv[j])
		f := sigmoid32(z[hd+j] + bv[hd+j])
		gg := tanh32(z[2*hd+j] + bv[2*hd+j])
		o := sigmoid32(z[3*hd+j] + bv[3*hd+j])
		z[j], z[hd+j], z[2*hd+j], z[3*hd+j] = i, f, gg, o
		cv := i * gg
		if cp != nil {
			cv = f*cp[k] + i*gg
		}
		t := tanh32(cv)
		v[0][k], v[1][k], v[2][k] = cv, t, o*t
	}
	return nil
}

// LSTMCellBackward is lstm_cell_backward_f32; cPrev and dhRec may be the
// zero Buf.
func (c *CPUBackend) LSTMCellBackward(dz, dc, gates, cPrev, tc, dh, dhRec Buf, b, hd int) error {
	v4, err := c.views(4*b*hd, dz, gates)
	if err != nil {
		return err
	}
	v, err := c.views(b*hd, dc, tc, dh)
	if err != nil {
		return err
	}
	cp, err := c.optional(cPrev, b*hd)
	if err != nil {
		return err
	}
	rec, err := c.optional(dhRec, b*hd)
	if err != nil {
		return err
	}
	dcs, tcs, dhs := v[0], v[1], v[2]
	for k := range b * hd {
		r, j := k/hd, k%hd
		z, d := v4[1][r*4*hd:(r+1)*4*hd], v4[0][r*4*hd:(r+1)*4*hd]
		i, f, g, o, t := z[j], z[hd+j], z[2*hd+j], z[3*hd+j], tcs[k]
		dhv := dhs[k]
		if rec != nil {
			dhv = dhs[k] + rec[k]
		}
		dcv := dcs[k] + dhv*o*(1-t*t)
		d[j] = dcv * g * i * (1 - i)
		d[hd+j] = 0
		if cp != nil {
			d[hd+j] = dcv * cp[k] * f * (1 - f)
		}
		d[2*hd+j] = dcv * i * (1 - g*g)
		d[3*hd+j] = dhv * t * o * (1 - o)
		dcs[k] = dcv * f
	}
	return nil
}
