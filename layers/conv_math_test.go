package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Plain-loop float64 references for the conv kernels.

func refIm2col(g convGeom, img []float64) []float64 {
	col := make([]float64, g.colRows()*g.colCols())
	for c := 0; c < g.c; c++ {
		for ki := 0; ki < g.k; ki++ {
			for kj := 0; kj < g.k; kj++ {
				r := (c*g.k+ki)*g.k + kj
				for oy := 0; oy < g.oh; oy++ {
					for ox := 0; ox < g.ow; ox++ {
						iy, ix := oy*g.s-g.p+ki, ox*g.s-g.p+kj
						if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
							col[r*g.colCols()+oy*g.ow+ox] = img[(c*g.h+iy)*g.w+ix]
						}
					}
				}
			}
		}
	}
	return col
}

// refConv: x [n, g.c, g.h, g.w], w [oc, g.c, k, k] -> [n, oc, g.oh, g.ow].
func refConv(g convGeom, n, oc int, x, w []float64) []float64 {
	y := make([]float64, n*oc*g.oh*g.ow)
	for b := 0; b < n; b++ {
		for o := 0; o < oc; o++ {
			for oy := 0; oy < g.oh; oy++ {
				for ox := 0; ox < g.ow; ox++ {
					var s float64
					for c := 0; c < g.c; c++ {
						for ki := 0; ki < g.k; ki++ {
							for kj := 0; kj < g.k; kj++ {
								iy, ix := oy*g.s-g.p+ki, ox*g.s-g.p+kj
								if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
									s += x[((b*g.c+c)*g.h+iy)*g.w+ix] * w[((o*g.c+c)*g.k+ki)*g.k+kj]
								}
							}
						}
					}
					y[((b*oc+o)*g.oh+oy)*g.ow+ox] = s
				}
			}
		}
	}
	return y
}

// refConvT scatters x [n, cs, g.oh, g.ow] through w [cs, g.c, k, k] into
// [n, g.c, g.h, g.w].
func refConvT(g convGeom, n, cs int, x, w []float64) []float64 {
	y := make([]float64, n*g.c*g.h*g.w)
	for b := 0; b < n; b++ {
		for c := 0; c < cs; c++ {
			for oy := 0; oy < g.oh; oy++ {
				for ox := 0; ox < g.ow; ox++ {
					v := x[((b*cs+c)*g.oh+oy)*g.ow+ox]
					for o := 0; o < g.c; o++ {
						for ki := 0; ki < g.k; ki++ {
							for kj := 0; kj < g.k; kj++ {
								iy, ix := oy*g.s-g.p+ki, ox*g.s-g.p+kj
								if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
									y[((b*g.c+o)*g.h+iy)*g.w+ix] += v * w[((c*g.c+o)*g.k+ki)*g.k+kj]
								}
							}
						}
					}
				}
			}
		}
	}
	return y
}

// refFilterGrad: large [n, g.c, g.h, g.w], small [n, cs, g.oh, g.ow] -> [cs, g.c, k, k].
func refFilterGrad(g convGeom, n, cs int, large, small []float64) []float64 {
	dw := make([]float64, cs*g.c*g.k*g.k)
	for b := 0; b < n; b++ {
		for o := 0; o < cs; o++ {
			for c := 0; c < g.c; c++ {
				for ki := 0; ki < g.k; ki++ {
					for kj := 0; kj < g.k; kj++ {
						var s float64
						for oy := 0; oy < g.oh; oy++ {
							for ox := 0; ox < g.ow; ox++ {
								iy, ix := oy*g.s-g.p+ki, ox*g.s-g.p+kj
								if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
									s += small[((b*cs+o)*g.oh+oy)*g.ow+ox] * large[((b*g.c+c)*g.h+iy)*g.w+ix]
								}
							}
						}
						dw[((o*g.c+c)*g.k+ki)*g.k+kj] += s
					}
				}
			}
		}
	}
	return dw
}

func randVec(rng *rand.Rand, n int) ([]float32, []float64) {
	f := make([]float32, n)
	d := make([]float64, n)
	for i := range f {
		f[i] = float32(rng.NormFloat64())
		d[i] = float64(f[i])
	}
	return f, d
}

func assertClose(t *testing.T, what string, got []float32, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		if d := math.Abs(float64(got[i]) - want[i]); d > tol*math.Max(1, math.Abs(want[i])) || math.IsNaN(float64(got[i])) {
			t.Fatalf("%s[%d] = %v, want %v (|diff| %.3g)", what, i, got[i], want[i], d)
		}
	}
}

// geometries covers strides above and below the kernel, padding beyond the
// kernel radius, uncovered trailing rows, 1x1 kernels and, with 4 or more
// channels, the shifted-GEMM paths (channel counts on and off multiples
// of 16).
var testGeoms = []struct{ c, h, w, k, s, p int }{
	{2, 7, 6, 3, 2, 1}, {1, 5, 5, 3, 1, 1}, {3, 9, 7, 2, 3, 0}, {2, 6, 5, 5, 2, 2},
	{2, 4, 4, 1, 1, 0}, {1, 8, 3, 3, 3, 2}, {3, 5, 9, 4, 2, 3}, {2, 3, 3, 3, 1, 0},
	{1, 10, 7, 1, 2, 0}, {2, 6, 6, 4, 4, 1},
	{4, 6, 5, 3, 1, 1}, {5, 7, 4, 1, 1, 0}, {4, 5, 6, 5, 1, 2}, {6, 4, 7, 2, 1, 0},
	{4, 3, 5, 3, 1, 2}, {16, 5, 5, 3, 1, 1}, {17, 4, 6, 3, 1, 1}, {8, 3, 9, 3, 1, 0},
	{4, 7, 6, 3, 2, 1}, {5, 9, 8, 2, 3, 0}, {4, 6, 5, 5, 2, 2}, {6, 8, 3, 3, 3, 2},
	{4, 5, 9, 4, 2, 3}, {4, 6, 6, 4, 4, 1}, {16, 10, 7, 3, 2, 1}, {4, 10, 7, 1, 2, 0},
}

// unpackB reads the k×n matrix back out of B panels.
func unpackB(bp []float32, k, n int) []float32 {
	out := make([]float32, k*n)
	for l := 0; l < k; l++ {
		for j := 0; j < n; j++ {
			out[l*n+j] = bp[(j/gemmNR)*k*gemmNR+l*gemmNR+j%gemmNR]
		}
	}
	return out
}

func TestIm2colPanelsMatchPlainLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tg := range testGeoms {
		g := newConvGeom(tg.c, tg.h, tg.w, tg.k, tg.s, tg.p)
		imgF, imgD := randVec(rng, g.imSize())
		want := refIm2col(g, imgD)
		rows, cols := g.colRows(), g.colCols()

		bp := make([]float32, panelsB(rows, cols))
		for i := range bp {
			bp[i] = 99 // must be overwritten, padding included
		}
		g.im2colPanels(imgF, bp, make([]float32, ceilDiv(cols, gemmNR)*gemmNR))
		assertClose(t, fmt.Sprintf("%+v im2colPanels", tg), unpackB(bp, rows, cols), want, 0)
		if pad := unpackPadding(bp, rows, cols); pad != 0 {
			t.Errorf("%+v: im2colPanels left %d non-zero padding values", tg, pad)
		}

		bt := make([]float32, panelsB(cols, rows))
		for i := range bt {
			bt[i] = 99
		}
		g.im2colPanelsT(imgF, bt)
		wantT := make([]float64, len(want))
		for r := 0; r < rows; r++ {
			for j := 0; j < cols; j++ {
				wantT[j*rows+r] = want[r*cols+j]
			}
		}
		assertClose(t, fmt.Sprintf("%+v im2colPanelsT", tg), unpackB(bt, cols, rows), wantT, 0)
		if pad := unpackPadding(bt, cols, rows); pad != 0 {
			t.Errorf("%+v: im2colPanelsT left %d non-zero padding values", tg, pad)
		}

	}
}

// unpackPadding counts non-zero values in the padding columns of B panels.
func unpackPadding(bp []float32, k, n int) int {
	bad := 0
	for j := n; j < ceilDiv(n, gemmNR)*gemmNR; j++ {
		for l := 0; l < k; l++ {
			if bp[(j/gemmNR)*k*gemmNR+l*gemmNR+j%gemmNR] != 0 {
				bad++
			}
		}
	}
	return bad
}

func TestConvKernelsMatchPlainLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	defer func(k gemmKernel) { kernel = k }(kernel)
	for _, kern := range testKernels(t) {
		kernel = kern
		testConvKernels(t, rng)
	}
}

func testConvKernels(t *testing.T, rng *rand.Rand) {
	t.Helper()
	for _, tg := range testGeoms {
		g := newConvGeom(tg.c, tg.h, tg.w, tg.k, tg.s, tg.p)
		const n, oc = 3, 4
		xF, xD := randVec(rng, n*g.imSize())
		wF, wD := randVec(rng, oc*g.c*g.k*g.k)
		sF, sD := randVec(rng, n*oc*g.colCols())

		y := make([]float32, n*oc*g.colCols())
		convForward(g, n, oc, xF, wF, y)
		assertClose(t, kernel.name+" conv", y, refConv(g, n, oc, xD, wD), 1e-5)

		big := make([]float32, n*g.imSize())
		convTransposeForward(g, n, oc, sF, wF, big)
		assertClose(t, kernel.name+" convT", big, refConvT(g, n, oc, sD, wD), 1e-5)

		dw := make([]float32, len(wF))
		convFilterGrad(g, n, oc, xF, sF, dw)
		assertClose(t, kernel.name+" filter grad", dw, refFilterGrad(g, n, oc, xD, sD), 1e-5)
	}
}
