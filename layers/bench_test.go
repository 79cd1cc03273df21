package layers

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

// benchLayer times one forward and backward pass (loss = Σ y ⊙ r, fused) of a layer
// on a batch of shape xShape. The input is a parameter so that, as for a
// hidden layer, its gradient is computed too.
func benchLayer(b *testing.B, xShape []int, newLayer func(reg *graph.Registry, rng *rand.Rand) (Layer, error)) {
	rng := rand.New(rand.NewPCG(1, 1))
	reg := graph.NewRegistry()
	l, err := newLayer(reg, rng)
	if err != nil {
		b.Fatal(err)
	}
	xp, err := reg.Add("x", xShape, graph.Normal(1), rng)
	if err != nil {
		b.Fatal(err)
	}
	bld := graph.NewBuilder(reg, graph.Train)
	y, err := l.Forward(bld, bld.Param(xp))
	if err != nil {
		b.Fatal(err)
	}
	r := make([]float32, y.Shape().TotalSize())
	for i := range r {
		r[i] = float32(rng.NormFloat64())
	}
	rn := bld.Input("r", y.Shape()...)
	if err := graph.SetInput(rn, r); err != nil {
		b.Fatal(err)
	}
	loss, err := G.ApplyOp(dotLossOp{dims: y.Dims()}, y, rn)
	if err != nil {
		b.Fatal(err)
	}
	prog, err := graph.Compile(bld, loss, true)
	if err != nil {
		b.Fatal(err)
	}
	defer prog.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := prog.Run(rng); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConv2D1to32Batch16(b *testing.B) {
	benchLayer(b, []int{16, 1, 100, 50}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConv2D(reg, "c", 1, 32, 3, 2, 1, ReLU, rng)
	})
}

func BenchmarkConv2D32to64Batch16(b *testing.B) {
	benchLayer(b, []int{16, 32, 50, 25}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConv2D(reg, "c", 32, 64, 3, 2, 1, ReLU, rng)
	})
}

func BenchmarkConvTranspose2D64to32Batch16(b *testing.B) {
	benchLayer(b, []int{16, 64, 25, 13}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConvTranspose2D(reg, "t", 64, 32, 3, 2, 1, 1, ReLU, rng)
	})
}

func BenchmarkConvTranspose2D32to1Batch16(b *testing.B) {
	benchLayer(b, []int{16, 32, 50, 25}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConvTranspose2D(reg, "t", 32, 1, 3, 2, 1, 1, Sigmoid, rng)
	})
}
