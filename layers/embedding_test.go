package layers

import (
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// int32Node returns an int32 input of b holding data.
func int32Node(t *testing.T, b *graph.Builder, name string, data []int32, shape ...int) *G.Node {
	t.Helper()
	n := b.Int32Input(name, shape...)
	if err := graph.SetInt32s(n, data); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGatherGradients checks the table gradient, with repeated ids (rows
// summed) and unused ids (zero rows), for ids of rank 1 and 2.
func TestGatherGradients(t *testing.T) {
	cases := []struct {
		name  string
		ids   []int32
		shape []int
	}{
		{"vector", []int32{2, 0, 2, 4, 2}, []int{5}},
		{"matrix", []int32{5, 0, 2, 2, 1, 0}, []int{3, 2}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gradCheck(t, graph.NewRegistry(), []int{6, 3}, func(b *graph.Builder, x *G.Node) (*G.Node, error) {
				y, err := G.ApplyOp(GatherOp{IdsDims: len(c.shape)}, x, int32Node(t, b, "ids", c.ids, c.shape...))
				if err == nil && !y.Shape().Eq(append(append(tensor.Shape(nil), c.shape...), 3)) {
					t.Fatalf("output shape %v", y.Shape())
				}
				return y, err
			}, uint64(70+i))
		})
	}
}

// TestGatherScatterValues checks the forward rows and that the scatter-add
// sums repeated ids and leaves unused rows zero.
func TestGatherScatterValues(t *testing.T) {
	table := tensor.New(tensor.WithShape(4, 2), tensor.WithBacking([]float32{0, 1, 10, 11, 20, 21, 30, 31}))
	ids := tensor.New(tensor.WithShape(3), tensor.WithBacking([]int32{3, 1, 3}))
	y, err := (GatherOp{IdsDims: 1}).Do(table, ids)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "gather", y.Data().([]float32), []float64{30, 31, 10, 11, 30, 31}, 0)
	g := tensor.New(tensor.WithShape(3, 2), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	dt, err := (ScatterAddOp{Vocab: 4, IdsDims: 1}).Do(ids, g)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "scatter", dt.Data().([]float32), []float64{0, 0, 3, 4, 0, 0, 6, 8}, 0)
}

func TestGatherRejectsBadIDs(t *testing.T) {
	table := tensor.New(tensor.WithShape(4, 2), tensor.Of(tensor.Float32))
	g := tensor.New(tensor.WithShape(2, 2), tensor.Of(tensor.Float32))
	for _, bad := range []int32{4, -1, 1 << 30} {
		ids := tensor.New(tensor.WithShape(2), tensor.WithBacking([]int32{0, bad}))
		if _, err := (GatherOp{IdsDims: 1}).Do(table, ids); err == nil || !strings.Contains(err.Error(), "Gather") || !strings.Contains(err.Error(), "outside [0, 4)") {
			t.Errorf("gather of id %d: got %v", bad, err)
		}
		if _, err := (ScatterAddOp{Vocab: 4, IdsDims: 1}).Do(ids, g); err == nil || !strings.Contains(err.Error(), "ScatterAdd") {
			t.Errorf("scatter of id %d: got %v", bad, err)
		}
	}
	// Through a compiled graph the error reaches Run, naming the op.
	reg := graph.NewRegistry()
	e, err := NewEmbedding(reg, "emb", 5, 3, newRNG())
	if err != nil {
		t.Fatal(err)
	}
	b := graph.NewBuilder(reg, graph.Train)
	y, err := e.Forward(b, int32Node(t, b, "ids", []int32{1, 7}, 2))
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(y)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := graph.Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	if err := prog.Run(nil); err == nil || !strings.Contains(err.Error(), "id 7 at position 1 is outside [0, 5)") {
		t.Errorf("run with id 7: got %v", err)
	}
}

func TestEmbeddingRejectsBadShapes(t *testing.T) {
	reg := graph.NewRegistry()
	if _, err := NewEmbedding(reg, "e0", 0, 3, newRNG()); err == nil {
		t.Error("vocab 0: no error")
	}
	e, err := NewEmbedding(reg, "emb", 5, 3, newRNG())
	if err != nil {
		t.Fatal(err)
	}
	if !e.W.Value.Shape().Eq(tensor.Shape{5, 3}) || e.Describe() != "Embedding 5x3" {
		t.Fatalf("table %v, %q", e.W.Value.Shape(), e.Describe())
	}
	b := graph.NewBuilder(reg, graph.Train)
	if _, err := e.Forward(b, b.Input("f", 2)); err == nil || !strings.Contains(err.Error(), "want int32") {
		t.Errorf("float ids: got %v", err)
	}
	g := G.NewGraph()
	tbl := G.NewMatrix(g, tensor.Float32, G.WithShape(5, 3), G.WithName("t"))
	ids := G.NewMatrix(g, tensor.Int32, G.WithShape(2, 2), G.WithName("i"))
	if _, err := G.ApplyOp(GatherOp{IdsDims: 1}, tbl, ids); err == nil {
		t.Error("ids of the wrong rank: no error")
	}
	vec := G.NewVector(g, tensor.Float32, G.WithShape(5), G.WithName("v"))
	if _, err := G.ApplyOp(GatherOp{IdsDims: 2}, vec, ids); err == nil {
		t.Error("vector table: no error")
	}
	grad := G.NewMatrix(g, tensor.Float32, G.WithShape(3, 3), G.WithName("g"))
	ids1 := G.NewVector(g, tensor.Int32, G.WithShape(2), G.WithName("i1"))
	if _, err := G.ApplyOp(ScatterAddOp{Vocab: 5, IdsDims: 1}, ids1, grad); err == nil || !strings.Contains(err.Error(), "do not fit") {
		t.Errorf("scatter of a mismatched gradient: got %v", err)
	}
}
