package layers

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.SDOp = reluOp{}
	_ G.Op   = reluGradOp{}
)

// reluOp computes max(x, 0) in one pass; gorgonia's Rectify needs a
// comparison and a product forward and more ops backward.
type reluOp struct{}

func (op reluOp) Arity() int { return 1 }

func (op reluOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op reluOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%v: got %d input shapes, want 1", op, len(in))
	}
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%v: input shape is %T", op, in[0])
	}
	return s.Clone(), nil
}

func (op reluOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 1 {
		return nil, fmt.Errorf("%v: got %d inputs, want 1", op, len(v))
	}
	x, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	t, y := newFloat32(v[0].Shape()...)
	y = y[:len(x)]
	for i, xv := range x {
		// Branch-free: clear every bit of a negative value (sign bit set).
		b := math.Float32bits(xv)
		y[i] = math.Float32frombits(b &^ uint32(int32(b)>>31))
	}
	return t, nil
}

func (op reluOp) ReturnsPtr() bool      { return false }
func (op reluOp) CallsExtern() bool     { return false }
func (op reluOp) OverwritesInput() int  { return -1 }
func (op reluOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "vigil.ReLU") }
func (op reluOp) Hashcode() uint32      { return hashOf(op.WriteHash) }
func (op reluOp) String() string        { return "ReLU" }

func (op reluOp) DiffWRT(inputs int) []bool { return []bool{true} }

// SymDiff masks grad where the output is zero (gradient 0 at x = 0, as PyTorch).
func (op reluOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(reluGradOp{}, output, grad)
	if err != nil {
		return nil, fmt.Errorf("%v: gradient: %w", op, err)
	}
	return G.Nodes{dx}, nil
}

// reluGradOp computes grad where y > 0 and 0 elsewhere, from (y, grad).
type reluGradOp struct{}

func (op reluGradOp) Arity() int { return 2 }

func (op reluGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (op reluGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("%v: got %d input shapes, want 2", op, len(in))
	}
	a, ok1 := in[0].(tensor.Shape)
	b, ok2 := in[1].(tensor.Shape)
	if !ok1 || !ok2 || !a.Eq(b) {
		return nil, fmt.Errorf("%v: input shapes %v and %v differ", op, in[0], in[1])
	}
	return a.Clone(), nil
}

func (op reluGradOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	y, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	g, err := float32Input(op, 1, v[1], v[0].Shape())
	if err != nil {
		return nil, err
	}
	t, dx := newFloat32(v[0].Shape()...)
	dx, g = dx[:len(y)], g[:len(y)]
	for i, yv := range y {
		// Branch-free: y is +0 or positive, so its bits are 0 exactly where
		// the gradient is blocked.
		b := math.Float32bits(yv)
		keep := uint32(int32(b|-b) >> 31)
		dx[i] = math.Float32frombits(math.Float32bits(g[i]) & keep)
	}
	return t, nil
}

func (op reluGradOp) ReturnsPtr() bool      { return false }
func (op reluGradOp) CallsExtern() bool     { return false }
func (op reluGradOp) OverwritesInput() int  { return -1 }
func (op reluGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "vigil.ReLUGrad") }
func (op reluGradOp) Hashcode() uint32      { return hashOf(op.WriteHash) }
func (op reluGradOp) String() string        { return "ReLUGrad" }
