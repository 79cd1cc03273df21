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

// im2col writes the patches of img [C, H, W] into col, a [C*K*K, OH*OW]
// matrix whose rows start ld elements apart: col[(c*K+ki)*K+kj][oy*OW+ox] =
// img[c][oy*S-P+ki][ox*S-P+kj], zero outside the image.
func (g convGeom) im2col(img, col []float32, ld int) {
	n := g.oh * g.ow
	for c := 0; c < g.c; c++ {
		plane := img[c*g.h*g.w : (c+1)*g.h*g.w]
		for ki := 0; ki < g.k; ki++ {
			for kj := 0; kj < g.k; kj++ {
				row := col[((c*g.k+ki)*g.k+kj)*ld:][:n]
				lo, hi := g.validCols(kj)
				for oy := 0; oy < g.oh; oy++ {
					dst := row[oy*g.ow : (oy+1)*g.ow]
					iy := oy*g.s - g.p + ki
					if iy < 0 || iy >= g.h {
						clear(dst)
						continue
					}
					clear(dst[:lo])
					clear(dst[hi:])
					src := plane[iy*g.w : (iy+1)*g.w]
					ix := lo*g.s - g.p + kj
					if g.s == 1 {
						copy(dst[lo:hi], src[ix:])
						continue
					}
					for ox := lo; ox < hi; ox++ {
						dst[ox] = src[ix]
						ix += g.s
					}
				}
			}
		}
	}
}

// col2im is the adjoint of im2col: it zeroes img [C, H, W] and adds every
// entry of col (rows ld elements apart) back to the pixel it was read from.
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

// convScratch is one worker's im2col buffer, packing space and, for filter
// gradients, partial sum.
type convScratch struct {
	col, part []float32
	gb        gemmBuf
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

// workers is the number of goroutines used for a batch of n images.
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

// identity reports whether im2col is the identity (1×1 kernel, stride 1, no padding).
func (g convGeom) identity() bool { return g.k == 1 && g.s == 1 && g.p == 0 }

// convForward computes y [N, OC, OH, OW] = conv(x [N, C, H, W], w [OC, C, K, K]),
// images in parallel.
func convForward(g convGeom, n, oc int, x, w, y []float32) {
	rows, cols := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		col := x[i*g.imSize() : (i+1)*g.imSize()]
		if !g.identity() {
			s.col = grow(s.col, rows*cols)
			col = s.col
			g.im2col(x[i*g.imSize():], col, cols)
		}
		gemm(false, false, oc, cols, rows, w, rows, col, cols, 0, y[i*oc*cols:(i+1)*oc*cols], cols, &s.gb)
	})
}

// convTransposeForward computes y [N, C, H, W] = convT(x [N, CS, OH, OW],
// w [CS, C, K, K]), the adjoint of convForward in its input, images in parallel.
func convTransposeForward(g convGeom, n, cs int, x, w, y []float32) {
	rows, cols := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		xi := x[i*cs*cols : (i+1)*cs*cols]
		yi := y[i*g.imSize() : (i+1)*g.imSize()]
		if g.identity() {
			gemm(true, false, rows, cols, cs, w, rows, xi, cols, 0, yi, cols, &s.gb)
			return
		}
		s.col = grow(s.col, rows*cols)
		gemm(true, false, rows, cols, cs, w, rows, xi, cols, 0, s.col, cols, &s.gb)
		g.col2im(s.col, yi, cols)
	})
}

// convFilterGrad computes dw [CS, C, K, K] = Σₙ small[n] [CS, OH*OW] ·
// im2col(large[n])ᵀ: the filter gradient of a conv (large = input, small =
// output gradient) and of a transposed conv (large = output gradient, small
// = input). Each goroutine sums its images; the partial sums are added last.
func convFilterGrad(g convGeom, n, cs int, large, small, dw []float32) {
	rows, cols := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	used := make([]bool, nw)
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		col := large[i*g.imSize() : (i+1)*g.imSize()]
		if !g.identity() {
			s.col = grow(s.col, rows*cols)
			col = s.col
			g.im2col(large[i*g.imSize():], col, cols)
		}
		dst := dw
		if wk > 0 {
			s.part = grow(s.part, len(dw))
			dst = s.part
		}
		beta := float32(1)
		if !used[wk] {
			beta, used[wk] = 0, true
		}
		gemm(false, true, cs, rows, cols, small[i*cs*cols:(i+1)*cs*cols], cols, col, cols, beta, dst, rows, &s.gb)
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
