package graph

import (
	"math"
	"math/rand/v2"
	"testing"

	_ "go4.org/unsafe/assume-no-moving-gc"
	G "gorgonia.org/gorgonia"
)

// buildRegression builds loss = mean((x·w + b - y)^2) for x [4,3], w [3,1].
func buildRegression(t *testing.T, reg *Registry) (*Builder, *G.Node, *G.Node, *G.Node) {
	t.Helper()
	b := NewBuilder(reg, Train)
	x := b.Input("x", 4, 3)
	y := b.Input("y", 4, 1)
	w := b.Param(reg.Get("w"))
	pred := G.Must(G.Mul(x, w))
	diff := G.Must(G.Sub(pred, y))
	loss := G.Must(G.Mean(G.Must(G.Square(diff))))
	return b, x, y, loss
}

func TestProgramGradientMatchesFiniteDifference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	reg := NewRegistry()
	if _, err := reg.Add("w", []int{3, 1}, Normal(1), rng); err != nil {
		t.Fatal(err)
	}
	b, x, y, loss := buildRegression(t, reg)
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
	if err := p.Run(nil); err != nil {
		t.Fatal(err)
	}
	grads, err := p.Grads()
	if err != nil {
		t.Fatal(err)
	}
	w := reg.Get("w").Data()
	lossAt := func() float64 {
		var s float64
		for i := 0; i < 4; i++ {
			var pred float64
			for j := 0; j < 3; j++ {
				pred += float64(xs[i*3+j]) * float64(w[j])
			}
			d := pred - float64(ys[i])
			s += d * d
		}
		return s / 4
	}
	got, _ := p.Loss()
	if math.Abs(got-lossAt()) > 1e-4 {
		t.Fatalf("loss %v, want %v", got, lossAt())
	}
	for j := 0; j < 3; j++ {
		orig := w[j]
		w[j] = orig + 1e-2
		up := lossAt()
		w[j] = orig - 1e-2
		down := lossAt()
		w[j] = orig
		fd := (up - down) / 2e-2
		if math.Abs(fd-float64(grads[0][j])) > 1e-3*math.Max(1, math.Abs(fd)) {
			t.Errorf("grad[%d] = %v, finite difference %v", j, grads[0][j], fd)
		}
	}
}

func TestSharedParamUpdatesAreSeenByNextRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	reg := NewRegistry()
	if _, err := reg.Add("w", []int{3, 1}, Normal(1), rng); err != nil {
		t.Fatal(err)
	}
	b, x, y, loss := buildRegression(t, reg)
	_ = SetInput(x, []float32{1, 2, 3, 0, 1, -1, 2, 0.5, 1, -1, 1, 0})
	_ = SetInput(y, []float32{1, 0, 2, -1})
	p, err := Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var first, last float64
	for step := 0; step < 50; step++ {
		if err := p.Run(nil); err != nil {
			t.Fatal(err)
		}
		l, _ := p.Loss()
		if step == 0 {
			first = l
		}
		last = l
		grads, _ := p.Grads()
		w := reg.Get("w").Data()
		for j := range w {
			w[j] -= 0.05 * grads[0][j]
		}
	}
	if !(last < first/10) {
		t.Fatalf("gradient descent through shared params did not reduce loss: %v -> %v", first, last)
	}
}

func TestRegistryRejectsDuplicatesAndBadShapes(t *testing.T) {
	reg := NewRegistry()
	rng := rand.New(rand.NewPCG(0, 0))
	if _, err := reg.Add("a", []int{2}, Zeros(), rng); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Add("a", []int{2}, Zeros(), rng); err == nil {
		t.Error("duplicate name accepted")
	}
	if _, err := reg.Add("b", []int{0, 2}, Zeros(), rng); err == nil {
		t.Error("zero dimension accepted")
	}
	if reg.Count() != 2 {
		t.Errorf("Count = %d, want 2", reg.Count())
	}
}

func TestInitializersAreSeeded(t *testing.T) {
	a := make([]float32, 10)
	b := make([]float32, 10)
	GlorotUniform(3, 4)(rand.New(rand.NewPCG(7, 7)), []int{10}, a)
	GlorotUniform(3, 4)(rand.New(rand.NewPCG(7, 7)), []int{10}, b)
	lim := float32(math.Sqrt(6.0 / 7))
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed gave different values at %d", i)
		}
		if a[i] < -lim || a[i] > lim {
			t.Fatalf("value %v outside ±%v", a[i], lim)
		}
	}
}

func TestGradientsDoNotAccumulateAcrossRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	reg := NewRegistry()
	if _, err := reg.Add("w", []int{3, 1}, Normal(1), rng); err != nil {
		t.Fatal(err)
	}
	b, x, y, loss := buildRegression(t, reg)
	_ = SetInput(x, []float32{1, 2, 3, 0, 1, -1, 2, 0.5, 1, -1, 1, 0})
	_ = SetInput(y, []float32{1, 0, 2, -1})
	p, err := Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var first []float32
	for run := 0; run < 3; run++ {
		if err := p.Run(nil); err != nil {
			t.Fatal(err)
		}
		g, _ := p.Grads()
		if run == 0 {
			first = append(first, g[0]...)
			continue
		}
		for j := range first {
			if g[0][j] != first[j] {
				t.Fatalf("run %d: gradient[%d] = %v, first run %v (accumulated?)", run, j, g[0][j], first[j])
			}
		}
	}
}
