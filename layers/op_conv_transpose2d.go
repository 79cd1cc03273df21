package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.Op   = ConvTranspose2DOp{}
	_ G.SDOp = ConvTranspose2DOp{}
)

// convTransposeOutSize is (n-1)*s - 2p + k + outPad.
func convTransposeOutSize(n, k, s, p, outPad int) int { return (n-1)*s - 2*p + k + outPad }

// ConvTranspose2DOp is a gorgonia op computing PyTorch's conv_transpose2d
// (no bias): x [N, C, H, W] and w [C, OC, K, K] give [N, OC, OH, OW] with
// OH = (H-1)*S - 2P + K + OutPadH and OW likewise. It is the adjoint of a
// Conv2DOp with the same kernel, stride and padding, computed as shifted
// GEMMs adding into phase planes of the output, images in parallel; float32
// only. Output paddings must lie in [0, S).
type ConvTranspose2DOp struct {
	Kernel, Stride, Pad int
	OutPadH, OutPadW    int
}

// geom checks the input shapes and returns the geometry of the adjoint conv
// (from the output back to the input) and the output shape.
func (op ConvTranspose2DOp) geom(xs, ws tensor.Shape) (convGeom, tensor.Shape, error) {
	if op.Kernel < 1 || op.Stride < 1 || op.Pad < 0 {
		return convGeom{}, nil, fmt.Errorf("%v: kernel and stride must be positive and padding non-negative", op)
	}
	if op.OutPadH < 0 || op.OutPadH >= op.Stride || op.OutPadW < 0 || op.OutPadW >= op.Stride {
		return convGeom{}, nil, fmt.Errorf("%v: output padding must lie in [0, stride)", op)
	}
	if xs.Dims() != 4 || ws.Dims() != 4 {
		return convGeom{}, nil, fmt.Errorf("%v: input %v and filter %v must both have 4 dimensions", op, xs, ws)
	}
	if ws[0] != xs[1] || ws[2] != op.Kernel || ws[3] != op.Kernel {
		return convGeom{}, nil, fmt.Errorf("%v: filter %v does not fit input %v (want [%d, _, %d, %d])", op, ws, xs, xs[1], op.Kernel, op.Kernel)
	}
	oh := convTransposeOutSize(xs[2], op.Kernel, op.Stride, op.Pad, op.OutPadH)
	ow := convTransposeOutSize(xs[3], op.Kernel, op.Stride, op.Pad, op.OutPadW)
	if oh < 1 || ow < 1 {
		return convGeom{}, nil, fmt.Errorf("%v: input %v gives an empty %dx%d output", op, xs, oh, ow)
	}
	g := newConvGeom(ws[1], oh, ow, op.Kernel, op.Stride, op.Pad)
	if g.oh != xs[2] || g.ow != xs[3] {
		return convGeom{}, nil, fmt.Errorf("%v: internal error: %dx%d output maps back to %dx%d, not %dx%d", op, oh, ow, g.oh, g.ow, xs[2], xs[3])
	}
	return g, tensor.Shape{xs[0], ws[1], oh, ow}, nil
}

// Arity is 2: the input and the filter.
func (op ConvTranspose2DOp) Arity() int { return 2 }

// Type is Tensor-4 a → Tensor-4 a → Tensor-4 a.
func (op ConvTranspose2DOp) Type() hm.Type {
	t := G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, t)
}

// InferShape returns [N, OC, OH, OW] or an error for ill-fitting shapes.
func (op ConvTranspose2DOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 4, 4)
	if err != nil {
		return nil, err
	}
	_, out, err := op.geom(s[0], s[1])
	return out, err
}

// Do computes the transposed convolution of two float32 tensors.
func (op ConvTranspose2DOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	xs := v[0].Shape()
	g, out, err := op.geom(xs, v[1].Shape())
	if err != nil {
		return nil, err
	}
	x, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	w, err := float32Input(op, 1, v[1], nil)
	if err != nil {
		return nil, err
	}
	t, y := newFloat32(out...)
	convTransposeForward(g, xs[0], xs[1], x, w, y)
	return t, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op ConvTranspose2DOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op ConvTranspose2DOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op ConvTranspose2DOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and hyperparameters.
func (op ConvTranspose2DOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.ConvTranspose2D{k=%d,s=%d,p=%d,op=%d,%d}", op.Kernel, op.Stride, op.Pad, op.OutPadH, op.OutPadW)
}

// Hashcode is the FNV-32a hash of WriteHash.
func (op ConvTranspose2DOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op ConvTranspose2DOp) String() string {
	return fmt.Sprintf("ConvTranspose2D{k=%d,s=%d,p=%d,outpad=%d,%d}", op.Kernel, op.Stride, op.Pad, op.OutPadH, op.OutPadW)
}

// DiffWRT reports that the op is differentiable in both inputs.
func (op ConvTranspose2DOp) DiffWRT(inputs int) []bool { return []bool{true, true} }

// SymDiff returns the input gradient, an ordinary convolution of grad with
// the same filter (read as [C, OC, K, K] = conv filter [out, in, K, K]), and
// the filter gradient.
func (op ConvTranspose2DOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(inputs))
	}
	x, w := inputs[0], inputs[1]
	if _, _, err := op.geom(x.Shape(), w.Shape()); err != nil {
		return nil, err
	}
	dx, err := G.ApplyOp(Conv2DOp{Kernel: op.Kernel, Stride: op.Stride, Pad: op.Pad}, grad, w)
	if err != nil {
		return nil, fmt.Errorf("%v: input gradient: %w", op, err)
	}
	dw, err := G.ApplyOp(convFilterGradOp{Kernel: op.Kernel, Stride: op.Stride, Pad: op.Pad}, grad, x)
	if err != nil {
		return nil, fmt.Errorf("%v: filter gradient: %w", op, err)
	}
	return G.Nodes{dx, dw}, nil
}
