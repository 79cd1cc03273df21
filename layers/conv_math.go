package layers

import (
	"runtime"
	"sync"
)

// convGeom is the geometry of a 2-D cross-correlation from a large image
// [C, H, W] to a small one [_, OH, OW] with a square kernel K, stride S and
// symmetric zero padding P. A transposed convolution uses the same geometry
// read backwards (small to large).
type convGeom struct {
	c, h, w int // large image
	k, s, p int
	oh, ow  int // small image
}

// convOutSize is the conv output length of an input length n: (n+2p-k)/s+1.
func convOutSize(n, k, s, p int) int { return (n+2*p-k)/s + 1 }

// newConvGeom returns the geometry of a conv from [c, h, w] with kernel k,
// stride s and padding p; oh and ow are the conv output sizes.
func newConvGeom(c, h, w, k, s, p int) convGeom {
	return convGeom{c: c, h: h, w: w, k: k, s: s, p: p, oh: convOutSize(h, k, s, p), ow: convOutSize(w, k, s, p)}
}

func (g convGeom) colRows() int { return g.c * g.k * g.k }
func (g convGeom) colCols() int { return g.oh * g.ow }
func (g convGeom) imSize() int  { return g.c * g.h * g.w }

// floorDiv is a/b rounded towards minus infinity for b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// validCols returns the range [lo, hi) of small-image columns ox whose large
// column ox*s-p+kj lies inside [0, w).
func (g convGeom) validCols(kj int) (lo, hi int) {
	lo = max(0, -floorDiv(kj-g.p, g.s))
	hi = min(g.ow, floorDiv(g.w-1+g.p-kj, g.s)+1)
	return lo, max(lo, hi)
}

// im2colPanels writes the patch matrix of img [C, H, W] — the
// [C*K*K, OH*OW] matrix whose entry (c*K*K + ki*K + kj, oy*OW + ox) is
// img[c][oy*S-P+ki][ox*S-P+kj], zero outside the image — packed as the B
// operand of gemmPanels (depth C*K*K, width OH*OW). dst needs
// panelsB(C*K*K, OH*OW) values; row is scratch space for at least
// OH*OW rounded up to a multiple of 16 values. Each patch row is built in
// row (hot in L1) and then copied to the panels 16 values at a time.
func (g convGeom) im2colPanels(img, dst, row []float32) {
	depth, n := g.colRows(), g.colCols()
	ps := depth * gemmNR // values per panel
	row = row[:ceilDiv(n, gemmNR)*gemmNR]
	clear(row[n:])
	for c := 0; c < g.c; c++ {
		plane := img[c*g.h*g.w : (c+1)*g.h*g.w]
		for ki := 0; ki < g.k; ki++ {
			for kj := 0; kj < g.k; kj++ {
				lo, hi := g.validCols(kj)
				for oy := 0; oy < g.oh; oy++ {
					seg := row[oy*g.ow : (oy+1)*g.ow]
					iy := oy*g.s - g.p + ki
					if iy < 0 || iy >= g.h {
						clear(seg)
						continue
					}
					clear(seg[:lo])
					clear(seg[hi:])
					src := plane[iy*g.w : (iy+1)*g.w]
					ix := lo*g.s - g.p + kj
					if g.s == 1 {
						copy(seg[lo:hi], src[ix:])
						continue
					}
					for j := lo; j < hi; j++ {
						seg[j] = src[ix]
						ix += g.s
					}
				}
				off := ((c*g.k+ki)*g.k + kj) * gemmNR
				for j := 0; j < len(row); j += gemmNR {
					*(*[gemmNR]float32)(dst[off:]) = *(*[gemmNR]float32)(row[j:])
					off += ps
				}
			}
		}
	}
}

// im2colPanelsT writes the transposed patch matrix of img (see
// im2colPanels) packed as the B operand of gemmPanels (depth OH*OW, width
// C*K*K). dst needs panelsB(OH*OW, C*K*K) values.
func (g convGeom) im2colPanelsT(img, dst []float32) {
	width, depth := g.colRows(), g.colCols()
	ps := depth * gemmNR
	if width%gemmNR != 0 {
		last := width / gemmNR * ps
		clear(dst[last : last+ps])
	}
	// Pixel j of patch row r goes to (r/16)*ps + j*16 + r%16.
	for c := 0; c < g.c; c++ {
		plane := img[c*g.h*g.w : (c+1)*g.h*g.w]
		for ki := 0; ki < g.k; ki++ {
			for kj := 0; kj < g.k; kj++ {
				r := (c*g.k+ki)*g.k + kj
				col := dst[(r>>4)*ps+r&15:]
				lo, hi := g.validCols(kj)
				for oy := 0; oy < g.oh; oy++ {
					j := oy * g.ow
					iy := oy*g.s - g.p + ki
					if iy < 0 || iy >= g.h {
						for end := j + g.ow; j < end; j++ {
							col[j*gemmNR] = 0
						}
						continue
					}
					for end := j + lo; j < end; j++ {
						col[j*gemmNR] = 0
					}
					src := plane[iy*g.w : (iy+1)*g.w]
					ix := lo*g.s - g.p + kj
					for end := j + hi - lo; j < end; j++ {
						col[j*gemmNR] = src[ix]
						ix += g.s
					}
					for end := oy*g.ow + g.ow; j < end; j++ {
						col[j*gemmNR] = 0
					}
				}
			}
		}
	}
}

// col2im is the adjoint of the patch matrix (see im2colPanels): it zeroes
// img [C, H, W] and adds every entry of col, a [C*K*K, OH*OW] matrix with
// rows ld elements apart, back to the pixel it was read from.
func (g convGeom) col2im(col, img []float32, ld int) {
	clear(img[:g.imSize()])
	n := g.oh * g.ow
	for c := 0; c < g.c; c++ {
		plane := img[c*g.h*g.w : (c+1)*g.h*g.w]
		for ki := 0; ki < g.k; ki++ {
			for kj := 0; kj < g.k; kj++ {
				row := col[((c*g.k+ki)*g.k+kj)*ld:][:n]
				lo, hi := g.validCols(kj)
				if lo >= hi {
					continue
				}
				for oy := 0; oy < g.oh; oy++ {
					iy := oy*g.s - g.p + ki
					if iy < 0 || iy >= g.h {
						continue
					}
					src := row[oy*g.ow+lo : oy*g.ow+hi]
					dst := plane[iy*g.w : (iy+1)*g.w]
					ix := lo*g.s - g.p + kj
					if g.s == 1 {
						dst = dst[ix : ix+len(src)]
						for i, v := range src {
							dst[i] += v
						}
						continue
					}
					for _, v := range src {
						dst[ix] += v
						ix += g.s
					}
				}
			}
		}
	}
}

// convScratch is one worker's packing space, column buffer and, for filter
// gradients, partial sum.
type convScratch struct {
	a, b, col, part []float32
}

var scratchPool sync.Pool

// getScratch returns a scratch space for each of n workers.
func getScratch(n int) []*convScratch {
	s := make([]*convScratch, n)
	for i := range s {
		if v, ok := scratchPool.Get().(*convScratch); ok {
			s[i] = v
		} else {
			s[i] = new(convScratch)
		}
	}
	return s
}

func putScratch(s []*convScratch) {
	for _, v := range s {
		scratchPool.Put(v)
	}
}

// grow returns buf resized to n, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// workers is the number of goroutines used for n independent pieces of work.
func workers(n int) int { return max(1, min(n, runtime.GOMAXPROCS(0))) }

// parallelFor runs f(w, i) for i in [0, n) on nw goroutines; w in [0, nw)
// identifies the goroutine so that f can use per-goroutine scratch space.
func parallelFor(nw, n int, f func(w, i int)) {
	if nw <= 1 {
		for i := 0; i < n; i++ {
			f(0, i)
		}
		return
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for w := 0; w < nw; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// convForward computes y [N, OC, OH, OW] = conv(x [N, C, H, W], w [OC, C, K, K]):
// per image, the filter (packed once) times the packed patch matrix.
func convForward(g convGeom, n, oc int, x, w, y []float32) {
	depth, pix := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	sc[0].a = grow(sc[0].a, panelsA(oc, depth))
	wp := sc[0].a
	packA(false, oc, depth, w, depth, wp)
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		s.b = grow(s.b, panelsB(depth, pix))
		s.col = grow(s.col, ceilDiv(pix, gemmNR)*gemmNR)
		g.im2colPanels(x[i*g.imSize():(i+1)*g.imSize()], s.b, s.col)
		gemmPanels(oc, pix, depth, wp, s.b, 0, y[i*oc*pix:(i+1)*oc*pix], pix)
	})
}

// convTransposeForward computes y [N, C, H, W] = convT(x [N, CS, OH, OW],
// w [CS, C, K, K]), the adjoint of convForward in its input: per image, the
// column matrix wᵀ·x[n] scattered back by col2im.
func convTransposeForward(g convGeom, n, cs int, x, w, y []float32) {
	depth, pix := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	sc[0].a = grow(sc[0].a, panelsA(depth, cs))
	wp := sc[0].a
	packA(true, depth, cs, w, depth, wp)
	identity := g.k == 1 && g.s == 1 && g.p == 0
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		s.b = grow(s.b, panelsB(cs, pix))
		packB(false, cs, pix, x[i*cs*pix:(i+1)*cs*pix], pix, s.b)
		yi := y[i*g.imSize() : (i+1)*g.imSize()]
		if identity {
			gemmPanels(depth, pix, cs, wp, s.b, 0, yi, pix)
			return
		}
		s.col = grow(s.col, depth*pix)
		gemmPanels(depth, pix, cs, wp, s.b, 0, s.col, pix)
		g.col2im(s.col, yi, pix)
	})
}

// convFilterGrad computes dw [CS, C, K, K] = Σₙ small[n] [CS, OH*OW] ·
// patches(large[n])ᵀ: the filter gradient of a conv (large = input, small =
// output gradient) and of a transposed conv (large = output gradient, small
// = input). Each goroutine sums its images; the partial sums are added last.
func convFilterGrad(g convGeom, n, cs int, large, small, dw []float32) {
	width, pix := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	used := make([]bool, nw)
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		s.a = grow(s.a, panelsA(cs, pix))
		s.b = grow(s.b, panelsB(pix, width))
		packA(false, cs, pix, small[i*cs*pix:(i+1)*cs*pix], pix, s.a)
		g.im2colPanelsT(large[i*g.imSize():(i+1)*g.imSize()], s.b)
		dst := dw
		if wk > 0 {
			s.part = grow(s.part, len(dw))
			dst = s.part
		}
		beta := float32(1)
		if !used[wk] {
			beta, used[wk] = 0, true
		}
		gemmPanels(cs, width, pix, s.a, s.b, beta, dst, width)
	})
	if !used[0] {
		clear(dw)
	}
	for wk := 1; wk < nw; wk++ {
		if used[wk] {
			for j, v := range sc[wk].part[:len(dw)] {
				dw[j] += v
			}
		}
	}
}
