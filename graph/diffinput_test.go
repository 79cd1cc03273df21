package graph

import (
	"math"
	"math/rand/v2"
	"slices"
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

// TestCompileWRTDifferentiatesASubset: with two parameters in the graph and
// one named, the program reports and differentiates that one alone, and its
// gradient is the full program's.
func TestCompileWRTDifferentiatesASubset(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	reg := NewRegistry()
	for _, name := range []string{"a", "b"} {
		if _, err := reg.Add(name, []int{3, 3}, Normal(1), rng); err != nil {
			t.Fatal(err)
		}
	}
	build := func(wrt []*Param) (*Program, error) {
		b := NewBuilder(reg, Train)
		x := b.Input("x", 2, 3)
		if err := SetInput(x, []float32{1, -2, 0.5, 3, 1, -1}); err != nil {
			t.Fatal(err)
		}
		h := G.Must(G.Mul(G.Must(G.Mul(x, b.Param(reg.Get("a")))), b.Param(reg.Get("b"))))
		loss := G.Must(G.Mean(G.Must(G.Square(h))))
		if wrt == nil {
			return Compile(b, loss, true)
		}
		return CompileWRT(b, loss, wrt)
	}
	full, err := build(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	part, err := build([]*Param{reg.Get("b")})
	if err != nil {
		t.Fatal(err)
	}
	defer part.Close()
	if len(part.Params()) != 1 || part.Params()[0].Name != "b" {
		t.Fatalf("params %v", part.Params())
	}
	for _, p := range []*Program{full, part} {
		if err := p.Run(nil); err != nil {
			t.Fatal(err)
		}
	}
	fg, _ := full.Grads()
	pg, _ := part.Grads()
	if len(pg) != 1 || !slices.Equal(fg[1], pg[0]) {
		t.Fatalf("gradient of b: %v, full program %v", pg, fg[1])
	}
	other := NewRegistry()
	c, _ := other.Add("c", []int{1}, Zeros(), rng)
	b := NewBuilder(reg, Train)
	if _, err := CompileWRT(b, G.Must(G.Mean(b.Param(reg.Get("a")))), []*Param{c}); err == nil {
		t.Fatal("a parameter the graph does not use was accepted")
	}
}
