package layers

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

func BenchmarkZZParts(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name          string
		n, c, h, w, oc int
	}{{"32to64", 16, 32, 50, 25, 64}, {"1to32", 16, 1, 100, 50, 32}} {
		g := newConvGeom(tc.c, tc.h, tc.w, 3, 2, 1)
		x, _ := randVec(rng, tc.n*g.imSize())
		w, _ := randVec(rng, tc.oc*g.colRows())
		y := make([]float32, tc.n*tc.oc*g.colCols())
		dx := make([]float32, len(x))
		dw := make([]float32, len(w))
		b.Run(tc.name+"/fwd", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				convForward(g, tc.n, tc.oc, x, w, y)
			}
		})
		b.Run(tc.name+"/dx", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				convTransposeForward(g, tc.n, tc.oc, y, w, dx)
			}
		})
		b.Run(tc.name+"/dw", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				convFilterGrad(g, tc.n, tc.oc, x, y, dw)
			}
		})
		b.Run(tc.name+"/alloc", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_, d := newFloat32(len(y))
				_ = d
			}
		})
		b.Run(tc.name+"/relu", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				actOp{act: ReLU}.Do(tensorOf(y, tc.n, tc.oc, g.oh, g.ow))
			}
		})
	}
}
func tensorOf(d []float32, shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
}
