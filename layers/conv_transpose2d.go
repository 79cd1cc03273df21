package layers

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

var _ Layer = (*ConvTranspose2D)(nil)

// ConvTranspose2D is a 2-D transposed convolution layer (PyTorch's
// ConvTranspose2d, square kernel): act(convT(x, W) + b) for
// x [N, InC, H, W], W [InC, OutC, K, K] (PyTorch's layout) and b [OutC],
// giving [N, OutC, OH, OW] (see OutSize).
// Build it with NewConvTranspose2D; the zero value has no parameters.
type ConvTranspose2D struct {
	W, B                                   *graph.Param
	InC, OutC, Kernel, Stride, Pad, OutPad int
	Act                                    Activation
}

// NewConvTranspose2D registers name+".W" [inC, outC, k, k] (Glorot-uniform
// with fans inC·k² and outC·k²) and name+".b" [outC] (zeros) drawn from rng.
// It returns an error for non-positive channels, kernel or stride, negative
// padding, an output padding outside [0, stride), an unknown activation or
// a name already registered.
func NewConvTranspose2D(reg *graph.Registry, name string, inC, outC, kernel, stride, pad, outPad int, act Activation, rng *rand.Rand) (*ConvTranspose2D, error) {
	if inC < 1 || outC < 1 || kernel < 1 || stride < 1 || pad < 0 {
		return nil, fmt.Errorf("layers: conv_transpose2d %q: channels %d->%d, kernel %d and stride %d must be positive and padding %d non-negative", name, inC, outC, kernel, stride, pad)
	}
	if outPad < 0 || outPad >= stride {
		return nil, fmt.Errorf("layers: conv_transpose2d %q: output padding %d must lie in [0, stride %d)", name, outPad, stride)
	}
	if err := act.Validate(); err != nil {
		return nil, fmt.Errorf("layers: conv_transpose2d %q: %w", name, err)
	}
	kk := kernel * kernel
	w, err := reg.Add(name+".W", []int{inC, outC, kernel, kernel}, graph.GlorotUniform(inC*kk, outC*kk), rng)
	if err != nil {
		return nil, fmt.Errorf("layers: conv_transpose2d %q: %w", name, err)
	}
	b, err := reg.Add(name+".b", []int{outC}, graph.Zeros(), rng)
	if err != nil {
		return nil, fmt.Errorf("layers: conv_transpose2d %q: %w", name, err)
	}
	return &ConvTranspose2D{W: w, B: b, InC: inC, OutC: outC, Kernel: kernel, Stride: stride, Pad: pad, OutPad: outPad, Act: act}, nil
}

// OutSize is the output height and width for an h×w input:
// (h-1)·Stride - 2·Pad + Kernel + OutPad and likewise for w.
func (c *ConvTranspose2D) OutSize(h, w int) (int, int) {
	return convTransposeOutSize(h, c.Kernel, c.Stride, c.Pad, c.OutPad), convTransposeOutSize(w, c.Kernel, c.Stride, c.Pad, c.OutPad)
}

// Forward returns act(convT(x, W) + b); x must be [N, InC, H, W] with a
// non-empty output size.
func (c *ConvTranspose2D) Forward(b *graph.Builder, x *G.Node) (*G.Node, error) {
	if err := checkRank(c.Describe(), x, 4, 1, c.InC); err != nil {
		return nil, err
	}
	s := x.Shape()
	if oh, ow := c.OutSize(s[2], s[3]); oh < 1 || ow < 1 {
		return nil, fmt.Errorf("layers: %s: input %v gives an empty %dx%d output", c.Describe(), s, oh, ow)
	}
	op := ConvTranspose2DOp{Kernel: c.Kernel, Stride: c.Stride, Pad: c.Pad, OutPadH: c.OutPad, OutPadW: c.OutPad}
	y, err := G.ApplyOp(op, x, b.Param(c.W))
	if err != nil {
		return nil, fmt.Errorf("layers: %s: %w", c.Describe(), err)
	}
	if y, err = biasAct(y, b.Param(c.B), c.Act); err != nil {
		return nil, fmt.Errorf("layers: %s: %w", c.Describe(), err)
	}
	return y, nil
}

// Params returns W and b.
func (c *ConvTranspose2D) Params() []*graph.Param { return []*graph.Param{c.W, c.B} }

// Describe is e.g. "ConvTranspose2D 64->32 3x3 s2 p1 op1 relu".
func (c *ConvTranspose2D) Describe() string {
	return fmt.Sprintf("ConvTranspose2D %d->%d %dx%d s%d p%d op%d %s", c.InC, c.OutC, c.Kernel, c.Kernel, c.Stride, c.Pad, c.OutPad, c.Act)
}
