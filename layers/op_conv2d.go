package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.Op   = Conv2DOp{}
	_ G.SDOp = Conv2DOp{}
)

// Conv2DOp is a gorgonia op computing the 2-D cross-correlation of PyTorch's
// conv2d (no bias): x [N, C, H, W] and w [OC, C, K, K] give
// [N, OC, OH, OW] with OH = (H+2P-K)/S+1 and OW = (W+2P-K)/S+1, zero padding
// P on every side, float32 only. It runs as shifted GEMMs on phase planes
// of the padded input (patch-matrix GEMMs for fewer than 4 input channels),
// images in parallel. Its input gradient is a ConvTranspose2DOp of the
// output gradient with the same w, its filter gradient a separate op.
type Conv2DOp struct {
	Kernel, Stride, Pad int
}

// geom checks the input shapes and returns the conv geometry and output shape.
func (op Conv2DOp) geom(xs, ws tensor.Shape) (convGeom, tensor.Shape, error) {
	if op.Kernel < 1 || op.Stride < 1 || op.Pad < 0 {
		return convGeom{}, nil, fmt.Errorf("%v: kernel and stride must be positive and padding non-negative", op)
	}
	if xs.Dims() != 4 || ws.Dims() != 4 {
		return convGeom{}, nil, fmt.Errorf("%v: input %v and filter %v must both have 4 dimensions", op, xs, ws)
	}
	if ws[1] != xs[1] || ws[2] != op.Kernel || ws[3] != op.Kernel {
		return convGeom{}, nil, fmt.Errorf("%v: filter %v does not fit input %v (want [_, %d, %d, %d])", op, ws, xs, xs[1], op.Kernel, op.Kernel)
	}
	g := newConvGeom(xs[1], xs[2], xs[3], op.Kernel, op.Stride, op.Pad)
	if xs[2]+2*op.Pad < op.Kernel || xs[3]+2*op.Pad < op.Kernel {
		return convGeom{}, nil, fmt.Errorf("%v: padded input %dx%d is smaller than the kernel", op, xs[2]+2*op.Pad, xs[3]+2*op.Pad)
	}
	return g, tensor.Shape{xs[0], ws[0], g.oh, g.ow}, nil
}

// Arity is 2: the input and the filter.
func (op Conv2DOp) Arity() int { return 2 }

// Type is Tensor-4 a → Tensor-4 a → Tensor-4 a.
func (op Conv2DOp) Type() hm.Type {
	t := G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, t)
}

// InferShape returns [N, OC, OH, OW] or an error for ill-fitting shapes.
func (op Conv2DOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 4, 4)
	if err != nil {
		return nil, err
	}
	_, out, err := op.geom(s[0], s[1])
	return out, err
}

// Do computes the convolution of two float32 tensors.
func (op Conv2DOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	g, out, err := op.geom(v[0].Shape(), v[1].Shape())
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
	convForward(g, out[0], out[1], x, w, y)
	return t, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op Conv2DOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op Conv2DOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op Conv2DOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and hyperparameters.
func (op Conv2DOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.Conv2D{k=%d,s=%d,p=%d}", op.Kernel, op.Stride, op.Pad)
}

// Hashcode is the FNV-32a hash of WriteHash.
func (op Conv2DOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op Conv2DOp) String() string {
	return fmt.Sprintf("Conv2D{k=%d,s=%d,p=%d}", op.Kernel, op.Stride, op.Pad)
}

// DiffWRT reports that the op is differentiable in both inputs.
func (op Conv2DOp) DiffWRT(inputs int) []bool { return []bool{true, true} }

// SymDiff returns the input gradient, a transposed convolution of grad with
// the same filter sized back to the input, and the filter gradient.
func (op Conv2DOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(inputs))
	}
	x, w := inputs[0], inputs[1]
	g, _, err := op.geom(x.Shape(), w.Shape())
	if err != nil {
		return nil, err
	}
	back := ConvTranspose2DOp{
		Kernel: op.Kernel, Stride: op.Stride, Pad: op.Pad,
		OutPadH: g.h - convTransposeOutSize(g.oh, g.k, g.s, g.p, 0),
		OutPadW: g.w - convTransposeOutSize(g.ow, g.k, g.s, g.p, 0),
	}
	dx, err := G.ApplyOp(back, grad, w)
	if err != nil {
		return nil, fmt.Errorf("%v: input gradient: %w", op, err)
	}
	dw, err := G.ApplyOp(convFilterGradOp{Kernel: op.Kernel, Stride: op.Stride, Pad: op.Pad}, x, grad)
	if err != nil {
		return nil, fmt.Errorf("%v: filter gradient: %w", op, err)
	}
	return G.Nodes{dx, dw}, nil
}
