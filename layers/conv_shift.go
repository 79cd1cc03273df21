package layers

// Convolutions as shifted GEMMs, without patch matrices. The input is
// zero-padded and split into S² phase images by the residues of its row and
// column modulo the stride S: phase (u, v) holds padded pixel
// (S·Y+u, S·X+v) at (Y, X), in planes of width WP = ceil(WP₀/S) for a
// padded width WP₀ = W+2P. Output pixel (oy, ox) of tap (ki, kj) then reads
// pixel (oy + ki/S, ox + kj/S) of phase (ki%S, kj%S): with the output laid
// out on rows of WP values (the last WP-OW of each row discarded), every
// tap reads one contiguous run of every plane of one phase. A conv becomes
// K² GEMMs reading the phase planes in place, its input gradient K² GEMMs
// adding into shifted views of phase planes, and its filter gradient K²
// GEMMs against pixel-major copies of the phase planes. The strided
// gathers touch each input value once instead of K²/S² times.

// shiftGeom is the phase-plane layout of a convGeom.
type shiftGeom struct {
	convGeom
	hp, wp int // phase image size: ceil((H+2P)/S) × ceil((W+2P)/S)
	plane  int // stride between planes: one spare row for the last tap's overrun
	n      int // output values per channel on the plane width: OH·wp
}

// shiftMinDepth is the smallest GEMM depth (channels summed per tap) for
// which K² shifted GEMMs beat one patch-matrix GEMM of depth C·K².
const shiftMinDepth = 4

// useShift reports whether shifted GEMMs of depth k pay off.
func (g convGeom) useShift(k int) bool { return k >= shiftMinDepth }

func (g convGeom) shift() shiftGeom {
	hp, wp := ceilDiv(g.h+2*g.p, g.s), ceilDiv(g.w+2*g.p, g.s)
	return shiftGeom{convGeom: g, hp: hp, wp: wp, plane: (hp + 1) * wp, n: g.oh * wp}
}

// phases is the number of phase images, S².
func (sg shiftGeom) phases() int { return sg.s * sg.s }

// size is the number of values of C channels in phase planes.
func (sg shiftGeom) size() int { return sg.phases() * sg.c * sg.plane }

// tap returns the phase of tap t = ki·K + kj and its offset in a plane.
func (sg shiftGeom) tap(t int) (phase, off int) {
	ki, kj := t/sg.k, t%sg.k
	return (ki%sg.s)*sg.s + kj%sg.s, (ki/sg.s)*sg.wp + kj/sg.s
}

// index is the position of padded pixel (y, x) of channel c in the phase
// planes, laid out [phase][channel][plane].
func (sg shiftGeom) index(c, y, x int) int {
	return ((y%sg.s*sg.s+x%sg.s)*sg.c+c)*sg.plane + y/sg.s*sg.wp + x/sg.s
}

// pad writes img [C, H, W] into phase planes dst (sg.size() values), zero
// outside the image.
func (sg shiftGeom) pad(img, dst []float32) {
	dst = dst[:sg.size()]
	clear(dst)
	for c := 0; c < sg.c; c++ {
		for y := 0; y < sg.h; y++ {
			src := img[(c*sg.h+y)*sg.w : (c*sg.h+y+1)*sg.w]
			if sg.s == 1 {
				copy(dst[sg.index(c, y+sg.p, sg.p):], src)
				continue
			}
			for u := 0; u < sg.s; u++ { // columns x with (x+P) % S == u
				x0 := ((u-sg.p)%sg.s + sg.s) % sg.s
				if x0 >= sg.w {
					continue
				}
				out := dst[sg.index(c, y+sg.p, x0+sg.p):]
				for i, x := 0, x0; x < sg.w; i, x = i+1, x+sg.s {
					out[i] = src[x]
				}
			}
		}
	}
}

// crop copies the image part of phase planes src back to img [C, H, W].
func (sg shiftGeom) crop(src, img []float32) {
	for c := 0; c < sg.c; c++ {
		for y := 0; y < sg.h; y++ {
			dst := img[(c*sg.h+y)*sg.w : (c*sg.h+y+1)*sg.w]
			if sg.s == 1 {
				copy(dst, src[sg.index(c, y+sg.p, sg.p):])
				continue
			}
			for u := 0; u < sg.s; u++ {
				x0 := ((u-sg.p)%sg.s + sg.s) % sg.s
				if x0 >= sg.w {
					continue
				}
				in := src[sg.index(c, y+sg.p, x0+sg.p):]
				for i, x := 0, x0; x < sg.w; i, x = i+1, x+sg.s {
					dst[x] = in[i]
				}
			}
		}
	}
}

// widen writes ch channels of an output-sized image [ch, OH, OW] as rows of
// sg.n values on the plane width, the extra columns zero.
func (sg shiftGeom) widen(img []float32, ch int, dst []float32) {
	dst = dst[:ch*sg.n]
	for c := 0; c < ch; c++ {
		for y := 0; y < sg.oh; y++ {
			row := dst[c*sg.n+y*sg.wp : c*sg.n+(y+1)*sg.wp]
			copy(row, img[(c*sg.oh+y)*sg.ow:(c*sg.oh+y+1)*sg.ow])
			clear(row[sg.ow:])
		}
	}
}

// narrow copies the first OW columns of each plane-width row of src
// (ch rows of sg.n values) to img [ch, OH, OW].
func (sg shiftGeom) narrow(src []float32, ch int, img []float32) {
	for c := 0; c < ch; c++ {
		for y := 0; y < sg.oh; y++ {
			copy(img[(c*sg.oh+y)*sg.ow:(c*sg.oh+y+1)*sg.ow], src[c*sg.n+y*sg.wp:])
		}
	}
}

// transposePlanes writes phase planes src pixel-major, per phase:
// dst[(ph*plane + q)*C + c] = src[(ph*C + c)*plane + q].
func (sg shiftGeom) transposePlanes(src, dst []float32) {
	dst = dst[:sg.size()]
	for ph := 0; ph < sg.phases(); ph++ {
		out := dst[ph*sg.plane*sg.c : (ph+1)*sg.plane*sg.c]
		for c := 0; c < sg.c; c++ {
			for q, v := range src[(ph*sg.c+c)*sg.plane : (ph*sg.c+c+1)*sg.plane] {
				out[q*sg.c+c] = v
			}
		}
	}
}

// packTaps packs, for every tap t, the filter slice w[:, :, t] of
// w [CS, C, K, K] as a GEMM A operand: CS×C, or C×CS when trans.
func (sg shiftGeom) packTaps(cs int, w []float32, trans bool, dst []float32) [][]float32 {
	kk := sg.k * sg.k
	m, k, rs, ls := cs, sg.c, sg.c*kk, kk
	if trans {
		m, k, rs, ls = sg.c, cs, kk, sg.c*kk
	}
	size := panelsA(m, k)
	taps := make([][]float32, kk)
	for t := range taps {
		taps[t] = dst[t*size : (t+1)*size]
		packAStrided(m, k, w[t:], rs, ls, taps[t])
	}
	return taps
}

// convForward sets y [OC, OH, OW] to conv(x, w) for one image x [C, H, W]:
// K² GEMMs on the phase planes. taps is w packed by packTaps; s supplies
// the scratch space.
func (sg shiftGeom) convForward(oc int, taps [][]float32, x, y []float32, s *convScratch) {
	s.col = grow(s.col, sg.size())
	s.part = grow(s.part, oc*sg.n)
	s.b = grow(s.b, sg.c*gemmNR)
	sg.pad(x, s.col)
	for t, ap := range taps {
		ph, off := sg.tap(t)
		b := rowMajorB(sg.c, sg.n, s.col[ph*sg.c*sg.plane+off:], sg.plane, s.b)
		beta := float32(1)
		if t == 0 {
			beta = 0
		}
		gemmPanels(oc, sg.n, sg.c, ap, b, beta, s.part, sg.n)
	}
	sg.narrow(s.part, oc, y)
}

// convTransposeForward sets y [C, H, W] to convT(x, w) for one image
// x [CS, OH, OW]: K² GEMMs adding into shifted views of phase planes, then
// a crop. taps is w packed transposed by packTaps.
func (sg shiftGeom) convTransposeForward(cs int, taps [][]float32, x, y []float32, s *convScratch) {
	s.b = grow(s.b, cs*sg.n)
	s.col = grow(s.col, sg.size())
	s.a = grow(s.a, cs*gemmNR)
	sg.widen(x, cs, s.b)
	clear(s.col)
	b := rowMajorB(cs, sg.n, s.b, sg.n, s.a)
	for t, ap := range taps {
		ph, off := sg.tap(t)
		gemmPanels(sg.c, sg.n, cs, ap, b, 1, s.col[ph*sg.c*sg.plane+off:], sg.plane)
	}
	sg.crop(s.col, y)
}

// filterGrad adds, for every tap t, small·shift_t(large)ᵀ (CS×C) to
// acc[t*CS*C:] for one image (large [C, H, W], small [CS, OH, OW]), from
// the phase planes of large transposed pixel-major.
func (sg shiftGeom) filterGrad(cs int, large, small, acc []float32, s *convScratch) {
	s.col = grow(s.col, max(sg.size(), cs*sg.n))
	s.b = grow(s.b, sg.size())
	s.a = grow(s.a, panelsA(cs, sg.n))
	s.tail = grow(s.tail, sg.n*gemmNR)
	sg.pad(large, s.col)
	sg.transposePlanes(s.col, s.b)
	// The widened gradient goes to s.col (the phase planes are no longer
	// needed), its packed form to s.a.
	sg.widen(small, cs, s.col)
	packA(false, cs, sg.n, s.col, sg.n, s.a)
	for t := 0; t < sg.k*sg.k; t++ {
		ph, off := sg.tap(t)
		b := rowMajorB(sg.n, sg.c, s.b[(ph*sg.plane+off)*sg.c:], sg.c, s.tail)
		gemmPanels(cs, sg.c, sg.n, s.a, b, 1, acc[t*cs*sg.c:(t+1)*cs*sg.c], sg.c)
	}
}
