package exec

import "fmt"

// BiasAct is bias_act_f32.
func (c *CPUBackend) BiasAct(y, x, b Buf, n, ch, inner, act int) error {
	total := n * ch * inner
	v, err := c.views(total, y, x)
	if err != nil {
		return err
	}
	bv, err := c.view(b, ch)
	if err != nil {
		return err
	}
	for i := range total {
		v[0][i] = act32(act, v[1][i]+bv[(i/inner)%ch])
	}
	return nil
}

// BiasActBackward is bias_act_backward_chan_f32 (and, for inner = 1, the
// rows form, which has the same result); dz may be the zero Buf and y is
// not read for ActLinear.
func (c *CPUBackend) BiasActBackward(dz, db, y, dy Buf, n, ch, inner, act int) error {
	total := n * ch * inner
	dyv, err := c.view(dy, total)
	if err != nil {
		return err
	}
	dbv, err := c.view(db, ch)
	if err != nil {
		return err
	}
	var dzv, yv []float32
	if dz.Len > 0 {
		if dzv, err = c.view(dz, total); err != nil {
			return err
		}
	}
	if act != ActLinear {
		if yv, err = c.view(y, total); err != nil {
			return err
		}
	}
	for k := range ch {
		var acc float32
		for e := range n {
			for j := range inner {
				i := (e*ch+k)*inner + j
				g := dyv[i]
				if act != ActLinear {
					g = actGrad32(act, yv[i], g)
				}
				if dzv != nil {
					dzv[i] = g
				}
				acc += g
			}
		}
		dbv[k] = acc
	}
	return nil
}

// SumAxis is sum_axis_f32 (sum_last_f32 for inner = 1).
func (c *CPUBackend) SumAxis(y, x Buf, outer, length, inner int, scale float32) error {
	yv, err := c.view(y, outer*inner)
	if err != nil {
		return err
	}
	xv, err := c.view(x, outer*length*inner)
	if err != nil {
		return err
	}
	for o := range outer {
		for k := range inner {
			var acc float32
			for l := range length {
				acc += xv[(o*length+l)*inner+k]
			}
			yv[o*inner+k] = scale * acc
		}
	}
	return nil
}

// MaxAxis is max_axis_f32 (max_last_f32 for inner = 1).
func (c *CPUBackend) MaxAxis(y, x Buf, outer, length, inner int) error {
	yv, err := c.view(y, outer*inner)
	if err != nil {
		return err
	}
	xv, err := c.view(x, outer*length*inner)
	if err != nil {
		return err
	}
	for o := range outer {
		for k := range inner {
			m := float32(negInf)
			for l := range length {
				m = vgMax(m, xv[(o*length+l)*inner+k])
			}
			yv[o*inner+k] = m
		}
	}
	return nil
}

// Repeat is repeat_f32.
func (c *CPUBackend) Repeat(y, x Buf, outer, d, r, inner int, scale float32) error {
	total := outer * d * r * inner
	yv, err := c.view(y, total)
	if err != nil {
		return err
	}
	xv, err := c.view(x, outer*d*inner)
	if err != nil {
		return err
	}
	for i := range total {
		yv[i] = scale * xv[i/(r*inner)*inner+i%inner]
	}
	return nil
}

// BCELogits is bce_logits_f32.
func (c *CPUBackend) BCELogits(out, logits, target Buf, n, d int) error {
	ov, err := c.view(out, n)
	if err != nil {
		return err
	}
	v, err := c.views(n*d, logits, target)
	if err != nil {
		return err
	}
	for e := range n {
		var acc float32
		for i := e * d; i < (e+1)*d; i++ {
			l := v[0][i]
			acc += softplus32(l) - v[1][i]*l
		}
		ov[e] = acc / float32(d)
	}
	return nil
}

// BCELogitsGrad is bce_logits_grad_f32.
func (c *CPUBackend) BCELogitsGrad(dx, logits, target, dy Buf, n, d int) error {
	v, err := c.views(n*d, dx, logits, target)
	if err != nil {
		return err
	}
	dyv, err := c.view(dy, n)
	if err != nil {
		return err
	}
	for i := range n * d {
		scale := dyv[i/d] / float32(d)
		v[0][i] = (sigmoid32(v[1][i]) - v[2][i]) * scale
	}
	return nil
}

func (g Geom) check() error {
	if g.N < 0 || g.C < 0 || g.H < 0 || g.W < 0 || g.KH < 1 || g.KW < 1 || g.SH < 1 || g.SW < 1 ||
		g.PH < 0 || g.PW < 0 || g.DH < 1 || g.DW < 1 || g.OH < 0 || g.OW < 0 {
		return fmt.Errorf("bad geometry %+v", g)
	}
	return nil
}

// pixel is ic_pixel: the flat index in x of patch entry (ch, ky, kx) at
// output (oy, ox) of image e, or -1 in the padding.
func (g Geom) pixel(e, ch, ky, kx, oy, ox int) int {
	yy := oy*g.SH - g.PH + ky*g.DH
	xx := ox*g.SW - g.PW + kx*g.DW
	if yy < 0 || yy >= g.H || xx < 0 || xx >= g.W {
		return -1
	}
	return ((e*g.C+ch)*g.H+yy)*g.W + xx
}

// Im2col is im2col_f32: col [N, C·KH·KW, OH·OW].
func (c *CPUBackend) Im2col(col, x Buf, g Geom) error {
	if err := g.check(); err != nil {
		return err
	}
	cv, err := c.view(col, g.ColLen())
	if err != nil {
		return err
	}
	xv, err := c.view(x, g.N*g.C*g.H*g.W)
	if err != nil {
		return err
	}
	i := 0
	for e := range g.N {
		for ch := range g.C {
			for ky := range g.KH {
				for kx := range g.KW {
					for oy := range g.OH {
						for ox := range g.OW {
							if at := g.pixel(e, ch, ky, kx, oy, ox); at >= 0 {
								cv[i] = xv[at]
							} else {
								cv[i] = 0
							}
							i++
						}
					}
				}
			}
		}
	}
	return nil
}

// Col2im is col2im_f32: x[e, ch, yy, xx] is the sum, in the kernel's
// order (ky, then kx), of every col entry reading that pixel.
func (c *CPUBackend) Col2im(x, col Buf, g Geom) error {
	if err := g.check(); err != nil {
		return err
	}
	cv, err := c.view(col, g.ColLen())
	if err != nil {
		return err
	}
	xv, err := c.view(x, g.N*g.C*g.H*g.W)
	if err != nil {
		return err
	}
	ckk, ohw := g.C*g.KH*g.KW, g.OH*g.OW
	i := 0
	for e := range g.N {
		base := cv[e*ckk*ohw:]
		for ch := range g.C {
			for yy := range g.H {
				for xx := range g.W {
					var acc float32
					for ky := range g.KH {
						ty := yy + g.PH - ky*g.DH
						if ty < 0 || ty%g.SH != 0 || ty/g.SH >= g.OH {
							continue
						}
						for kx := range g.KW {
							tx := xx + g.PW - kx*g.DW
							if tx < 0 || tx%g.SW != 0 || tx/g.SW >= g.OW {
								continue
							}
							row, pos := (ch*g.KH+ky)*g.KW+kx, ty/g.SH*g.OW+tx/g.SW
							acc += base[row*ohw+pos]
						}
					}
					xv[i] = acc
					i++
				}
			}
		}
	}
	return nil
}
