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

// The shapes below are those of the ConvVAE on 1x100x50 inputs at batch 16.

func BenchmarkConv2D1to32Batch16(b *testing.B) {
	benchLayer(b, []int{16, 1, 100, 50}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConv2D(reg, "c", 1, 32, 3, 1, 1, ReLU, rng)
	})
}

func BenchmarkConv2D32to64Stride2Batch16(b *testing.B) {
	benchLayer(b, []int{16, 32, 100, 50}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConv2D(reg, "c", 32, 64, 3, 2, 1, ReLU, rng)
	})
}

func BenchmarkConv2D64to64Batch16(b *testing.B) {
	benchLayer(b, []int{16, 64, 50, 25}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConv2D(reg, "c", 64, 64, 3, 1, 1, ReLU, rng)
	})
}

func BenchmarkConvTranspose2D64to32Batch16(b *testing.B) {
	benchLayer(b, []int{16, 64, 50, 25}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConvTranspose2D(reg, "t", 64, 32, 3, 2, 1, 1, ReLU, rng)
	})
}

func BenchmarkConv2D32to1Batch16(b *testing.B) {
	benchLayer(b, []int{16, 32, 100, 50}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewConv2D(reg, "c", 32, 1, 3, 1, 1, Linear, rng)
	})
}

func BenchmarkDense80000to32Batch16(b *testing.B) {
	benchLayer(b, []int{16, 80000}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewDense(reg, "d", 80000, 32, ReLU, rng)
	})
}

func BenchmarkDense2to80000Batch16(b *testing.B) {
	benchLayer(b, []int{16, 2}, func(reg *graph.Registry, rng *rand.Rand) (Layer, error) {
		return NewDense(reg, "d", 2, 80000, ReLU, rng)
	})
}
