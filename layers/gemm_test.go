package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// gemm computes (for the tests) c = op(a)·op(b) + beta·c (beta 0 or 1) for row-major
// matrices with leading dimensions lda, ldb, ldc; op(a) is m×k, op(b) k×n.
func gemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ap := make([]float32, panelsA(m, k))
	packA(tA, m, k, a, lda, ap)
	bm := operandB(tB, k, n, b, ldb, make([]float32, operandBSize(tB, k, n)))
	gemmPanels(m, n, k, ap, bm, beta, c, ldc)
}

// refGemm is op(a)·op(b) + beta·c in float64 plain loops.
func refGemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) []float64 {
	out := make([]float64, len(c))
	for i := range c {
		out[i] = float64(c[i])
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for l := 0; l < k; l++ {
				ai, bi := i*lda+l, l*ldb+j
				if tA {
					ai = l*lda + i
				}
				if tB {
					bi = j*ldb + l
				}
				av, bv := a[ai], b[bi]
				s += float64(av) * float64(bv)
			}
			out[i*ldc+j] = s + float64(beta)*float64(c[i*ldc+j])
		}
	}
	return out
}

func TestGemmMatchesPlainLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	defer func(k gemmKernel) { kernel = k }(kernel)
	sizes := [][3]int{{1, 1, 1}, {6, 16, 1}, {7, 17, 3}, {5, 15, 300}, {13, 40, 257}, {100, 530, 20}, {64, 325, 288}, {2, 1100, 9}, {9, 20, 1100}}
	for _, kern := range testKernels(t) {
		kernel = kern
		name := kern.name
		for _, sz := range sizes {
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				for _, beta := range []float32{0, 1} {
					m, n, k := sz[0], sz[1], sz[2]
					lda, ldb, ldc := k+1, n+2, n+3
					if tr[0] {
						lda = m + 1
					}
					if tr[1] {
						ldb = k + 2
					}
					rows := func(tr bool, r, c int) int {
						if tr {
							return c
						}
						return r
					}
					a, _ := randVec(rng, rows(tr[0], m, k)*lda)
					b, _ := randVec(rng, rows(tr[1], k, n)*ldb)
					c, _ := randVec(rng, m*ldc)
					want := refGemm(tr[0], tr[1], m, n, k, a, lda, b, ldb, beta, c, ldc)
					for i := 0; i < m; i++ { // padding columns stay untouched
						for j := n; j < ldc; j++ {
							want[i*ldc+j] = float64(c[i*ldc+j])
						}
					}
					gemm(tr[0], tr[1], m, n, k, a, lda, b, ldb, beta, c, ldc)
					what := fmt.Sprintf("%s %v tA=%v tB=%v beta=%v", name, sz, tr[0], tr[1], beta)
					tol := 1e-5 * math.Sqrt(float64(k))
					assertClose(t, what, c, want, tol)
				}
			}
		}
	}
}

// testKernels returns every micro-kernel this CPU runs plus the portable
// kernel at the largest tile height.
func testKernels(t *testing.T) []gemmKernel {
	ks := kernels()
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.name
	}
	t.Logf("micro-kernels on this CPU: %v", names)
	return append(ks, gemmKernel{"go8", maxMR, func(k int, a, b, c []float32, ldb, ldc int) { kernelGo(maxMR, k, a, b, c, ldb, ldc) }})
}

func TestGemmParallelMatchesPlainLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	defer func(k gemmKernel) { kernel = k }(kernel)
	for _, kern := range testKernels(t) {
		kernel = kern
		// Large enough to be split: by columns, by rows, along k, and with
		// partial panels.
		for _, sz := range [][3]int{{16, 1000, 40}, {1000, 24, 30}, {9, 333, 200}, {3, 5, 7}, {17, 40, 1300}, {16, 32, 9000}, {5, 3, 4100}} {
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				m, n, k := sz[0], sz[1], sz[2]
				lda, ldb := k, n
				if tr[0] {
					lda = m
				}
				if tr[1] {
					ldb = k
				}
				a, _ := randVec(rng, m*k)
				b, _ := randVec(rng, k*n)
				c, _ := randVec(rng, m*n)
				want := refGemm(tr[0], tr[1], m, n, k, a, lda, b, ldb, 1, c, n)
				gemmParallel(tr[0], tr[1], m, n, k, a, lda, b, ldb, c)
				assertClose(t, fmt.Sprintf("%s parallel %v tA=%v tB=%v", kern.name, sz, tr[0], tr[1]), c, want, 1e-5*math.Sqrt(float64(k)))
			}
		}
	}
}
