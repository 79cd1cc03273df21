package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.Op = LSTMGradOp{}
	_ G.Op = SegmentOp{}
)

// LSTMGradOp backpropagates an LSTMOp through time: (x [T, B, In],
// W_ih [4H, In], W_hh [4H, H], workspace [7·T·B·H] of the LSTMOp on these
// inputs, dH [T, B, H]) -> one packed float32 vector holding, in order:
//
//	dx      [T, B, In]
//	dW_ih   [4H, In]
//	dW_hh   [4H, H]
//	dbias   [4H]
//	dz      [T, B, 4H]  gradient of the gate pre-activations
//	dh0     [B, H]      gradient of the (zero) initial hidden state
//	dc0     [B, H]      gradient of the (zero) initial cell state
//
// SegmentOps cut the parts out. Going back from t = T-1, each step adds
// dz_{t+1}·W_hh to dH_t (one [B, 4H]·[4H, H] GEMM), runs the cell
// backward and computes dx_t = dz_t·W_ih; dW_ih and dW_hh are then one
// GEMM each over all steps and dbias the column sums of dz.
type LSTMGradOp struct{}

// Arity is 5: x, W_ih, W_hh, workspace and dH.
func (op LSTMGradOp) Arity() int { return 5 }

// Type is Tensor-3 a -> Matrix a -> Matrix a -> Vector a -> Tensor-3 a -> Vector a.
func (op LSTMGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	v := G.TensorType{Dims: 1, Of: a}
	t3 := G.TensorType{Dims: 3, Of: a}
	return hm.NewFnType(t3, m, m, v, t3, v)
}

// dims checks all five input shapes.
func (op LSTMGradOp) dims(s []tensor.Shape) (lstmDims, error) {
	d, err := lstmDimsOf(op, s[0], s[1], s[2])
	if err != nil {
		return d, err
	}
	if !s[3].Eq(tensor.Shape{d.wsLen()}) {
		return d, fmt.Errorf("%v: workspace %v, want [%d]", op, s[3], d.wsLen())
	}
	if !s[4].Eq(tensor.Shape{d.T, d.B, d.H}) {
		return d, fmt.Errorf("%v: dH %v, want [%d %d %d]", op, s[4], d.T, d.B, d.H)
	}
	return d, nil
}

// InferShape is the packed length.
func (op LSTMGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 3, 2, 2, 1, 3)
	if err != nil {
		return nil, err
	}
	d, err := op.dims(s)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{d.gradOffset(lstmGradParts)}, nil
}

// Do computes the packed gradient.
func (op LSTMGradOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 5 {
		return nil, fmt.Errorf("%v: got %d inputs, want 5", op, len(v))
	}
	s := make([]tensor.Shape, len(v))
	for i, x := range v {
		s[i] = x.Shape()
	}
	d, err := op.dims(s)
	if err != nil {
		return nil, err
	}
	in, err := float32Inputs(op, v)
	if err != nil {
		return nil, err
	}
	t, out := newFloat32(d.gradOffset(lstmGradParts))
	lstmBackward(d, in[0], in[1], in[2], in[3], in[4], out)
	return t, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op LSTMGradOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op LSTMGradOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op LSTMGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name.
func (op LSTMGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "vigil.LSTMGrad") }

// Hashcode is the FNV-32a hash of WriteHash.
func (op LSTMGradOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op LSTMGradOp) String() string { return "LSTMGrad" }

// SegmentOp copies a contiguous segment out of a float32 vector: (v [Len])
// -> v[Offset : Offset+Shape.TotalSize()] as a tensor of Shape. It cuts
// gradients out of packed buffers such as LSTMGradOp's and is not itself
// differentiated.
type SegmentOp struct {
	Offset, Len int
	Shape       tensor.Shape
}

func (op SegmentOp) check(s tensor.Shape) error {
	if !s.Eq(tensor.Shape{op.Len}) || op.Offset < 0 || op.Offset+op.Shape.TotalSize() > op.Len {
		return fmt.Errorf("%v: input %v", op, s)
	}
	return nil
}

// Arity is 1.
func (op SegmentOp) Arity() int { return 1 }

// Type is Vector a -> Tensor-len(Shape) a.
func (op SegmentOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 1, Of: a}, G.TensorType{Dims: op.Shape.Dims(), Of: a})
}

// InferShape is Shape.
func (op SegmentOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 1)
	if err != nil {
		return nil, err
	}
	if err := op.check(s[0]); err != nil {
		return nil, err
	}
	return op.Shape.Clone(), nil
}

// Do copies the segment.
func (op SegmentOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 1 {
		return nil, fmt.Errorf("%v: got %d inputs, want 1", op, len(v))
	}
	if err := op.check(v[0].Shape()); err != nil {
		return nil, err
	}
	x, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	t, y := newFloat32(op.Shape...)
	copy(y, x[op.Offset:])
	return t, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op SegmentOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op SegmentOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op SegmentOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and segment.
func (op SegmentOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.Segment{%d,%d,%v}", op.Offset, op.Len, []int(op.Shape))
}

// Hashcode is the FNV-32a hash of WriteHash.
func (op SegmentOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op SegmentOp) String() string {
	return fmt.Sprintf("Segment{%d+%v of %d}", op.Offset, []int(op.Shape), op.Len)
}
