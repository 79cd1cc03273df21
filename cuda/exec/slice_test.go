package exec

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sliceCase is a small train graph of slices and concatenations of
// parameters (shapes by name) with a scalar loss.
type sliceCase struct {
	name   string
	params map[string][]int
	loss   func(p map[string]*G.Node) *G.Node
}

// sliceCases slice a [3, 4, 5] parameter along each axis (a range and one
// position) and concatenate 2 and 3 parameters along each axis.
func sliceCases() []sliceCase {
	must := G.Must
	sq := func(n *G.Node) *G.Node { return must(G.Sum(must(G.Square(n)))) }
	var cs []sliceCase
	for axis := range 3 {
		at := func(s tensor.Slice) []tensor.Slice {
			ss := make([]tensor.Slice, axis+1)
			ss[axis] = s
			return ss
		}
		cube := map[string][]int{"a": {3, 4, 5}}
		two, three := map[string][]int{}, map[string][]int{}
		for i, name := range []string{"p", "q", "r"} {
			s := []int{2, 3, 4}
			s[axis] = []int{2, 3, 1}[i]
			if i < 2 {
				two[name] = s
			}
			three[name] = s
		}
		cs = append(cs,
			sliceCase{fmt.Sprintf("slice axis %d", axis), cube, func(p map[string]*G.Node) *G.Node {
				s1 := must(G.Slice(p["a"], at(G.S(1, 3))...))
				s2 := must(G.Slice(must(G.Tanh(p["a"])), at(G.S(2))...))
				return must(G.Add(sq(s1), must(G.Sum(must(G.Exp(s2))))))
			}},
			sliceCase{fmt.Sprintf("concat 2 axis %d", axis), two, func(p map[string]*G.Node) *G.Node {
				return sq(must(G.Concat(axis, must(G.Tanh(p["p"])), p["q"])))
			}},
			sliceCase{fmt.Sprintf("concat 3 axis %d", axis), three, func(p map[string]*G.Node) *G.Node {
				return must(G.Sum(must(G.Exp(must(G.Concat(axis, p["p"], must(G.Sin(p["q"])), p["r"]))))))
			}},
		)
	}
	// An encoder's split of a product into two halves, joined again, and
	// a slice across the join.
	return append(cs, sliceCase{"split and join", map[string][]int{"x": {3, 4}, "w": {4, 6}}, func(p map[string]*G.Node) *G.Node {
		h := must(G.Mul(p["x"], p["w"]))
		mu, lv := must(G.Slice(h, nil, G.S(0, 3))), must(G.Slice(h, nil, G.S(3, 6)))
		kl := must(G.Sum(must(G.Sub(must(G.Exp(lv)), must(G.Add(lv, must(G.Square(mu))))))))
		j := must(G.Concat(1, lv, mu, p["x"]))
		return must(G.Add(kl, sq(must(G.Slice(j, G.S(1, 3), G.S(2, 8))))))
	}})
}

// build makes c's graph with random parameters, runs it once on the tape
// machine and lowers it; it returns the program, the loss node, the tape's
// loss and gradients by parameter name.
func (c sliceCase) build(t *testing.T) (*program.Program, *G.Node, float32, map[string][]float32) {
	t.Helper()
	rng := rand.New(rand.NewPCG(13, uint64(len(c.name))))
	reg := graph.NewRegistry()
	for _, name := range []string{"a", "p", "q", "r", "x", "w"} {
		if s, ok := c.params[name]; ok {
			_, err := reg.Add(name, s, graph.Normal(1), rng)
			must(t, err)
		}
	}
	b := graph.NewBuilder(reg, graph.Train)
	nodes := map[string]*G.Node{}
	for name := range c.params {
		nodes[name] = b.Param(reg.Get(name))
	}
	loss := c.loss(nodes)
	prog, err := graph.Compile(b, loss, true)
	must(t, err)
	t.Cleanup(func() { prog.Close() })
	p, err := program.Lower(prog.Graph(), loss)
	must(t, err)
	must(t, prog.Run(nil))
	l, err := prog.Loss()
	must(t, err)
	gs, err := prog.Grads()
	must(t, err)
	grads := map[string][]float32{}
	for i, prm := range prog.Params() {
		grads[prm.Name] = gs[i]
	}
	return p, loss, float32(l), grads
}

// TestSliceConcatMatchesTape runs the slice and concatenation graphs on the
// CPU backend and compares the loss and every gradient with the tape
// machine and the interpreter.
func TestSliceConcatMatchesTape(t *testing.T) {
	for _, c := range sliceCases() {
		t.Run(c.name, func(t *testing.T) {
			p, loss, tapeLoss, tapeGrads := c.build(t)
			mc, err := program.Interpret(p)
			must(t, err)
			e := runCPU(t, p, Config{})
			compare(t, e, mc, []*G.Node{loss}, 1e-5)
			got, err := e.Read(loss)
			must(t, err)
			if err := closeTo("tape loss", got, []float32{tapeLoss}, 1e-5); err != nil {
				t.Error(err)
			}
			if len(p.Grads) != len(tapeGrads) {
				t.Fatalf("%d gradients, the tape %d", len(p.Grads), len(tapeGrads))
			}
			for _, g := range p.Grads {
				got, err := e.Grad(g.Param)
				must(t, err)
				if err := closeTo("tape grad "+g.Param.Name(), got, tapeGrads[g.Param.Name()], 1e-5); err != nil {
					t.Error(err)
				}
			}
			checkRerun(t, e, loss)
		})
	}
}

// TestSliceConcatSteps checks the primitives of each kind by hand: a slice
// of [2, 3, 2] along axis 1, its increment and a concatenation.
func TestSliceConcatSteps(t *testing.T) {
	x := seq(12)
	vals := []program.Value{
		{Shape: tensor.Shape{2, 3, 2}, Size: 12, Role: program.Arg},
		{Shape: tensor.Shape{2, 2, 2}, Size: 8},
	}
	p := fakeProgram(program.Instr{Kind: program.KindSlice, Out: 1, In: []int{0}, Axis: 1, Start: 1, Stop: 3}, vals...)
	got, _ := runFake(t, p, map[int][]float32{0: x})
	wantEq(t, "slice", got, []float32{3, 4, 5, 6, 9, 10, 11, 12})

	vals = []program.Value{
		{Shape: tensor.Shape{2, 2}, Size: 4, Role: program.Arg},
		{Shape: tensor.Shape{2, 3, 2}, Size: 12},
	}
	p = fakeProgram(program.Instr{Kind: program.KindSliceAdd, Out: 1, In: []int{0}, Axis: 1, Start: 2, Stop: 3}, vals...)
	got, s := runFake(t, p, map[int][]float32{0: {1, 2, 3, 4}})
	wantEq(t, "slice_add", got, []float32{0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 3, 4})
	if len(s.Steps) != 2 {
		t.Errorf("slice_add: %d steps, want fill and slice_axis_add:\n%v", len(s.Steps), s)
	}

	vals = []program.Value{
		{Shape: tensor.Shape{2, 1}, Size: 2, Role: program.Arg},
		{Shape: tensor.Shape{2, 2}, Size: 4, Role: program.Arg},
		{Shape: tensor.Shape{2, 3}, Size: 6},
	}
	p = fakeProgram(program.Instr{Kind: program.KindConcat, Out: 2, In: []int{0, 1}, Axis: 1}, vals...)
	got, _ = runFake(t, p, map[int][]float32{0: {1, 2}, 1: {10, 11, 12, 13}})
	wantEq(t, "concat", got, []float32{1, 10, 11, 2, 12, 13})
}
