package program

import (
	"fmt"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Role says where a value comes from.
type Role uint8

const (
	// Temp is computed by an instruction.
	Temp Role = iota
	// Arg is a graph input node (parameter, data or noise input), bound
	// from the node's current value before a run.
	Arg
	// Const is a constant (gorgonia constants, sizes of static shapes,
	// instructions on constants evaluated while lowering), bound from
	// Value.Data.
	Const
	// View shares the storage of another value (Value.View).
	View
)

func (r Role) String() string {
	switch r {
	case Temp:
		return "temp"
	case Arg:
		return "arg"
	case Const:
		return "const"
	case View:
		return "view"
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// Value is one node's value in the arena.
type Value struct {
	Node  *G.Node
	Shape tensor.Shape
	Size  int // number of values (1 for a scalar), one arena slot each
	DType DType
	Role  Role
	// View is, for Role View, the index of the value whose storage this
	// one shares (a reshape or identity of it); -1 otherwise.
	View int
	// Data is a Const value's content (int32 values bitwise).
	Data []float32
	// Pinned buffers are never shared: arguments, constants, requested
	// outputs, parameter gradients.
	Pinned bool
	// Dead values are needed by no output or gradient; they get no buffer
	// and no instruction computes them. Arguments are never dead.
	Dead bool
	// Offset is the buffer's position in the arena, in float32 values.
	Offset int
}

// Grad names the value holding the gradient of a parameter.
type Grad struct {
	Param *G.Node
	Value int
}

// Program is a lowered graph: values with a static memory plan in one
// arena of 4-byte slots (float32, or int32 stored bitwise), and the
// instructions computing them in execution order.
type Program struct {
	Values  []Value
	Instrs  []Instr
	Outputs []int  // values of the requested outputs, in request order
	Grads   []Grad // parameter gradients, in graph order of the parameters
	// ArenaSize is the arena length in float32 values; PinnedSize of it
	// holds pinned buffers.
	ArenaSize, PinnedSize int
	// Folded counts the instructions on constants evaluated while
	// lowering; Dropped those removed because no output or gradient
	// depends on them.
	Folded, Dropped int

	byNode map[*G.Node]int
}

// ValueOf returns the index of n's value.
func (p *Program) ValueOf(n *G.Node) (int, bool) {
	i, ok := p.byNode[n]
	return i, ok
}

// root follows views to the value owning the storage.
func (p *Program) root(i int) int {
	for p.Values[i].View >= 0 {
		i = p.Values[i].View
	}
	return i
}

// String lists the values and instructions.
func (p *Program) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "arena %d floats (%d pinned), %d instructions\n", p.ArenaSize, p.PinnedSize, len(p.Instrs))
	for i, v := range p.Values {
		if v.Dead {
			continue
		}
		fmt.Fprintf(&b, "%%%d %v %v @%d", i, v.Role, v.Shape, v.Offset)
		if v.DType != Float32 {
			fmt.Fprintf(&b, " %v", v.DType)
		}
		if v.View >= 0 {
			fmt.Fprintf(&b, " of %%%d", v.View)
		}
		if v.Pinned {
			b.WriteString(" pinned")
		}
		fmt.Fprintf(&b, " %q\n", v.Node.Name())
	}
	for _, in := range p.Instrs {
		fmt.Fprintln(&b, in)
	}
	return b.String()
}
