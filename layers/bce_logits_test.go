package layers

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/vigil-ml/vigil/graph"
)

// bceReference is the textbook BCE on sigmoid probabilities, in float64.
func bceReference(l, t []float64) float64 {
	var s float64
	for i := range l {
		p := 1 / (1 + math.Exp(-l[i]))
		s += -(t[i]*math.Log(p) + (1-t[i])*math.Log(1-p))
	}
	return s / float64(len(l))
}

func TestBCEWithLogitsForwardAndGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, d = 3, 4
	reg := graph.NewRegistry()
	lp, _ := reg.Add("logits", []int{n, 1, 2, 2}, graph.Normal(2), rng)
	b := graph.NewBuilder(reg, graph.Train)
	logits := b.Param(lp)
	target := b.Input("t", n, 1, 2, 2)
	tv := make([]float32, n*d)
	for i := range tv {
		tv[i] = float32(rng.Float64())
	}
	if err := graph.SetInput(target, tv); err != nil {
		t.Fatal(err)
	}
	per, err := BCEWithLogits(logits, target)
	if err != nil {
		t.Fatal(err)
	}
	// Weight examples differently so the output gradient is not uniform.
	w := G.NewVector(b.G, tensor.Float32, G.WithShape(n), G.WithName("w"),
		G.WithValue(tensor.New(tensor.WithShape(n), tensor.WithBacking([]float32{1, 2, 3}))))
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(per, w))))
	p, err := graph.Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Run(nil); err != nil {
		t.Fatal(err)
	}
	lv := lp.Data()
	total := func() float64 {
		var s float64
		for e := 0; e < n; e++ {
			l := make([]float64, d)
			tt := make([]float64, d)
			for i := 0; i < d; i++ {
				l[i] = float64(lv[e*d+i])
				tt[i] = float64(tv[e*d+i])
			}
			s += float64(e+1) * bceReference(l, tt)
		}
		return s
	}
	got, _ := p.Loss()
	if math.Abs(got-total()) > 1e-5*math.Max(1, total()) {
		t.Fatalf("loss %v, reference %v", got, total())
	}
	grads, _ := p.Grads()
	for i := range lv {
		orig := lv[i]
		lv[i] = orig + 1e-2
		up := total()
		lv[i] = orig - 1e-2
		down := total()
		lv[i] = orig
		fd := (up - down) / 2e-2
		if math.Abs(fd-float64(grads[0][i])) > 1e-3 {
			t.Errorf("grad[%d] = %v, finite difference %v", i, grads[0][i], fd)
		}
	}
}

func TestBCEWithLogitsIsStableForLargeLogits(t *testing.T) {
	op := &BCELogitsOp{Dims: 2}
	l := tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{-200, 200}))
	tg := tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{1, 0}))
	v, err := op.Do(l, tg)
	if err != nil {
		t.Fatal(err)
	}
	got := v.Data().([]float32)[0]
	if math.Abs(float64(got)-200) > 1e-3 {
		t.Fatalf("BCE of confident wrong logits = %v, want 200", got)
	}
}
