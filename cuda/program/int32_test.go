package program_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestInt32ValuesMatchTape lowers int32 ids through a view (a reshape of an
// int32 input) and as constants (a lookup in a constant table, folded while
// lowering), with the table's scatter-add gradient.
func TestInt32ValuesMatchTape(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	reg := graph.NewRegistry()
	if _, err := reg.Add("table", []int{5, 3}, graph.Normal(1), rng); err != nil {
		t.Fatal(err)
	}
	b := graph.NewBuilder(reg, graph.Train)
	ids := b.Int32Input("ids", 2, 3)
	if err := graph.SetInt32s(ids, []int32{0, 4, 2, 2, 1, 4}); err != nil {
		t.Fatal(err)
	}
	must := G.Must
	flat := must(G.Reshape(ids, tensor.Shape{6}))
	emb := must(G.ApplyOp(layers.GatherOp{IdsDims: 1}, b.Param(reg.Get("table")), flat))
	cids := b.G.AddNode(G.NewConstant(tensor.New(tensor.WithShape(3), tensor.WithBacking([]int32{1, 1, 3})), G.WithName("cids")))
	ctab := b.G.AddNode(G.NewConstant(tensor.New(tensor.WithShape(5, 3), tensor.WithBacking(seqF32(15))), G.WithName("ctab")))
	cemb := must(G.ApplyOp(layers.GatherOp{IdsDims: 1}, ctab, cids))
	loss := must(G.Add(must(G.Sum(must(G.Square(emb)))), must(G.Sum(must(G.Sigmoid(cemb))))))
	prog, err := graph.Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	p, err := program.Lower(prog.Graph(), loss)
	if err != nil {
		t.Fatal(err)
	}
	if p.Folded == 0 {
		t.Errorf("the lookup in a constant table was not folded:\n%v", p)
	}
	for _, n := range []*G.Node{ids, flat, cids} {
		i, ok := p.ValueOf(n)
		if !ok || p.Values[i].DType != program.Int32 {
			t.Fatalf("%q is not an int32 value:\n%v", n.Name(), p)
		}
	}
	wantLoss, wantGrads := tapeRun(t, prog, nil)
	m, err := program.Interpret(p)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstTape(t, p, m, prog.Graph(), loss, wantLoss, wantGrads)
	checkPlan(t, p)
	i, _ := p.ValueOf(ids)
	p.Values[i].DType = program.Float32
	if err := p.Check(); err == nil || !strings.Contains(err.Error(), "view") {
		t.Errorf("an int32 view of float32 storage: Check says %v", err)
	}
	p.Values[i].DType = program.Int32
	for k, in := range p.Instrs {
		if in.Kind == program.KindGather { // its ids become the float32 table
			p.Instrs[k].In = []int{in.In[0], in.In[0]}
		}
	}
	if err := p.Check(); err == nil || !strings.Contains(err.Error(), "want int32") {
		t.Errorf("float32 ids: Check says %v", err)
	}
}

func seqF32(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(i) / 10
	}
	return s
}

// An instruction never computes int32 values, and an id out of range is
// an error of the interpreter naming it.
func TestInt32Errors(t *testing.T) {
	g := G.NewGraph()
	ids := G.NewVector(g, G.Int32, G.WithShape(3), G.WithName("ids"), G.WithInit(G.Zeroes()))
	sum := G.Must(G.Add(ids, ids))
	if _, err := program.Lower(g, sum); err == nil || !strings.Contains(err.Error(), "int32 output") {
		t.Errorf("int32 addition: error %v", err)
	}

	reg := graph.NewRegistry()
	if _, err := reg.Add("table", []int{4, 2}, graph.Normal(1), rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	b := graph.NewBuilder(reg, graph.Eval)
	x := b.Int32Input("x", 3)
	out := G.Must(G.Sum(G.Must(G.ApplyOp(layers.GatherOp{IdsDims: 1}, b.Param(reg.Get("table")), x))))
	p, err := program.Lower(b.G, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := graph.SetInt32s(x, []int32{0, 4, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := program.Interpret(p); err == nil || !strings.Contains(err.Error(), "id 4 at position 1") {
		t.Errorf("id out of range: error %v", err)
	}
}
