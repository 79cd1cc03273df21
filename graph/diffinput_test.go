package graph

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestInputGradsMatchHand checks the gradient of loss = mean((x·w - y)^2)
// with respect to a DiffInput x against its closed form 2/N·(x·w - y)·wᵀ.
func TestInputGradsMatchHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	reg := NewRegistry()
	if _, err := reg.Add("w", []int{3, 1}, Normal(1), rng); err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(reg, Train)
	x := b.DiffInput("x", 4, 3)
	y := b.Input("y", 4, 1)
	pred := G.Must(G.Mul(x, b.Param(reg.Get("w"))))
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(pred, y))))))
	xs := []float32{1, 2, 3, 0, 1, -1, 2, 0.5, 1, -1, 1, 0}
	ys := []float32{1, 0, 2, -1}
	if err := SetInput(x, xs); err != nil {
		t.Fatal(err)
	}
	if err := SetInput(y, ys); err != nil {
		t.Fatal(err)
	}
	p, err := Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if len(p.InputGrads()) != 1 || len(p.Params()) != 1 {
		t.Fatalf("%d input gradients, %d parameter gradients", len(p.InputGrads()), len(p.Params()))
	}
	if err := p.Run(nil); err != nil {
		t.Fatal(err)
	}
	got, err := Float32s(p.InputGrads()[0])
	if err != nil {
		t.Fatal(err)
	}
	w := reg.Get("w").Data()
	for r := 0; r < 4; r++ {
		var res float64
		for c := 0; c < 3; c++ {
			res += float64(xs[r*3+c]) * float64(w[c])
		}
		res -= float64(ys[r])
		for c := 0; c < 3; c++ {
			want := 2 / 4.0 * res * float64(w[c])
			if math.Abs(float64(got[r*3+c])-want) > 1e-5 {
				t.Fatalf("dloss/dx[%d,%d] = %v, want %v", r, c, got[r*3+c], want)
			}
		}
	}
}
