package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.SDOp = LSTMOp{}
	_ G.SDOp = LSTMHiddenOp{}
)

// LSTMOp runs one LSTM layer over a whole sequence with PyTorch nn.LSTM
// semantics and a zero initial state: (x [T, B, In], W_ih [4H, In],
// W_hh [4H, H], bias [4H]) -> workspace [7·T·B·H], all float32, time-major.
// Gate rows of the weights are in PyTorch's order i, f, g, o; bias is
// PyTorch's b_ih + b_hh. Per step t, with h₋₁ = c₋₁ = 0:
//
//	z = x_t·W_ihᵀ + h_{t-1}·W_hhᵀ + bias
//	i, f, g, o = σ(z_i), σ(z_f), tanh(z_g), σ(z_o)
//	c_t = f·c_{t-1} + i·g,  h_t = o·tanh(c_t)
//
// The workspace holds, in order: h [T, B, H], c [T, B, H], tanh(c)
// [T, B, H] and the gate activations [T, B, 4H] (i, f, g, o blocks of H
// per row). Its first T·B·H values are thus the output sequence, which
// LSTMHiddenOp copies out; the rest is what LSTMGradOp needs. The input
// projections of all steps are one GEMM, then each step one [B, H]·W_hhᵀ
// GEMM and the cell update; blocks of batch rows, being independent
// sequences, run on separate goroutines.
type LSTMOp struct{}

// Arity is 4: x, W_ih, W_hh and bias.
func (op LSTMOp) Arity() int { return 4 }

// Type is Tensor-3 a -> Matrix a -> Matrix a -> Vector a -> Vector a.
func (op LSTMOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	v := G.TensorType{Dims: 1, Of: a}
	return hm.NewFnType(G.TensorType{Dims: 3, Of: a}, m, m, v, v)
}

// dims checks all four input shapes.
func (op LSTMOp) dims(xs, wih, whh, bs tensor.Shape) (lstmDims, error) {
	d, err := lstmDimsOf(op, xs, wih, whh)
	if err != nil {
		return d, err
	}
	if !bs.Eq(tensor.Shape{4 * d.H}) {
		return d, fmt.Errorf("%v: bias %v, want [%d]", op, bs, 4*d.H)
	}
	return d, nil
}

// InferShape is [7·T·B·H].
func (op LSTMOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 3, 2, 2, 1)
	if err != nil {
		return nil, err
	}
	d, err := op.dims(s[0], s[1], s[2], s[3])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{d.wsLen()}, nil
}

// Do runs the sequence.
func (op LSTMOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 4 {
		return nil, fmt.Errorf("%v: got %d inputs, want 4", op, len(v))
	}
	d, err := op.dims(v[0].Shape(), v[1].Shape(), v[2].Shape(), v[3].Shape())
	if err != nil {
		return nil, err
	}
	in, err := float32Inputs(op, v)
	if err != nil {
		return nil, err
	}
	t, ws := newFloat32(d.wsLen())
	lstmForward(d, in[0], in[1], in[2], in[3], ws)
	return t, nil
}

// float32Inputs returns the data of every value, in order.
func float32Inputs(op fmt.Stringer, v []G.Value) ([][]float32, error) {
	out := make([][]float32, len(v))
	for i, x := range v {
		d, err := float32Input(op, i, x, nil)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op LSTMOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op LSTMOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op LSTMOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name.
func (op LSTMOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "vigil.LSTM") }

// Hashcode is the FNV-32a hash of WriteHash.
func (op LSTMOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op LSTMOp) String() string { return "LSTM" }

// DiffWRT: differentiable in every input.
func (op LSTMOp) DiffWRT(int) []bool { return []bool{true, true, true, true} }

// SymDiff backpropagates through time with one LSTMGradOp and extracts the
// gradients of x, W_ih, W_hh and bias with SegmentOps. grad is the
// gradient of the hidden states [T, B, H] as passed on by LSTMHiddenOp:
// the only consumer of a workspace that may be differentiated.
func (op LSTMOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 4 {
		return nil, fmt.Errorf("%v: got %d inputs, want 4", op, len(inputs))
	}
	d, err := op.dims(inputs[0].Shape(), inputs[1].Shape(), inputs[2].Shape(), inputs[3].Shape())
	if err != nil {
		return nil, err
	}
	if want := (tensor.Shape{d.T, d.B, d.H}); !grad.Shape().Eq(want) {
		return nil, fmt.Errorf("%v: workspace gradient %v, want the hidden-state gradient %v (read the workspace through LSTMHiddenOp only)", op, grad.Shape(), want)
	}
	packed, err := G.ApplyOp(LSTMGradOp{}, inputs[0], inputs[1], inputs[2], output, grad)
	if err != nil {
		return nil, fmt.Errorf("%v: gradient: %w", op, err)
	}
	out := make(G.Nodes, 4)
	for i, p := range []lstmGradPart{lstmDX, lstmDWih, lstmDWhh, lstmDBias} {
		seg := SegmentOp{Offset: d.gradOffset(p), Len: d.gradOffset(lstmGradParts), Shape: d.gradShape(p)}
		if out[i], err = G.ApplyOp(seg, packed); err != nil {
			return nil, fmt.Errorf("%v: gradient part %d: %w", op, i, err)
		}
	}
	return out, nil
}

// LSTMHiddenOp copies the hidden states h [T, B, H] out of an LSTMOp
// workspace [7·T·B·H] (its first T·B·H values). Its gradient is passed on
// unchanged as the workspace's: LSTMOp reads it as dH [T, B, H], the
// gradient of the workspace's h plane, the other planes having none.
type LSTMHiddenOp struct{ T, B, H int }

// Arity is 1: the workspace.
func (op LSTMHiddenOp) Arity() int { return 1 }

// Type is Vector a -> Tensor-3 a.
func (op LSTMHiddenOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 1, Of: a}, G.TensorType{Dims: 3, Of: a})
}

func (op LSTMHiddenOp) wsShape() tensor.Shape {
	return tensor.Shape{lstmDims{T: op.T, B: op.B, H: op.H}.wsLen()}
}

// InferShape is [T, B, H].
func (op LSTMHiddenOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 1)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(op.wsShape()) {
		return nil, fmt.Errorf("%v: workspace %v, want %v", op, s[0], op.wsShape())
	}
	return tensor.Shape{op.T, op.B, op.H}, nil
}

// Do copies h.
func (op LSTMHiddenOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 1 {
		return nil, fmt.Errorf("%v: got %d inputs, want 1", op, len(v))
	}
	ws, err := float32Input(op, 0, v[0], op.wsShape())
	if err != nil {
		return nil, err
	}
	t, h := newFloat32(op.T, op.B, op.H)
	copy(h, ws)
	return t, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op LSTMHiddenOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op LSTMHiddenOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op LSTMHiddenOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and sizes.
func (op LSTMHiddenOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.LSTMHidden{%d,%d,%d}", op.T, op.B, op.H)
}

// Hashcode is the FNV-32a hash of WriteHash.
func (op LSTMHiddenOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op LSTMHiddenOp) String() string {
	return fmt.Sprintf("LSTMHidden{T=%d,B=%d,H=%d}", op.T, op.B, op.H)
}

// DiffWRT: differentiable in the workspace.
func (op LSTMHiddenOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff passes grad [T, B, H] on as the workspace's gradient.
func (op LSTMHiddenOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	return G.Nodes{grad}, nil
}
