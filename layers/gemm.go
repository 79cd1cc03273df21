package layers

// Single-precision GEMM for the conv and matmul ops. The A operand is
// packed into kernel.mr-row micro-panels stored depth-major and zero-padded;
// the B operand is either packed the same way into gemmNR-column panels or,
// when row-major, read in place 16 columns at a time. One micro-kernel call
// computes an mr×gemmNR output tile: an AVX-512 or AVX2/FMA assembly kernel
// where the CPU has one, else portable Go. gemmPanels is serial (the conv
// ops run images in parallel); gemmParallel splits one product across
// goroutines.

const (
	gemmNR = 16  // micro-tile columns
	maxMR  = 8   // largest micro-tile height of any kernel
	gemmKC = 512 // depth of one pass over the output tiles
)

// gemmKernel is a micro-kernel with its tile height mr: run adds the
// product of a packed A micro-panel (k×mr) and gemmNR columns of B (k rows
// ldb elements apart: 16 for a packed panel) to the mr×gemmNR tile at c
// (rows ldc elements apart). k is positive.
type gemmKernel struct {
	name string
	mr   int
	run  func(k int, a, b, c []float32, ldb, ldc int)
}

var goKernel = gemmKernel{"go", 6, func(k int, a, b, c []float32, ldb, ldc int) { kernelGo(6, k, a, b, c, ldb, ldc) }}

// kernel is the micro-kernel in use: the fastest the CPU supports (see
// gemm_amd64.go). Packed A operands depend on its mr.
var kernel = goKernel

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// panelsA is the size of m×k packed into A panels.
func panelsA(m, k int) int { return ceilDiv(m, kernel.mr) * kernel.mr * k }

// panelsB is the size of k×n packed into B panels.
func panelsB(k, n int) int { return ceilDiv(n, gemmNR) * gemmNR * k }

// packA packs op(a) (m×k, a row-major with leading dimension lda, op the
// transpose when tA) into dst for the current kernel: with MR = kernel.mr,
// panel p holds rows MR·p … MR·p+MR-1 at dst[p*k*MR + l*MR + r], rows past
// m zero.
func packA(tA bool, m, k int, a []float32, lda int, dst []float32) {
	mr := kernel.mr
	for i0 := 0; i0 < m; i0 += mr {
		rows := min(mr, m-i0)
		panel := dst[i0*k : (i0+mr)*k]
		if rows < mr {
			clear(panel)
		}
		if tA {
			for l := 0; l < k; l++ {
				copy(panel[l*mr:l*mr+rows], a[l*lda+i0:][:rows])
			}
			continue
		}
		for r := 0; r < rows; r++ {
			for l, v := range a[(i0+r)*lda:][:k] {
				panel[l*mr+r] = v
			}
		}
	}
}

// packAStrided packs the m×k matrix A[i][l] = a[i*rs + l*ls] like packA.
func packAStrided(m, k int, a []float32, rs, ls int, dst []float32) {
	mr := kernel.mr
	for i0 := 0; i0 < m; i0 += mr {
		rows := min(mr, m-i0)
		panel := dst[i0*k : (i0+mr)*k]
		if rows < mr {
			clear(panel)
		}
		for r := 0; r < rows; r++ {
			for l := 0; l < k; l++ {
				panel[l*mr+r] = a[(i0+r)*rs+l*ls]
			}
		}
	}
}

// packB packs op(b) (k×n) into dst: panel q holds columns 16q..16q+15 at
// dst[q*k*16 + l*16 + j], columns past n zero.
func packB(tB bool, k, n int, b []float32, ldb int, dst []float32) {
	for j0 := 0; j0 < n; j0 += gemmNR {
		nr := min(gemmNR, n-j0)
		panel := dst[j0*k : (j0+gemmNR)*k]
		if nr < gemmNR {
			clear(panel)
		}
		if !tB {
			for l := 0; l < k; l++ {
				copy(panel[l*gemmNR:l*gemmNR+nr], b[l*ldb+j0:][:nr])
			}
			continue
		}
		for j := 0; j < nr; j++ {
			for l, v := range b[(j0+j)*ldb:][:k] {
				panel[l*gemmNR+j] = v
			}
		}
	}
}

// bMatrix is the B operand (k×n) of gemmPanels: packed panels (ld 0), or a
// row-major matrix with rows ld apart whose 16-column blocks the kernel
// reads in place, the last partial block, if any, packed in tail.
type bMatrix struct {
	data []float32
	ld   int
	tail []float32
}

// packedB is a B operand made by packB or im2colPanels.
func packedB(bp []float32) bMatrix { return bMatrix{data: bp} }

// rowMajorB is the k×n row-major b (rows ldb apart) as a B operand read in
// place; buf is scratch for the partial last panel (k*16 values).
func rowMajorB(k, n int, b []float32, ldb int, buf []float32) bMatrix {
	bm := bMatrix{data: b, ld: ldb}
	if rem := n % gemmNR; rem != 0 {
		j0 := n - rem
		bm.tail = buf[:k*gemmNR]
		packB(false, k, rem, b[j0:], ldb, bm.tail)
	}
	return bm
}

// panel returns the 16 columns of B starting at column j0 and their row stride.
func (bm bMatrix) panel(j0, k, n int) ([]float32, int) {
	switch {
	case bm.ld == 0:
		return bm.data[j0*k : (j0+gemmNR)*k], gemmNR
	case j0+gemmNR > n:
		return bm.tail, gemmNR
	}
	return bm.data[j0 : (k-1)*bm.ld+j0+gemmNR], bm.ld
}

// offset returns the B operand restricted to the columns from j0 (a
// multiple of 16) on.
func (bm bMatrix) offset(j0, k int) bMatrix {
	if bm.ld == 0 {
		return bMatrix{data: bm.data[j0*k:]}
	}
	return bMatrix{data: bm.data[j0:], ld: bm.ld, tail: bm.tail}
}

// gemmPanels computes c = ap·b + beta·c (beta 0 or 1) for packed ap (m×k)
// and b (k×n); c is m×n with row stride ldc.
func gemmPanels(m, n, k int, ap []float32, bm bMatrix, beta float32, c []float32, ldc int) {
	if beta == 0 {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	}
	if k == 0 {
		return
	}
	var tile [maxMR * gemmNR]float32
	kern := kernel
	// Depth blocks of gemmKC keep the A and B slices in use cache-resident
	// when k is large.
	for l0 := 0; l0 < k; l0 += gemmKC {
		kc := min(gemmKC, k-l0)
		for j0 := 0; j0 < n; j0 += gemmNR {
			nr := min(gemmNR, n-j0)
			b, ldb := bm.panel(j0, k, n)
			b = b[l0*ldb:]
			for i0 := 0; i0 < m; i0 += kern.mr {
				rows := min(kern.mr, m-i0)
				a := ap[i0*k+l0*kern.mr : i0*k+(l0+kc)*kern.mr]
				off := i0*ldc + j0
				if rows == kern.mr && nr == gemmNR {
					kern.run(kc, a, b, c[off:off+(kern.mr-1)*ldc+gemmNR], ldb, ldc)
					continue
				}
				clear(tile[:])
				kern.run(kc, a, b, tile[:], ldb, gemmNR)
				for r := 0; r < rows; r++ {
					row := c[off+r*ldc : off+r*ldc+nr]
					for j, v := range tile[r*gemmNR : r*gemmNR+nr] {
						row[j] += v
					}
				}
			}
		}
	}
}

// operandBSize is the scratch space operandB needs.
func operandBSize(tB bool, k, n int) int {
	if tB {
		return panelsB(k, n)
	}
	return k * gemmNR
}

// operandB returns op(b) (k×n) as a B operand: read in place when b is not
// transposed, else packed into buf (operandBSize values).
func operandB(tB bool, k, n int, b []float32, ldb int, buf []float32) bMatrix {
	if !tB {
		return rowMajorB(k, n, b, ldb, buf)
	}
	packB(true, k, n, b, ldb, buf)
	return packedB(buf)
}

// gemmParallel adds op(a)·op(b) to c (m×n, contiguous) on up to GOMAXPROCS
// goroutines: by column panels when there are enough of them, else by row
// panels; a small output with a long inner dimension is split along k
// instead, each goroutine packing and multiplying its own slice into a
// private sum, so that the large operands are read once.
func gemmParallel(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32) {
	if k == 0 {
		return
	}
	mr := kernel.mr
	colPanels, rowPanels := ceilDiv(n, gemmNR), ceilDiv(m, mr)
	// The split-k decision depends on the shape only, never on the number of
	// workers, so every machine sums in the same order.
	if 2*m*n*k >= 1<<20 && colPanels*rowPanels < 16 && k >= 2*splitKSlice {
		gemmSplitK(workers(ceilDiv(k, splitKSlice)), tA, tB, m, n, k, a, lda, b, ldb, c)
		return
	}
	nw := workers(max(colPanels, rowPanels))
	sc := getScratch(1)
	defer putScratch(sc)
	sc[0].a = grow(sc[0].a, panelsA(m, k))
	ap := sc[0].a
	packA(tA, m, k, a, lda, ap)
	sc[0].b = grow(sc[0].b, operandBSize(tB, k, n))
	bm := operandB(tB, k, n, b, ldb, sc[0].b)
	if nw == 1 || 2*m*n*k < 1<<20 {
		gemmPanels(m, n, k, ap, bm, 1, c, n)
		return
	}
	if colPanels >= nw {
		per := ceilDiv(colPanels, nw) * gemmNR
		parallelFor(nw, nw, func(_, w int) {
			j0 := w * per
			if j0 < n {
				gemmPanels(m, min(per, n-j0), k, ap, bm.offset(j0, k), 1, c[j0:], n)
			}
		})
		return
	}
	per := ceilDiv(rowPanels, nw) * mr
	parallelFor(nw, nw, func(_, w int) {
		i0 := w * per
		if i0 < m {
			gemmPanels(min(per, m-i0), n, k, ap[i0*k:], bm, 1, c[i0*n:], n)
		}
	})
}

// splitKSlice is the depth of one slice of a split-k product. It is fixed,
// not derived from GOMAXPROCS, so the sum order (slices added in order) and
// hence the result are the same on every machine.
const splitKSlice = 4 * gemmKC

// gemmSplitK is gemmParallel split along k into fixed slices of splitKSlice.
func gemmSplitK(nw int, tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32) {
	slices := ceilDiv(k, splitKSlice)
	sc := getScratch(nw)
	defer putScratch(sc)
	parts := make([]float32, slices*m*n)
	parallelFor(nw, slices, func(w, sl int) {
		k0 := sl * splitKSlice
		s := sc[w]
		kw := min(splitKSlice, k-k0)
		// The slice of op(a) is columns k0… of a (rows when transposed),
		// that of op(b) rows k0… of b (columns when transposed).
		ka, kb := k0, k0*ldb
		if tA {
			ka = k0 * lda
		}
		if tB {
			kb = k0
		}
		aw, bw := a[ka:], b[kb:]
		s.a = grow(s.a, panelsA(m, kw))
		packA(tA, m, kw, aw, lda, s.a)
		s.b = grow(s.b, operandBSize(tB, kw, n))
		gemmPanels(m, n, kw, s.a, operandB(tB, kw, n, bw, ldb, s.b), 1, parts[sl*m*n:(sl+1)*m*n], n)
	})
	for sl := 0; sl < slices; sl++ {
		for i, v := range parts[sl*m*n : (sl+1)*m*n] {
			c[i] += v
		}
	}
}

// kernelGo is the portable micro-kernel for tiles of mr ≤ maxMR rows.
func kernelGo(mr, k int, a, b, c []float32, ldb, ldc int) {
	var acc [maxMR][gemmNR]float32
	for l := 0; l < k; l++ {
		bl := (*[gemmNR]float32)(b[l*ldb : l*ldb+gemmNR])
		for r, av := range a[l*mr : (l+1)*mr] {
			row := &acc[r]
			for j := range bl {
				row[j] += av * bl[j]
			}
		}
	}
	for r := range mr {
		row := c[r*ldc : r*ldc+gemmNR]
		for j, v := range acc[r] {
			row[j] += v
		}
	}
}
