package layers

// Single-precision GEMM on packed panels for the conv ops. Operands are
// packed once into micro-panels: A into kernel.mr-row panels and B into
// gemmNR-column panels, each stored depth-major and zero-padded. The conv
// ops pack B straight from the image (see im2colPanels), pack the filter
// once per batch, and run one micro-kernel call per mr×gemmNR output tile:
// an AVX-512 or AVX2/FMA assembly kernel where the CPU has one, else
// portable Go. Calls are serial; the conv ops run images in parallel.

const (
	gemmNR = 16 // micro-tile columns
	maxMR  = 8  // largest micro-tile height of any kernel
)

// gemmKernel is a micro-kernel with its tile height mr: run adds the
// product of a packed A micro-panel (k×mr) and a packed B micro-panel
// (k×gemmNR) to the mr×gemmNR tile at c (row stride ldc). k is positive.
type gemmKernel struct {
	name string
	mr   int
	run  func(k int, a, b, c []float32, ldc int)
}

var goKernel = gemmKernel{"go", 6, func(k int, a, b, c []float32, ldc int) { kernelGo(6, k, a, b, c, ldc) }}

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

// gemmPanels computes c = ap·bp + beta·c (beta 0 or 1) for packed ap (m×k)
// and bp (k×n); c is m×n with row stride ldc.
func gemmPanels(m, n, k int, ap, bp []float32, beta float32, c []float32, ldc int) {
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
	for j0 := 0; j0 < n; j0 += gemmNR {
		nr := min(gemmNR, n-j0)
		b := bp[j0*k : (j0+gemmNR)*k]
		for i0 := 0; i0 < m; i0 += kern.mr {
			rows := min(kern.mr, m-i0)
			a := ap[i0*k : (i0+kern.mr)*k]
			off := i0*ldc + j0
			if rows == kern.mr && nr == gemmNR {
				kern.run(k, a, b, c[off:off+(kern.mr-1)*ldc+gemmNR], ldc)
				continue
			}
			clear(tile[:])
			kern.run(k, a, b, tile[:], gemmNR)
			for r := 0; r < rows; r++ {
				row := c[off+r*ldc : off+r*ldc+nr]
				for j, v := range tile[r*gemmNR : r*gemmNR+nr] {
					row[j] += v
				}
			}
		}
	}
}

// gemm computes c = op(a)·op(b) + beta·c (beta 0 or 1) for row-major
// matrices with leading dimensions lda, ldb, ldc; op(a) is m×k, op(b) k×n.
func gemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ap := make([]float32, panelsA(m, k))
	bp := make([]float32, panelsB(k, n))
	packA(tA, m, k, a, lda, ap)
	packB(tB, k, n, b, ldb, bp)
	gemmPanels(m, n, k, ap, bp, beta, c, ldc)
}

// kernelGo is the portable micro-kernel for tiles of mr ≤ maxMR rows.
func kernelGo(mr, k int, a, b, c []float32, ldc int) {
	var acc [maxMR][gemmNR]float32
	for l := 0; l < k; l++ {
		bl := (*[gemmNR]float32)(b[l*gemmNR : (l+1)*gemmNR])
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
