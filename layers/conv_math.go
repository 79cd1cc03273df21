package layers

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
// panelsB(C*K*K, OH*OW) values; row is scratch space for OH*OW rounded up
// to a multiple of 16 values. Each patch row is built in row (hot in L1)
// and then copied to the panels 16 values at a time.
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
					for j := 0; j < lo; j++ {
						seg[j] = 0
					}
					for j := hi; j < len(seg); j++ {
						seg[j] = 0
					}
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

// identity reports whether the patch matrix is the image itself (1×1
// kernel, stride 1, no padding).
func (g convGeom) identity() bool { return g.k == 1 && g.s == 1 && g.p == 0 }

// convForward writes conv(x [N, C, H, W], w [OC, C, K, K]) to
// y [N, OC, OH, OW], which must be zero on entry (the ops pass a new
// tensor): shifted GEMMs on phase planes for 4 or more input channels, else
// per image the filter (packed once) times the packed patch matrix.
func convForward(g convGeom, n, oc int, x, w, y []float32) {
	depth, pix := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	if g.useShift(g.c) {
		sg := g.shift()
		sc[0].w = grow(sc[0].w, g.k*g.k*panelsA(oc, g.c))
		taps := sg.packTaps(oc, w, false, sc[0].w)
		parallelFor(nw, n, func(wk, i int) {
			sg.convForward(oc, taps, x[i*g.imSize():(i+1)*g.imSize()], y[i*oc*pix:(i+1)*oc*pix], sc[wk])
		})
		return
	}
	sc[0].w = grow(sc[0].w, panelsA(oc, depth))
	wp := sc[0].w
	packA(false, oc, depth, w, depth, wp)
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		s.b = grow(s.b, panelsB(depth, pix))
		s.col = grow(s.col, ceilDiv(pix, gemmNR)*gemmNR)
		g.im2colPanels(x[i*g.imSize():(i+1)*g.imSize()], s.b, s.col)
		gemmPanels(oc, pix, depth, wp, packedB(s.b), 1, y[i*oc*pix:(i+1)*oc*pix], pix)
	})
}

// convTransposeForward writes convT(x [N, CS, OH, OW], w [CS, C, K, K]),
// the adjoint of convForward in its input, to y [N, C, H, W], which must be
// zero on entry: shifted GEMMs on phase planes, or for a 1×1 kernel with
// stride 1 and no padding one GEMM per image.
func convTransposeForward(g convGeom, n, cs int, x, w, y []float32) {
	depth, pix := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	if !g.identity() {
		// Shifted GEMMs add into the phase planes directly; the patch-matrix
		// route would write as many values and then scatter them by col2im.
		sg := g.shift()
		sc[0].w = grow(sc[0].w, g.k*g.k*panelsA(g.c, cs))
		taps := sg.packTaps(cs, w, true, sc[0].w)
		parallelFor(nw, n, func(wk, i int) {
			sg.convTransposeForward(cs, taps, x[i*cs*pix:(i+1)*cs*pix], y[i*g.imSize():(i+1)*g.imSize()], sc[wk])
		})
		return
	}
	sc[0].w = grow(sc[0].w, panelsA(depth, cs))
	wp := sc[0].w
	packA(true, depth, cs, w, depth, wp)
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		s.b = grow(s.b, cs*gemmNR)
		xi := rowMajorB(cs, pix, x[i*cs*pix:(i+1)*cs*pix], pix, s.b)
		gemmPanels(depth, pix, cs, wp, xi, 1, y[i*g.imSize():(i+1)*g.imSize()], pix)
	})
}

// convFilterGrad writes Σₙ small[n] [CS, OH*OW] · patches(large[n])ᵀ to
// dw [CS, C, K, K], which must be zero on entry: the filter gradient of a
// conv (large = input, small = output gradient) and of a transposed conv
// (large = output gradient, small = input). With 4 or more large channels
// it runs shifted GEMMs per tap, else patch-matrix GEMMs. Each image's
// contribution goes to its own buffer and the buffers are added in image
// order, so the result is bit-identical whatever the goroutine schedule or
// GOMAXPROCS.
func convFilterGrad(g convGeom, n, cs int, large, small, dw []float32) {
	width, pix := g.colRows(), g.colCols()
	nw := workers(n)
	sc := getScratch(nw)
	defer putScratch(sc)
	parts := make([]float32, n*len(dw))
	part := func(i int) []float32 { return parts[i*len(dw) : (i+1)*len(dw)] }
	if g.useShift(g.c) {
		// Per-image sums by tap, [K*K][CS][C], added to dw [CS][C][K*K] last.
		sg, kk := g.shift(), g.k*g.k
		parallelFor(nw, n, func(wk, i int) {
			sg.filterGrad(cs, large[i*g.imSize():(i+1)*g.imSize()], small[i*cs*pix:(i+1)*cs*pix], part(i), sc[wk])
		})
		for i := 0; i < n; i++ {
			p := part(i)
			for t := 0; t < kk; t++ {
				for j := 0; j < cs*g.c; j++ {
					dw[j*kk+t] += p[t*cs*g.c+j]
				}
			}
		}
		return
	}
	parallelFor(nw, n, func(wk, i int) {
		s := sc[wk]
		s.a = grow(s.a, panelsA(cs, pix))
		s.b = grow(s.b, panelsB(pix, width))
		packA(false, cs, pix, small[i*cs*pix:(i+1)*cs*pix], pix, s.a)
		g.im2colPanelsT(large[i*g.imSize():(i+1)*g.imSize()], s.b)
		gemmPanels(cs, width, pix, s.a, packedB(s.b), 0, part(i), width)
	})
	for i := 0; i < n; i++ {
		for j, v := range part(i) {
			dw[j] += v
		}
	}
}
