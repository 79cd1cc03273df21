package layers

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

// runDropout returns x and dropout(x) after one run with the given seed.
func runDropout(t *testing.T, mode graph.Mode, rate float64, n int, seed uint64) ([]float32, []float32) {
	t.Helper()
	reg := graph.NewRegistry()
	b := graph.NewBuilder(reg, mode)
	x := b.Input("x", n/10, 10)
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = 1 + float32(i%7)
	}
	if err := graph.SetInput(x, xs); err != nil {
		t.Fatal(err)
	}
	y, err := (Dropout{Rate: rate}).Forward(b, x)
	if err != nil {
		t.Fatal(err)
	}
	var yv G.Value
	G.Read(y, &yv)
	prog, err := graph.Compile(b, G.Must(G.Sum(y)), false)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	if err := prog.Run(rand.New(rand.NewPCG(seed, 1))); err != nil {
		t.Fatal(err)
	}
	return xs, yv.Data().([]float32)
}

func TestDropoutEvalIsIdentity(t *testing.T) {
	b := graph.NewBuilder(graph.NewRegistry(), graph.Eval)
	x := b.Input("x", 4, 5)
	y, err := (Dropout{Rate: 0.5}).Forward(b, x)
	if err != nil {
		t.Fatal(err)
	}
	if y != x || len(b.Noise()) != 0 {
		t.Fatal("eval-mode dropout is not the identity")
	}
	xs, ys := runDropout(t, graph.Eval, 0.5, 100, 1)
	for i := range xs {
		if xs[i] != ys[i] {
			t.Fatalf("eval: y[%d] = %v, want %v", i, ys[i], xs[i])
		}
	}
	tb := graph.NewBuilder(graph.NewRegistry(), graph.Train)
	tx := tb.Input("x", 2, 2)
	if y, err := (Dropout{}).Forward(tb, tx); err != nil || y != tx {
		t.Fatal("rate-0 dropout is not the identity in train mode")
	}
}

func TestDropoutTrainKeepsAndScales(t *testing.T) {
	const n, rate = 20000, 0.3
	xs, ys := runDropout(t, graph.Train, rate, n, 7)
	kept := 0
	for i := range xs {
		switch {
		case ys[i] == 0:
		case math.Abs(float64(ys[i])-float64(xs[i])/(1-rate)) < 1e-5:
			kept++
		default:
			t.Fatalf("y[%d] = %v, want 0 or %v", i, ys[i], float64(xs[i])/(1-rate))
		}
	}
	// Binomial(n, 0.7): sd ≈ 65, so ±400 is more than 6 sd.
	if want := int((1 - rate) * n); kept < want-400 || kept > want+400 {
		t.Fatalf("kept %d of %d, want about %d", kept, n, want)
	}
}

func TestDropoutMaskFollowsSeed(t *testing.T) {
	_, a := runDropout(t, graph.Train, 0.5, 200, 3)
	_, b := runDropout(t, graph.Train, 0.5, 200, 3)
	_, c := runDropout(t, graph.Train, 0.5, 200, 4)
	same := true
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different masks at %d", i)
		}
		same = same && a[i] == c[i]
	}
	if same {
		t.Fatal("different seeds gave the same mask")
	}
}

func TestDropoutRejectsBadRates(t *testing.T) {
	for _, r := range []float64{-0.1, 1, 1.5, math.NaN()} {
		b := graph.NewBuilder(graph.NewRegistry(), graph.Train)
		if _, err := (Dropout{Rate: r}).Forward(b, b.Input("x", 2, 2)); err == nil {
			t.Errorf("rate %v accepted", r)
		}
	}
}

func TestDropoutMasksOfOneGraphDiffer(t *testing.T) {
	b := graph.NewBuilder(graph.NewRegistry(), graph.Train)
	x := b.Input("x", 3, 3)
	y1, err1 := (Dropout{Rate: 0.5}).Forward(b, x)
	y2, err2 := (Dropout{Rate: 0.5}).Forward(b, x)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if y1 == y2 || len(b.Noise()) != 2 || b.Noise()[0].Node == b.Noise()[1].Node {
		t.Fatal("two dropout layers share one mask node")
	}
}
