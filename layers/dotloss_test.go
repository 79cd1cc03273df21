package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// dotLossOp is Σ y ⊙ r in one pass, so that benchmarks time the layer and
// not gorgonia's generic reduction and broadcast ops.
type dotLossOp struct{ dims int }

func (op dotLossOp) Arity() int { return 2 }
func (op dotLossOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := G.TensorType{Dims: op.dims, Of: a}
	return hm.NewFnType(t, t, a)
}
func (op dotLossOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return tensor.ScalarShape(), nil }
func (op dotLossOp) Do(v ...G.Value) (G.Value, error) {
	y := v[0].Data().([]float32)
	r := v[1].Data().([]float32)
	var s float32
	for i, rv := range r {
		s += y[i] * rv
	}
	return G.NewF32(s), nil
}
func (op dotLossOp) ReturnsPtr() bool          { return false }
func (op dotLossOp) CallsExtern() bool         { return false }
func (op dotLossOp) OverwritesInput() int      { return -1 }
func (op dotLossOp) WriteHash(h hash.Hash)     { fmt.Fprintf(h, "test.dotLoss%d", op.dims) }
func (op dotLossOp) Hashcode() uint32          { return hashOf(op.WriteHash) }
func (op dotLossOp) String() string            { return "dotLoss" }
func (op dotLossOp) DiffWRT(inputs int) []bool { return []bool{true, false} }
func (op dotLossOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dy, err := G.ApplyOp(scaleOp{dims: op.dims}, inputs[1], grad)
	return G.Nodes{dy, nil}, err
}

// scaleOp is r · s for a tensor r and a scalar s.
type scaleOp struct{ dims int }

func (op scaleOp) Arity() int { return 2 }
func (op scaleOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := G.TensorType{Dims: op.dims, Of: a}
	return hm.NewFnType(t, a, t)
}
func (op scaleOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return in[0].(tensor.Shape).Clone(), nil
}
func (op scaleOp) Do(v ...G.Value) (G.Value, error) {
	r := v[0].Data().([]float32)
	s := float32(*(v[1].(*G.F32)))
	t, out := newFloat32(v[0].Shape()...)
	for i, rv := range r {
		out[i] = rv * s
	}
	return t, nil
}
func (op scaleOp) ReturnsPtr() bool      { return false }
func (op scaleOp) CallsExtern() bool     { return false }
func (op scaleOp) OverwritesInput() int  { return -1 }
func (op scaleOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "test.scale%d", op.dims) }
func (op scaleOp) Hashcode() uint32      { return hashOf(op.WriteHash) }
func (op scaleOp) String() string        { return "scale" }
