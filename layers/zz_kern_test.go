package layers

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkZZKernel(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	defer func(k gemmKernel) { kernel = k }(kernel)
	m, n, k := 64, 325, 288
	a, _ := randVec(rng, m*k)
	bb, _ := randVec(rng, k*n)
	c := make([]float32, m*n)
	for _, kern := range kernels() {
		kernel = kern
		ap := make([]float32, panelsA(m, k))
		bp := make([]float32, panelsB(k, n))
		packA(false, m, k, a, k, ap)
		packB(false, k, n, bb, n, bp)
		b.Run(kern.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				gemmPanels(m, n, k, ap, bp, 0, c, n)
			}
			b.ReportMetric(float64(2*m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

func BenchmarkZZFwdKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	defer func(k gemmKernel) { kernel = k }(kernel)
	g := newConvGeom(32, 50, 25, 3, 2, 1)
	n, oc := 16, 64
	x, _ := randVec(rng, n*g.imSize())
	w, _ := randVec(rng, oc*g.colRows())
	y := make([]float32, n*oc*g.colCols())
	for r := 0; r < 3; r++ {
		for _, kern := range kernels()[:2] {
			kernel = kern
			b.Run(kern.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					convForward(g, n, oc, x, w, y)
				}
			})
		}
	}
}
