package layers

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	_ "go4.org/unsafe/assume-no-moving-gc"
	G "gorgonia.org/gorgonia"
)

// sumProducts builds loss = Σ out ⊙ r for a fixed r given as an input node.
func sumProducts(t *testing.T, b *graph.Builder, out *G.Node, r []float32) *G.Node {
	t.Helper()
	rn := b.Input("r", out.Shape()...)
	if err := graph.SetInput(rn, r); err != nil {
		t.Fatal(err)
	}
	loss, err := lossSumProducts(out, rn)
	if err != nil {
		t.Fatal(err)
	}
	return loss
}

func lossSumProducts(out, r *G.Node) (*G.Node, error) {
	p, err := G.HadamardProd(out, r)
	if err != nil {
		return nil, err
	}
	return G.Sum(p)
}

// buildFn adds a layer (or op) on x to b's graph.
type buildFn func(b *graph.Builder, x *G.Node) (*G.Node, error)

// gradCheck registers x [xShape] as a parameter (so that its gradient is
// reported like the weights'), builds loss = Σ build(x) ⊙ r and compares
// the gradient of every parameter with central differences of the float32
// graph's loss (step 1e-2). At most maxPer entries per parameter are probed.
func gradCheck(t *testing.T, reg *graph.Registry, xShape []int, build buildFn, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 99))
	xp, err := reg.Add("x", xShape, graph.Normal(1), rng)
	if err != nil {
		t.Fatal(err)
	}
	b := graph.NewBuilder(reg, graph.Train)
	out, err := build(b, b.Param(xp))
	if err != nil {
		t.Fatal(err)
	}
	r := make([]float32, out.Shape().TotalSize())
	for i := range r {
		r[i] = float32(rng.NormFloat64())
	}
	prog, err := graph.Compile(b, sumProducts(t, b, out, r), true)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	lossAt := func() float64 {
		if err := prog.Run(rand.New(rand.NewPCG(seed, 7))); err != nil {
			t.Fatal(err)
		}
		l, err := prog.Loss()
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	lossAt()
	raw, err := prog.Grads()
	if err != nil {
		t.Fatal(err)
	}
	grads := make([][]float32, len(raw))
	for i, g := range raw {
		grads[i] = append([]float32(nil), g...)
	}
	const h, rtol, atol, maxPer = 1e-2, 1e-2, 2e-3, 40
	if len(prog.Params()) != len(reg.Params()) {
		t.Fatalf("graph uses %d of %d parameters", len(prog.Params()), len(reg.Params()))
	}
	for pi, p := range prog.Params() {
		data := p.Data()
		step := max(1, len(data)/maxPer)
		for i := rng.IntN(step); i < len(data); i += step {
			orig := data[i]
			data[i] = orig + h
			up := lossAt()
			data[i] = orig - h
			down := lossAt()
			data[i] = orig
			fd := (up - down) / (2 * h)
			g := float64(grads[pi][i])
			if math.Abs(g-fd) > atol+rtol*math.Max(math.Abs(g), math.Abs(fd)) {
				t.Errorf("d loss / d %s[%d] = %.6g, central difference %.6g", p.Name, i, g, fd)
			}
		}
	}
}
