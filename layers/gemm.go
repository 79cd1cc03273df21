package layers

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Single-precision GEMM for the conv ops. Where the CPU has AVX2 and FMA a
// packed, cache-blocked GEMM around a 6×16 assembly micro-kernel is used
// (gonum's pure-Go Sgemm is several times slower at conv sizes); elsewhere
// the call goes to gonum. The packed GEMM is serial: the conv ops run images
// in parallel instead.

const (
	gemmMR = 6   // micro-tile rows
	gemmNR = 16  // micro-tile columns
	gemmKC = 256 // depth of a packed block
	gemmMC = 96  // rows of a packed A block (multiple of gemmMR)
	gemmNC = 512 // columns of a packed B block (multiple of gemmNR)
)

// gemmBuf holds one goroutine's packing space.
type gemmBuf struct {
	a, b []float32
	tile [gemmMR * gemmNR]float32
}

// gemm computes c = op(a)·op(b) + beta·c for row-major matrices with
// leading dimensions lda, ldb and ldc, where op(a) is m×k, op(b) is k×n and
// beta is 0 or 1. buf may be nil; passing one per goroutine saves allocations.
func gemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, buf *gemmBuf) {
	if m == 0 || n == 0 {
		return
	}
	if microKernel == nil {
		ta, tb := blas.NoTrans, blas.NoTrans
		if tA {
			ta = blas.Trans
		}
		if tB {
			tb = blas.Trans
		}
		blas32.Implementation().Sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
		return
	}
	packedGemm(microKernel, tA, tB, m, n, k, a, lda, b, ldb, beta, c, ldc, buf)
}

// kernelFunc adds the product of a packed A micro-panel (k×gemmMR) and a
// packed B micro-panel (k×gemmNR) to the gemmMR×gemmNR tile at c (row
// stride ldc).
type kernelFunc func(k int, a, b, c []float32, ldc int)

// packedGemm is gemm on packed blocks with the given micro-kernel.
func packedGemm(kern kernelFunc, tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, buf *gemmBuf) {
	if beta == 0 {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	}
	if k == 0 {
		return
	}
	if buf == nil {
		buf = new(gemmBuf)
	}
	if len(buf.a) < gemmMC*gemmKC {
		buf.a = make([]float32, gemmMC*gemmKC)
	}
	if len(buf.b) < gemmKC*gemmNC {
		buf.b = make([]float32, gemmKC*gemmNC)
	}
	for jc := 0; jc < n; jc += gemmNC {
		nc := min(gemmNC, n-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kc := min(gemmKC, k-pc)
			packB(tB, b, ldb, pc, jc, kc, nc, buf.b)
			for ic := 0; ic < m; ic += gemmMC {
				mc := min(gemmMC, m-ic)
				packA(tA, a, lda, ic, pc, mc, kc, buf.a)
				for jr := 0; jr < nc; jr += gemmNR {
					nr := min(gemmNR, nc-jr)
					bp := buf.b[jr*kc : (jr+gemmNR)*kc]
					for ir := 0; ir < mc; ir += gemmMR {
						mr := min(gemmMR, mc-ir)
						ap := buf.a[ir*kc : (ir+gemmMR)*kc]
						off := (ic+ir)*ldc + jc + jr
						if mr == gemmMR && nr == gemmNR {
							kern(kc, ap, bp, c[off:off+(gemmMR-1)*ldc+gemmNR], ldc)
							continue
						}
						t := buf.tile[:]
						clear(t)
						kern(kc, ap, bp, t, gemmNR)
						for r := 0; r < mr; r++ {
							row := c[off+r*ldc : off+r*ldc+nr]
							for j, v := range t[r*gemmNR : r*gemmNR+nr] {
								row[j] += v
							}
						}
					}
				}
			}
		}
	}
}

// packA copies op(a)[i0:i0+mc, p0:p0+kc] into dst as gemmMR-row panels,
// each stored depth-major ([kc][gemmMR]) and zero-padded to gemmMR rows.
func packA(tA bool, a []float32, lda, i0, p0, mc, kc int, dst []float32) {
	for ir := 0; ir < mc; ir += gemmMR {
		mr := min(gemmMR, mc-ir)
		panel := dst[ir*kc : (ir+gemmMR)*kc]
		if mr < gemmMR {
			clear(panel)
		}
		if tA {
			// op(a)[i][l] = a[l][i]: rows of a are contiguous along i.
			for l := 0; l < kc; l++ {
				src := a[(p0+l)*lda+i0+ir:][:mr]
				copy(panel[l*gemmMR:l*gemmMR+mr], src)
			}
			continue
		}
		for r := 0; r < mr; r++ {
			src := a[(i0+ir+r)*lda+p0:][:kc]
			for l, v := range src {
				panel[l*gemmMR+r] = v
			}
		}
	}
}

// packB copies op(b)[p0:p0+kc, j0:j0+nc] into dst as gemmNR-column panels,
// each stored depth-major ([kc][gemmNR]) and zero-padded to gemmNR columns.
func packB(tB bool, b []float32, ldb, p0, j0, kc, nc int, dst []float32) {
	for jr := 0; jr < nc; jr += gemmNR {
		nr := min(gemmNR, nc-jr)
		panel := dst[jr*kc : (jr+gemmNR)*kc]
		if nr < gemmNR {
			clear(panel)
		}
		if !tB {
			for l := 0; l < kc; l++ {
				src := b[(p0+l)*ldb+j0+jr:][:nr]
				copy(panel[l*gemmNR:l*gemmNR+nr], src)
			}
			continue
		}
		// op(b)[l][j] = b[j][l]: rows of b are contiguous along l.
		for j := 0; j < nr; j++ {
			src := b[(j0+jr+j)*ldb+p0:][:kc]
			for l, v := range src {
				panel[l*gemmNR+j] = v
			}
		}
	}
}

// kernelGo is the portable micro-kernel, used to test the packing logic on
// every platform.
func kernelGo(k int, a, b, c []float32, ldc int) {
	var acc [gemmMR * gemmNR]float32
	for l := 0; l < k; l++ {
		bl := b[l*gemmNR : (l+1)*gemmNR]
		for r, av := range a[l*gemmMR : (l+1)*gemmMR] {
			row := acc[r*gemmNR : (r+1)*gemmNR]
			for j, bv := range bl {
				row[j] += av * bv
			}
		}
	}
	for r := 0; r < gemmMR; r++ {
		row := c[r*ldc : r*ldc+gemmNR]
		for j, v := range acc[r*gemmNR : (r+1)*gemmNR] {
			row[j] += v
		}
	}
}
