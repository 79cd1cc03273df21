package program_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sliceConcatCase is a small train graph of slices and concatenations of
// parameters (shapes by name) with a scalar loss; the program must hold
// instructions of kinds.
type sliceConcatCase struct {
	name   string
	params map[string][]int
	loss   func(p map[string]*G.Node) *G.Node
	kinds  []program.Kind // instruction kinds the program must hold
}

// sliceConcatCases slices a [3, 4, 5] tensor along each axis (a range, a
// single position, which drops the axis, and the whole axis) and
// concatenates 2 and 3 tensors along each axis, with their gradients.
func sliceConcatCases() []sliceConcatCase {
	must := G.Must
	sq := func(n *G.Node) *G.Node { return must(G.Sum(must(G.Square(n)))) }
	var cs []sliceConcatCase
	cube := map[string][]int{"a": {3, 4, 5}}
	for axis := range 3 {
		at := func(s tensor.Slice) []tensor.Slice {
			ss := make([]tensor.Slice, axis+1)
			ss[axis] = s
			return ss
		}
		cs = append(cs,
			sliceConcatCase{name: fmt.Sprintf("slice range axis %d", axis), params: cube,
				loss: func(p map[string]*G.Node) *G.Node {
					// A range, and a second one overlapping it through tanh.
					s1 := must(G.Slice(p["a"], at(G.S(1, 3))...))
					s2 := must(G.Slice(must(G.Tanh(p["a"])), at(G.S(0, 2))...))
					return must(G.Add(sq(s1), must(G.Sum(must(G.Exp(s2))))))
				},
				kinds: []program.Kind{program.KindSlice, program.KindSliceAdd}},
			sliceConcatCase{name: fmt.Sprintf("slice index axis %d", axis), params: cube,
				loss: func(p map[string]*G.Node) *G.Node {
					return must(G.Add(sq(must(G.Slice(p["a"], at(G.S(2))...))), sq(must(G.Slice(p["a"], at(nil)...)))))
				},
				kinds: []program.Kind{program.KindSlice, program.KindSliceAdd}},
		)
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
			sliceConcatCase{name: fmt.Sprintf("concat 2 axis %d", axis), params: two,
				loss: func(p map[string]*G.Node) *G.Node {
					return sq(must(G.Concat(axis, must(G.Tanh(p["p"])), p["q"])))
				},
				kinds: []program.Kind{program.KindConcat, program.KindSlice}},
			sliceConcatCase{name: fmt.Sprintf("concat 3 axis %d", axis), params: three,
				loss: func(p map[string]*G.Node) *G.Node {
					c := must(G.Concat(axis, p["p"], must(G.Sin(p["q"])), p["r"]))
					return must(G.Sum(must(G.Exp(c))))
				},
				kinds: []program.Kind{program.KindConcat, program.KindSlice}},
		)
	}
	cs = append(cs, sliceConcatCase{
		// Views: all of an axis, and its gradient as the parameter's.
		name: "slice whole axis", params: map[string][]int{"a": {3, 4}},
		loss: func(p map[string]*G.Node) *G.Node { return sq(must(G.Slice(p["a"], nil, G.S(0, 4)))) },
	}, sliceConcatCase{
		// A scalar slice, whose gradient increments by a scalar.
		name: "slice vector element", params: map[string][]int{"a": {5}},
		loss: func(p map[string]*G.Node) *G.Node {
			return must(G.Add(must(G.Cube(must(G.Slice(p["a"], G.S(3))))), sq(must(G.Slice(p["a"], G.S(1, 4))))))
		},
		kinds: []program.Kind{program.KindSlice, program.KindSliceAdd},
	}, sliceConcatCase{
		// An encoder's split of a product into mean and log variance,
		// joined again, and a slice across the join.
		name: "split and join", params: map[string][]int{"x": {3, 4}, "w": {4, 6}},
		loss: func(p map[string]*G.Node) *G.Node {
			h := must(G.Mul(p["x"], p["w"]))
			mu := must(G.Slice(h, nil, G.S(0, 3)))
			lv := must(G.Slice(h, nil, G.S(3, 6)))
			kl := must(G.Sum(must(G.Sub(must(G.Exp(lv)), must(G.Add(lv, must(G.Square(mu))))))))
			j := must(G.Concat(1, lv, mu, p["x"]))
			return must(G.Add(kl, sq(must(G.Slice(j, G.S(1, 3), G.S(2, 8))))))
		},
		kinds: []program.Kind{program.KindSlice, program.KindSliceAdd, program.KindConcat},
	})
	return cs
}

// buildSliceConcat builds case c's train graph with random parameters.
func buildSliceConcat(t *testing.T, c sliceConcatCase) (*graph.Program, *G.Node) {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, uint64(len(c.name))))
	reg := graph.NewRegistry()
	for _, name := range []string{"a", "p", "q", "r", "x", "w"} {
		if s, ok := c.params[name]; ok {
			if _, err := reg.Add(name, s, graph.Normal(1), rng); err != nil {
				t.Fatal(err)
			}
		}
	}
	b := graph.NewBuilder(reg, graph.Train)
	nodes := map[string]*G.Node{}
	for name := range c.params {
		nodes[name] = b.Param(reg.Get(name))
	}
	loss := c.loss(nodes)
	prog, err := graph.Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { prog.Close() })
	return prog, loss
}

// TestSliceConcatMatchTape compares the loss and every gradient of the
// slice and concatenation graphs with the tape machine's.
func TestSliceConcatMatchTape(t *testing.T) {
	for _, c := range sliceConcatCases() {
		t.Run(c.name, func(t *testing.T) {
			prog, loss := buildSliceConcat(t, c)
			p, err := program.Lower(prog.Graph(), loss)
			if err != nil {
				t.Fatal(err)
			}
			has := map[program.Kind]bool{}
			for _, in := range p.Instrs {
				has[in.Kind] = true
			}
			for _, k := range c.kinds {
				if !has[k] {
					t.Errorf("no %v instruction in\n%v", k, p)
				}
			}
			wantLoss, wantGrads := tapeRun(t, prog, nil)
			if len(wantGrads) != len(c.params) {
				t.Fatalf("tape gives %d gradients, want %d", len(wantGrads), len(c.params))
			}
			m, err := program.Interpret(p)
			if err != nil {
				t.Fatal(err)
			}
			checkAgainstTape(t, p, m, prog.Graph(), loss, wantLoss, wantGrads)
			checkPlan(t, p)
		})
	}
}

func TestSliceUnsupportedIsAnError(t *testing.T) {
	for _, c := range []struct {
		s    tensor.Slice
		want string
	}{{G.S(0, 4, 2), "step 2"}, {G.S(0, 6, 3), "step 3"}} {
		g := G.NewGraph()
		x := G.NewMatrix(g, G.Float32, G.WithShape(2, 6), G.WithName("x"), G.WithInit(G.Zeroes()))
		loss := G.Must(G.Sum(G.Must(G.Slice(x, nil, c.s))))
		_, err := program.Lower(g, loss)
		if err == nil {
			t.Fatalf("slice %v lowered", c.s)
		}
		for _, want := range []string{"sliceOp", c.want} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	}
}

func TestSliceInstrString(t *testing.T) {
	for _, c := range []struct {
		in   program.Instr
		want string
	}{
		{program.Instr{Kind: program.KindSlice, Out: 3, In: []int{1}, Axis: 1, Start: 2, Stop: 5}, "%3 = slice{axis=1,2:5} %1"},
		{program.Instr{Kind: program.KindSliceAdd, Out: 4, In: []int{3}, Axis: 0, Start: 1, Stop: 2}, "%4 = slice_add{axis=0,1:2} %3"},
		{program.Instr{Kind: program.KindConcat, Out: 5, In: []int{0, 1, 2}, Axis: 2}, "%5 = concat{axis=2} %0 %1 %2"},
	} {
		if got := c.in.String(); got != c.want {
			t.Errorf("String = %q, want %q", got, c.want)
		}
	}
}
