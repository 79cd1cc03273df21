package exec

import (
	"fmt"

	"github.com/vigil-ml/vigil/cuda/program"
)

// chunk returns the images per column matrix of perImage values each, for
// a batch of n (all of them unless Config.ScratchLimit says fewer).
func (c *compiler) chunk(n, perImage int) int {
	if c.cfg.ScratchLimit <= 0 || perImage == 0 {
		return n
	}
	return min(n, max(1, c.cfg.ScratchLimit/perImage))
}

// geom is the im2col geometry of images [n, ch, h, w] under cv with an
// output grid oh×ow.
func geom(cv program.Conv, n, ch, h, w, oh, ow int) Geom {
	return Geom{N: n, C: ch, H: h, W: w, KH: cv.Kernel, KW: cv.Kernel, SH: cv.Stride, SW: cv.Stride,
		PH: cv.Pad, PW: cv.Pad, DH: 1, DW: 1, OH: oh, OW: ow}
}

func shape4(s []int) (int, int, int, int, error) {
	if len(s) != 4 {
		return 0, 0, 0, 0, fmt.Errorf("shape %v is not 4-D", s)
	}
	return s[0], s[1], s[2], s[3], nil
}

// conv2D: per chunk of g images, col [g, C·K·K, OH·OW] = im2col(x), then
// y[e] = w [OC, C·K·K] · col[e].
func (c *compiler) conv2D(in program.Instr) error {
	n, ch, h, w, err := shape4(c.p.Values[in.In[0]].Shape)
	if err != nil {
		return err
	}
	_, oc, oh, ow, err := shape4(c.p.Values[in.Out].Shape)
	if err != nil {
		return err
	}
	x, wt, y := c.buf(in.In[0]), c.buf(in.In[1]), c.buf(in.Out)
	k := in.Conv.Kernel
	ckk, ohw := ch*k*k, oh*ow
	g := c.chunk(n, ckk*ohw)
	col := c.scratchBufs(g * ckk * ohw)[0]
	for e0 := 0; e0 < n; e0 += g {
		ge := min(g, n-e0)
		gm := geom(in.Conv, ge, ch, h, w, oh, ow)
		xs, cs, ys := x.At(e0*ch*h*w, ge*ch*h*w), col.At(0, ge*ckk*ohw), y.At(e0*oc*ohw, ge*oc*ohw)
		c.emit("im2col", func(b Backend) error { return b.Im2col(cs, xs, gm) }, cs, xs, gm)
		c.emit("gemm_strided_batched", func(b Backend) error {
			return b.GemmStridedBatched(false, false, oc, ohw, ckk, 1, wt, ckk, 0, cs, ohw, ckk*ohw, 0, ys, ohw, oc*ohw, ge)
		}, false, false, oc, ohw, ckk, 1, wt, ckk, 0, cs, ohw, ckk*ohw, 0, ys, ohw, oc*ohw, ge)
	}
	return nil
}

// convTranspose2D: per chunk, col[e] [OC·K·K, H·W] = wᵀ · x[e] (w stored
// [C, OC·K·K]), then y = col2im(col) on the output grid with the input's
// H×W as the column grid.
func (c *compiler) convTranspose2D(in program.Instr) error {
	n, ch, h, w, err := shape4(c.p.Values[in.In[0]].Shape)
	if err != nil {
		return err
	}
	_, oc, oh, ow, err := shape4(c.p.Values[in.Out].Shape)
	if err != nil {
		return err
	}
	x, wt, y := c.buf(in.In[0]), c.buf(in.In[1]), c.buf(in.Out)
	k := in.Conv.Kernel
	okk, hw := oc*k*k, h*w
	g := c.chunk(n, okk*hw)
	col := c.scratchBufs(g * okk * hw)[0]
	for e0 := 0; e0 < n; e0 += g {
		ge := min(g, n-e0)
		gm := geom(in.Conv, ge, oc, oh, ow, h, w)
		xs, cs, ys := x.At(e0*ch*hw, ge*ch*hw), col.At(0, ge*okk*hw), y.At(e0*oc*oh*ow, ge*oc*oh*ow)
		c.emit("gemm_strided_batched", func(b Backend) error {
			return b.GemmStridedBatched(true, false, okk, hw, ch, 1, wt, okk, 0, xs, hw, ch*hw, 0, cs, hw, okk*hw, ge)
		}, true, false, okk, hw, ch, 1, wt, okk, 0, xs, hw, ch*hw, 0, cs, hw, okk*hw, ge)
		c.emit("col2im", func(b Backend) error { return b.Col2im(ys, cs, gm) }, ys, cs, gm)
	}
	return nil
}

// convFilterGrad: per chunk, col = im2col(large) on small's grid, then
// partial[e] [CS, C·K·K] = small[e] [CS, OH·OW] · col[e]ᵀ; the filter
// gradient is the sum of the partials over the images.
func (c *compiler) convFilterGrad(in program.Instr) error {
	n, ch, h, w, err := shape4(c.p.Values[in.In[0]].Shape)
	if err != nil {
		return err
	}
	_, cs, oh, ow, err := shape4(c.p.Values[in.In[1]].Shape)
	if err != nil {
		return err
	}
	large, small, dw := c.buf(in.In[0]), c.buf(in.In[1]), c.buf(in.Out)
	k := in.Conv.Kernel
	ckk, ohw := ch*k*k, oh*ow
	g := c.chunk(n, ckk*ohw)
	partial := dw
	var col Buf
	if n > 1 {
		bufs := c.scratchBufs(n*cs*ckk, g*ckk*ohw)
		partial, col = bufs[0], bufs[1]
	} else {
		col = c.scratchBufs(ckk * ohw)[0]
	}
	for e0 := 0; e0 < n; e0 += g {
		ge := min(g, n-e0)
		gm := geom(in.Conv, ge, ch, h, w, oh, ow)
		ls, col, ss, ps := large.At(e0*ch*h*w, ge*ch*h*w), col.At(0, ge*ckk*ohw), small.At(e0*cs*ohw, ge*cs*ohw), partial.At(e0*cs*ckk, ge*cs*ckk)
		c.emit("im2col", func(b Backend) error { return b.Im2col(col, ls, gm) }, col, ls, gm)
		c.emit("gemm_strided_batched", func(b Backend) error {
			return b.GemmStridedBatched(false, true, cs, ckk, ohw, 1, ss, ohw, cs*ohw, col, ohw, ckk*ohw, 0, ps, ckk, cs*ckk, ge)
		}, false, true, cs, ckk, ohw, 1, ss, ohw, cs*ohw, col, ohw, ckk*ohw, 0, ps, ckk, cs*ckk, ge)
	}
	if n > 1 {
		c.emit("sum_axis", func(b Backend) error { return b.SumAxis(dw, partial, 1, n, cs*ckk, 1) }, dw, partial, 1, n, cs*ckk, 1)
	}
	return nil
}
