package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var _ G.SDOp = reshapeOp{}

// reshapeOp copies its input into a new tensor of another shape. gorgonia's
// own Reshape returns a view, and the tape machine's register allocation
// does not see through it: an in-place op reading the view (an elementwise
// product, say) may overwrite a value that the backward pass still needs.
// A copy costs one pass over memory and removes the aliasing.
type reshapeOp struct {
	from, to tensor.Shape
}

func (op reshapeOp) Arity() int { return 1 }

func (op reshapeOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: op.from.Dims(), Of: a}, G.TensorType{Dims: op.to.Dims(), Of: a})
}

func (op reshapeOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, op.from.Dims())
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(op.from) {
		return nil, fmt.Errorf("%v: input shape %v", op, s[0])
	}
	return op.to.Clone(), nil
}

func (op reshapeOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 1 {
		return nil, fmt.Errorf("%v: got %d inputs, want 1", op, len(v))
	}
	x, err := float32Input(op, 0, v[0], op.from)
	if err != nil {
		return nil, err
	}
	t, y := newFloat32(op.to...)
	copy(y, x)
	return t, nil
}

func (op reshapeOp) ReturnsPtr() bool     { return false }
func (op reshapeOp) CallsExtern() bool    { return false }
func (op reshapeOp) OverwritesInput() int { return -1 }
func (op reshapeOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.Reshape%v->%v", []int(op.from), []int(op.to))
}
func (op reshapeOp) Hashcode() uint32 { return hashOf(op.WriteHash) }
func (op reshapeOp) String() string {
	return fmt.Sprintf("Reshape%v->%v", []int(op.from), []int(op.to))
}

func (op reshapeOp) DiffWRT(inputs int) []bool { return []bool{true} }

// SymDiff reshapes grad back to the input shape.
func (op reshapeOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(reshapeOp{from: op.to, to: op.from}, grad)
	if err != nil {
		return nil, fmt.Errorf("%v: gradient: %w", op, err)
	}
	return G.Nodes{dx}, nil
}
