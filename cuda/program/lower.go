package program

import (
	"cmp"
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"
)

// Lower turns g into a Program computing outputs (all roots of g when none
// are given) and the gradient of every parameter that has one (nodes
// differentiated by gorgonia.Grad). Nodes run in the tape machine's order,
// reversed gorgonia.Sort. Every op node must lower, even one no output
// needs: an op outside the instruction set, a value that is neither
// float32 nor int32, or an int32 value an instruction would compute (int32
// values are arguments, constants or views), is an error naming the op
// (%T and String) and node.
func Lower(g *G.ExprGraph, outputs ...*G.Node) (*Program, error) {
	if g == nil {
		return nil, fmt.Errorf("program: lower: nil graph")
	}
	sorted, err := G.Sort(g)
	if err != nil {
		return nil, fmt.Errorf("program: lower: sort: %w", err)
	}
	if len(sorted) != len(g.AllNodes()) {
		return nil, fmt.Errorf("program: lower: sorted %d of %d nodes", len(sorted), len(g.AllNodes()))
	}
	slices.Reverse(sorted)
	p := &Program{byNode: make(map[*G.Node]int, len(sorted))}
	producer := map[int]int{} // value -> index into lowered instructions
	var instrs []Instr
	for _, n := range sorted {
		dt, err := dtypeOf(n)
		if err != nil {
			return nil, nodeErr(n, err)
		}
		v := Value{Node: n, Shape: n.Shape(), Size: numel(n.Shape()), DType: dt, View: -1}
		if n.Op() == nil {
			v.Role, v.Pinned = Arg, true
			p.addValue(v)
			continue
		}
		children := childrenOf(g, n)
		in := make([]int, len(children))
		for i, c := range children {
			idx, ok := p.byNode[c]
			if !ok {
				return nil, nodeErr(n, fmt.Errorf("input %d (%q) is not yet lowered", i, c.Name()))
			}
			in[i] = idx
		}
		l, err := lowerOp(n, children)
		if err != nil {
			return nil, nodeErr(n, err)
		}
		var ins Instr
		switch {
		case l.instr != nil:
			if dt != Float32 {
				return nil, nodeErr(n, fmt.Errorf("instruction %v with a %v output (instructions give float32)", l.instr.Kind, dt))
			}
			ins = *l.instr
			ins.Node = n
			ins.Out = len(p.Values)
			for i, c := range ins.In {
				ins.In[i] = in[c]
			}
		case l.view >= 0:
			src := in[l.view]
			if p.Values[src].Size != v.Size {
				return nil, nodeErr(n, fmt.Errorf("view of %d values as %v", p.Values[src].Size, v.Shape))
			}
			if p.Values[src].DType != dt {
				return nil, nodeErr(n, fmt.Errorf("%v view of a %v value", dt, p.Values[src].DType))
			}
			v.Role, v.View = View, src
		default:
			if len(l.data) != v.Size {
				return nil, nodeErr(n, fmt.Errorf("constant of %d values for shape %v", len(l.data), v.Shape))
			}
			v.Role, v.Data, v.Pinned = Const, l.data, true
		}
		p.addValue(v)
		if l.instr == nil {
			continue
		}
		if err := checkInstr(p.Values, ins); err != nil {
			return nil, nodeErr(n, err)
		}
		if err := p.fold(ins); err != nil {
			return nil, nodeErr(n, err)
		}
		if p.Values[ins.Out].Role == Temp {
			producer[ins.Out] = len(instrs)
			instrs = append(instrs, ins)
		}
	}

	if len(outputs) == 0 {
		outputs = slices.Clone(g.Roots()) // gorgonia caches the slice
		slices.SortFunc(outputs, func(a, b *G.Node) int { return cmp.Compare(a.ID(), b.ID()) })
	}
	for _, o := range outputs {
		i, ok := p.byNode[o]
		if !ok {
			return nil, fmt.Errorf("program: lower: output %q is not a node of the graph", o.Name())
		}
		p.Outputs = append(p.Outputs, i)
	}
	for _, v := range p.Values {
		if v.Role != Arg || v.Node.Deriv() == nil {
			continue
		}
		d, ok := p.byNode[v.Node.Deriv()]
		if !ok {
			return nil, fmt.Errorf("program: lower: gradient of %q is not a node of the graph", v.Node.Name())
		}
		if p.Values[d].Size != v.Size {
			return nil, fmt.Errorf("program: lower: gradient of %q has shape %v, want %v", v.Node.Name(), p.Values[d].Shape, v.Shape)
		}
		p.Grads = append(p.Grads, Grad{Param: v.Node, Value: d})
	}
	p.prune(instrs, producer)
	if err := p.plan(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Program) addValue(v Value) {
	p.byNode[v.Node] = len(p.Values)
	p.Values = append(p.Values, v)
}

// prune keeps the instructions that outputs and gradients depend on, marks
// every other value but the arguments dead and pins the storage of outputs
// and gradients.
func (p *Program) prune(instrs []Instr, producer map[int]int) {
	need := make([]bool, len(p.Values))
	for _, o := range p.Outputs {
		need[o] = true
	}
	for _, g := range p.Grads {
		need[g.Value] = true
	}
	for i := len(p.Values) - 1; i >= 0; i-- {
		if !need[i] {
			continue
		}
		if v := p.Values[i].View; v >= 0 {
			need[v] = true
		}
		if k, ok := producer[i]; ok {
			for _, in := range instrs[k].In {
				need[in] = true
			}
		}
	}
	for i := range p.Values {
		v := &p.Values[i]
		if !need[i] && v.Role != Arg {
			v.Dead = true
		}
	}
	for _, in := range instrs {
		if need[in.Out] {
			p.Instrs = append(p.Instrs, in)
		} else {
			p.Dropped++
		}
	}
	for _, o := range p.Outputs {
		p.Values[p.root(o)].Pinned = true
	}
	for _, g := range p.Grads {
		p.Values[p.root(g.Value)].Pinned = true
	}
}

// fold evaluates an instruction whose inputs are all constants with the
// reference kernels and turns its output into a constant.
func (p *Program) fold(in Instr) error {
	args := make([][]float32, len(in.In))
	for i, v := range in.In {
		r := p.Values[p.root(v)]
		if r.Role != Const {
			return nil
		}
		args[i] = r.Data
	}
	out := make([]float32, p.Values[in.Out].Size) // instructions give float32
	if err := run(p.Values, in, out, args); err != nil {
		return err
	}
	v := &p.Values[in.Out]
	v.Role, v.Data, v.Pinned = Const, out, true
	p.Folded++
	return nil
}

// childrenOf returns n's inputs in order.
func childrenOf(g *G.ExprGraph, n *G.Node) []*G.Node {
	var out []*G.Node
	for it := g.From(n.ID()); it.Next(); {
		out = append(out, it.Node().(*G.Node))
	}
	return out
}

// nodeErr names the node and its op in a lowering error.
func nodeErr(n *G.Node, err error) error {
	op := n.Op()
	if op == nil {
		return fmt.Errorf("program: lower: node %d %q: %w", n.ID(), n.Name(), err)
	}
	return fmt.Errorf("program: lower: node %d %q, op %T %q: %w", n.ID(), n.Name(), op, op.String(), err)
}
