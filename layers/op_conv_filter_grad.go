package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var _ G.Op = convFilterGradOp{}

// convFilterGradOp computes the filter gradient shared by Conv2DOp and
// ConvTranspose2DOp: from large [N, C, H, W] and small [N, CS, OH, OW], where
// small has the size of a conv of large, it returns [CS, C, K, K] =
// Σₙ small[n] · im2col(large[n])ᵀ. For a conv, large is the input and small
// the output gradient; for a transposed conv, large is the output gradient
// and small the input. It is not differentiable itself.
type convFilterGradOp struct {
	Kernel, Stride, Pad int
}

func (op convFilterGradOp) geom(ls, ss tensor.Shape) (convGeom, tensor.Shape, error) {
	if ls.Dims() != 4 || ss.Dims() != 4 || ls[0] != ss[0] {
		return convGeom{}, nil, fmt.Errorf("%v: shapes %v and %v are not two 4-D batches of the same size", op, ls, ss)
	}
	g := newConvGeom(ls[1], ls[2], ls[3], op.Kernel, op.Stride, op.Pad)
	if g.oh != ss[2] || g.ow != ss[3] {
		return convGeom{}, nil, fmt.Errorf("%v: %v convolves to %dx%d, not %v", op, ls, g.oh, g.ow, ss)
	}
	return g, tensor.Shape{ss[1], ls[1], op.Kernel, op.Kernel}, nil
}

func (op convFilterGradOp) Arity() int { return 2 }

func (op convFilterGradOp) Type() hm.Type {
	t := G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, t)
}

func (op convFilterGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 4, 4)
	if err != nil {
		return nil, err
	}
	_, out, err := op.geom(s[0], s[1])
	return out, err
}

func (op convFilterGradOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	ss := v[1].Shape()
	g, out, err := op.geom(v[0].Shape(), ss)
	if err != nil {
		return nil, err
	}
	large, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	small, err := float32Input(op, 1, v[1], nil)
	if err != nil {
		return nil, err
	}
	t, dw := newFloat32(out...)
	convFilterGrad(g, ss[0], ss[1], large, small, dw)
	return t, nil
}

func (op convFilterGradOp) ReturnsPtr() bool     { return false }
func (op convFilterGradOp) CallsExtern() bool    { return false }
func (op convFilterGradOp) OverwritesInput() int { return -1 }

func (op convFilterGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.ConvFilterGrad{k=%d,s=%d,p=%d}", op.Kernel, op.Stride, op.Pad)
}

func (op convFilterGradOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op convFilterGradOp) String() string {
	return fmt.Sprintf("ConvFilterGrad{k=%d,s=%d,p=%d}", op.Kernel, op.Stride, op.Pad)
}
