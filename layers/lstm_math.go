package layers

import (
	"fmt"

	"gorgonia.org/tensor"
)

// lstmDims are the sizes of one LSTM layer over a sequence: T steps of B
// sequences, In inputs and H hidden units per step.
type lstmDims struct{ T, B, In, H int }

// lstmDimsOf checks x [T, B, In], W_ih [4H, In] and W_hh [4H, H].
func lstmDimsOf(op fmt.Stringer, xs, wih, whh tensor.Shape) (lstmDims, error) {
	if xs.Dims() != 3 || wih.Dims() != 2 || whh.Dims() != 2 {
		return lstmDims{}, fmt.Errorf("%v: x %v, W_ih %v, W_hh %v, want [T, B, In], [4H, In], [4H, H]", op, xs, wih, whh)
	}
	h := whh[1]
	if whh[0] != 4*h || wih[0] != 4*h || wih[1] != xs[2] {
		return lstmDims{}, fmt.Errorf("%v: x %v, W_ih %v, W_hh %v do not fit [T, B, In], [4H, In], [4H, H]", op, xs, wih, whh)
	}
	return lstmDims{T: xs[0], B: xs[1], In: xs[2], H: h}, nil
}

// rows is T·B, the row count of the per-step matrices stacked over time.
func (d lstmDims) rows() int { return d.T * d.B }

// Workspace layout (see LSTMOp): planes h, c, tanh c of T·B·H values each,
// then the gates [T, B, 4H].
func (d lstmDims) wsLen() int   { return 7 * d.rows() * d.H }
func (d lstmDims) wsH() int     { return 0 }
func (d lstmDims) wsC() int     { return d.rows() * d.H }
func (d lstmDims) wsTanhC() int { return 2 * d.rows() * d.H }
func (d lstmDims) wsGates() int { return 3 * d.rows() * d.H }

// lstmGradPart is one segment of LSTMGradOp's packed output.
type lstmGradPart int

// The segments of LSTMGradOp's output, in order.
const (
	lstmDX     lstmGradPart = iota // [T, B, In]
	lstmDWih                       // [4H, In]
	lstmDWhh                       // [4H, H]
	lstmDBias                      // [4H]
	lstmDGates                     // [T, B, 4H], gradient of the gate pre-activations
	lstmDH0                        // [B, H], gradient of the initial hidden state
	lstmDC0                        // [B, H], gradient of the initial cell state
	lstmGradParts
)

// gradShape is the shape of a segment of the packed gradient.
func (d lstmDims) gradShape(p lstmGradPart) tensor.Shape {
	switch p {
	case lstmDX:
		return tensor.Shape{d.T, d.B, d.In}
	case lstmDWih:
		return tensor.Shape{4 * d.H, d.In}
	case lstmDWhh:
		return tensor.Shape{4 * d.H, d.H}
	case lstmDBias:
		return tensor.Shape{4 * d.H}
	case lstmDGates:
		return tensor.Shape{d.T, d.B, 4 * d.H}
	default:
		return tensor.Shape{d.B, d.H}
	}
}

// gradOffset is where segment p starts in the packed gradient; the packed
// length is gradOffset(lstmGradParts).
func (d lstmDims) gradOffset(p lstmGradPart) int {
	off := 0
	for q := lstmGradPart(0); q < p; q++ {
		off += d.gradShape(q).TotalSize()
	}
	return off
}

// lstmRowBlocks splits a batch of b rows into blocks of whole GEMM
// micro-panels, one per goroutine. Batch rows are independent sequences,
// so each goroutine runs its block through every step with no
// synchronisation.
func lstmRowBlocks(b, h int) (blocks, per int) {
	mr := kernel.mr
	nw := workers(ceilDiv(b, mr))
	// Below this much work per step a second goroutine costs more than it saves.
	if b*h < 2048 {
		nw = 1
	}
	per = ceilDiv(ceilDiv(b, mr), nw) * mr
	return ceilDiv(b, per), per
}

// lstmForward fills ws (d.wsLen(), zeroed) for x [T·B, In], wih [4H, In],
// whh [4H, H] and bias [4H].
func lstmForward(d lstmDims, x, wih, whh, bias, ws []float32) {
	n, h, h4 := d.rows(), d.H, 4*d.H
	hs, cs, tcs := ws[d.wsH():d.wsC()], ws[d.wsC():d.wsTanhC()], ws[d.wsTanhC():d.wsGates()]
	z := ws[d.wsGates():]
	// Input projections of every step in one product; the cell adds the bias.
	gemmParallel(false, true, n, h4, d.In, x, d.In, wih, d.In, z)

	sc := getScratch(1)
	defer putScratch(sc)
	sc[0].w = grow(sc[0].w, panelsB(h, h4))
	packB(true, h, h4, whh, h, sc[0].w) // W_hhᵀ, packed once for all steps
	bm := packedB(sc[0].w)

	blocks, per := lstmRowBlocks(d.B, h)
	scr := getScratch(blocks)
	defer putScratch(scr)
	parallelFor(blocks, blocks, func(w, blk int) {
		lo := blk * per
		hi := min(d.B, lo+per)
		s := scr[w]
		s.a = grow(s.a, panelsA(hi-lo, h))
		for t := 0; t < d.T; t++ {
			step := t * d.B
			if t > 0 {
				prev := hs[(step-d.B+lo)*h : (step-d.B+hi)*h]
				packA(false, hi-lo, h, prev, h, s.a)
				gemmPanels(hi-lo, h4, h, s.a, bm, 1, z[(step+lo)*h4:(step+hi)*h4], h4)
			}
			for r := step + lo; r < step+hi; r++ {
				var cPrev []float32
				if t > 0 {
					cPrev = cs[(r-d.B)*h : (r-d.B+1)*h]
				}
				lstmCell(z[r*h4:(r+1)*h4], bias, cPrev, cs[r*h:(r+1)*h], tcs[r*h:(r+1)*h], hs[r*h:(r+1)*h])
			}
		}
	})
}

// lstmCell adds bias to one row of gate pre-activations g (i, f, g, o
// blocks of H) and turns them into activations in place, then writes
// c = f·cPrev + i·g (cPrev nil for a zero state), tc = tanh c and h = o·tc.
func lstmCell(g, bias, cPrev, c, tc, h []float32) {
	n := len(h)
	g, bias = g[:4*n], bias[:4*n]
	for j, b := range bias {
		g[j] += b
	}
	vsigmoid(g[:2*n]) // i, f
	vtanh(g[2*n : 3*n])
	vsigmoid(g[3*n:])
	gi, gf, gg, gO := g[:n], g[n:2*n], g[2*n:3*n], g[3*n:]
	c, tc = c[:n], tc[:n]
	if cPrev != nil {
		cPrev = cPrev[:n]
		for j := range c {
			c[j] = gf[j]*cPrev[j] + gi[j]*gg[j]
		}
	} else {
		for j := range c {
			c[j] = gi[j] * gg[j]
		}
	}
	copy(tc, c)
	vtanh(tc)
	for j := range h {
		h[j] = gO[j] * tc[j]
	}
}

// lstmBackward fills the packed gradient out (d.gradOffset(lstmGradParts),
// zeroed) of an LSTM run given its inputs x, wih, whh, its workspace ws
// and the gradient dH [T, B, H] of its hidden states.
func lstmBackward(d lstmDims, x, wih, whh, ws, dH, out []float32) {
	n, h, h4 := d.rows(), d.H, 4*d.H
	part := func(p lstmGradPart) []float32 {
		return out[d.gradOffset(p):d.gradOffset(p+1)]
	}
	dx, dwih, dwhh, db := part(lstmDX), part(lstmDWih), part(lstmDWhh), part(lstmDBias)
	dz, dh, dc := part(lstmDGates), part(lstmDH0), part(lstmDC0)
	hs, cs, tcs := ws[d.wsH():d.wsC()], ws[d.wsC():d.wsTanhC()], ws[d.wsTanhC():d.wsGates()]
	gates := ws[d.wsGates():]

	// W_hh [4H, H] and W_ih [4H, In] are the B operands of every step's
	// dz_t·W_hh and dz_t·W_ih, read in place; only their partial last
	// panels are packed, once.
	sc := getScratch(1)
	defer putScratch(sc)
	sc[0].tail = grow(sc[0].tail, 2*h4*gemmNR)
	bhh := rowMajorB(h4, h, whh, h, sc[0].tail[:h4*gemmNR])
	bih := rowMajorB(h4, d.In, wih, d.In, sc[0].tail[h4*gemmNR:])

	blocks, per := lstmRowBlocks(d.B, h)
	scr := getScratch(blocks)
	defer putScratch(scr)
	parallelFor(blocks, blocks, func(w, blk int) {
		lo := blk * per
		hi := min(d.B, lo+per)
		m := hi - lo
		s := scr[w]
		// s.a holds dz of the step after, packed: the A operand of both
		// that step's dx and this step's recurrent term.
		s.a = grow(s.a, panelsA(m, h4))
		for t := d.T - 1; t >= 0; t-- {
			step := t * d.B
			copy(dh[lo*h:hi*h], dH[(step+lo)*h:(step+hi)*h])
			if t < d.T-1 {
				gemmPanels(m, h, h4, s.a, bhh, 1, dh[lo*h:hi*h], h)
			}
			for r := lo; r < hi; r++ {
				row := step + r
				var cPrev []float32
				if t > 0 {
					cPrev = cs[(row-d.B)*h : (row-d.B+1)*h]
				}
				lstmCellGrad(gates[row*h4:(row+1)*h4], cPrev, tcs[row*h:(row+1)*h],
					dh[r*h:(r+1)*h], dc[r*h:(r+1)*h], dz[row*h4:(row+1)*h4])
			}
			packA(false, m, h4, dz[(step+lo)*h4:(step+hi)*h4], h4, s.a)
			gemmPanels(m, d.In, h4, s.a, bih, 0, dx[(step+lo)*d.In:(step+hi)*d.In], d.In)
		}
		// dh0 = dz_0·W_hh; dc already holds f_0·dc_0.
		gemmPanels(m, h, h4, s.a, bhh, 0, dh[lo*h:hi*h], h)
	})

	// dW_ih = dzᵀ·x and dW_hh = dzᵀ·h_prev, computed transposed (xᵀ·dz,
	// h_prevᵀ·dz) so that the large dz is read in place, not packed.
	sc[0].part = grow(sc[0].part, h4*max(d.In, h))
	wt := sc[0].part
	clear(wt[:d.In*h4])
	gemmParallel(true, false, d.In, h4, n, x, d.In, dz, h4, wt)
	transposeInto(dwih, wt, d.In, h4)
	if d.T > 1 {
		// h_{t-1} of steps 1… is h of steps …T-2; step 0's is zero.
		clear(wt[:h*h4])
		gemmParallel(true, false, h, h4, n-d.B, hs, h, dz[d.B*h4:], h4, wt)
		transposeInto(dwhh, wt, h, h4)
	}
	columnSums(n, h4, dz, db)
}

// transposeInto writes the transpose of the r×c matrix src to dst (c×r).
func transposeInto(dst, src []float32, r, c int) {
	for i := 0; i < r; i++ {
		for j, v := range src[i*c : (i+1)*c] {
			dst[j*r+i] = v
		}
	}
}

// lstmCellGrad backpropagates one row through the cell: given the gate
// activations g (i, f, g, o blocks), cPrev (nil for the zero initial
// state), tc = tanh c, the hidden-state gradient dh and the running
// cell-state gradient dc (from the step after), it writes the gate
// pre-activation gradients dz and replaces dc by the gradient of cPrev.
func lstmCellGrad(g, cPrev, tc, dh, dc, dz []float32) {
	n := len(dh)
	gi, gf, gg, gov := g[:n], g[n:2*n], g[2*n:3*n], g[3*n:4*n]
	di, df, dg, do := dz[:n], dz[n:2*n], dz[2*n:3*n], dz[3*n:4*n]
	tc, dc = tc[:n], dc[:n]
	for j, dhv := range dh {
		i, f, gv, o, t := gi[j], gf[j], gg[j], gov[j], tc[j]
		dcv := dc[j] + dhv*o*(1-t*t)
		di[j] = dcv * gv * i * (1 - i)
		if cPrev != nil {
			df[j] = dcv * cPrev[j] * f * (1 - f)
		} else {
			df[j] = 0
		}
		dg[j] = dcv * i * (1 - gv*gv)
		do[j] = dhv * t * o * (1 - o)
		dc[j] = dcv * f
	}
}

// columnSums adds the column sums of the m×n matrix a to dst [n].
func columnSums(m, n int, a, dst []float32) {
	parallelChunks(n, 64, func(lo, hi int) {
		for r := 0; r < m; r++ {
			row := a[r*n+lo : r*n+hi]
			for j, v := range row {
				dst[lo+j] += v
			}
		}
	})
}
