package layers

import (
	"math"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestSoftmaxXentGradients checks the logits gradient, ignored rows
// included.
func TestSoftmaxXentGradients(t *testing.T) {
	targets := []int32{2, IgnoreTarget, 0, 4}
	gradCheck(t, graph.NewRegistry(), []int{4, 5}, func(b *graph.Builder, x *G.Node) (*G.Node, error) {
		return SoftmaxCrossEntropy(x, int32Node(t, b, "targets", targets, 4))
	}, 80)
}

// TestSoftmaxXentValues checks stability at extreme logits, ignored rows
// and the target probabilities.
func TestSoftmaxXentValues(t *testing.T) {
	logits := []float32{
		1000, 0, -1000, // target 0: loss 0
		-1000, 0, 1000, // target 0: loss 2000
		1, 2, 3, // target 2
		5, 5, 5, // ignored
	}
	lt := tensor.New(tensor.WithShape(4, 3), tensor.WithBacking(logits))
	tt := tensor.New(tensor.WithShape(4), tensor.WithBacking([]int32{0, 0, 2, IgnoreTarget}))
	loss, err := (SoftmaxXentOp{}).Do(lt, tt)
	if err != nil {
		t.Fatal(err)
	}
	want3 := math.Log(math.Exp(1)+math.Exp(2)+math.Exp(3)) - 3
	got := loss.Data().([]float32)
	assertClose(t, "loss", got, []float64{0, 2000, want3, 0}, 1e-6)
	p := make([]float32, 4)
	TargetProbs(p, got)
	assertClose(t, "p", p, []float64{1, 0, math.Exp(-want3), 1}, 1e-6)

	dl := tensor.New(tensor.WithShape(4), tensor.WithBacking([]float32{1, 2, 1, 7}))
	g, err := (SoftmaxXentGradOp{}).Do(lt, tt, dl)
	if err != nil {
		t.Fatal(err)
	}
	s := math.Exp(1) + math.Exp(2) + math.Exp(3)
	assertClose(t, "dlogits", g.Data().([]float32), []float64{
		0, 0, 0,
		-2, 0, 2,
		math.Exp(1) / s, math.Exp(2) / s, math.Exp(3)/s - 1,
		0, 0, 0,
	}, 1e-6)
}

func TestSoftmaxXentRejectsBadInputs(t *testing.T) {
	lt := tensor.New(tensor.WithShape(2, 3), tensor.Of(tensor.Float32))
	for _, bad := range []int32{3, -2} {
		tt := tensor.New(tensor.WithShape(2), tensor.WithBacking([]int32{0, bad}))
		if _, err := (SoftmaxXentOp{}).Do(lt, tt); err == nil || !strings.Contains(err.Error(), "SoftmaxXent: target") {
			t.Errorf("target %d: got %v", bad, err)
		}
	}
	g := G.NewGraph()
	l := G.NewMatrix(g, tensor.Float32, G.WithShape(4, 3), G.WithName("l"))
	for _, tg := range []*G.Node{
		G.NewVector(g, tensor.Int32, G.WithShape(3), G.WithName("short")),
		G.NewVector(g, tensor.Float32, G.WithShape(4), G.WithName("float")),
		G.NewMatrix(g, tensor.Int32, G.WithShape(4, 1), G.WithName("matrix")),
	} {
		if _, err := SoftmaxCrossEntropy(l, tg); err == nil || !strings.Contains(err.Error(), "want [N, V] and int32 [N]") {
			t.Errorf("targets %v %v: got %v", tg.Shape(), tg.Dtype(), err)
		}
	}
	if _, err := TargetProb(l); err == nil {
		t.Error("TargetProb of a matrix: no error")
	}
}

// TestTargetProbGraph runs TargetProb on a loss in an eval graph.
func TestTargetProbGraph(t *testing.T) {
	b := graph.NewBuilder(graph.NewRegistry(), graph.Eval)
	l := b.Input("l", 2, 2)
	if err := graph.SetInput(l, []float32{0, 0, 3, 1}); err != nil {
		t.Fatal(err)
	}
	loss, err := SoftmaxCrossEntropy(l, int32Node(t, b, "t", []int32{1, 0}, 2))
	if err != nil {
		t.Fatal(err)
	}
	p, err := TargetProb(loss)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(b.G)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	got, err := graph.Float32s(p)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "p", got, []float64{0.5, math.Exp(3) / (math.Exp(3) + math.E)}, 1e-6)
}
