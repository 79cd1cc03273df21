package layers

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

var _ Layer = (*Conv2D)(nil)

// Conv2D is a 2-D convolution layer (PyTorch's Conv2d, square kernel,
// symmetric zero padding): act(conv(x, W) + b) for x [N, InC, H, W],
// W [OutC, InC, K, K] and b [OutC], giving [N, OutC, OH, OW] (see OutSize).
// Build it with NewConv2D; the zero value has no parameters.
type Conv2D struct {
	W, B                           *graph.Param
	InC, OutC, Kernel, Stride, Pad int
	Act                            Activation
}

// NewConv2D registers name+".W" [outC, inC, k, k] (Glorot-uniform with fans
// inC·k² and outC·k², the Keras default) and name+".b" [outC] (zeros) drawn
// from rng. It returns an error for non-positive channels, kernel or stride,
// negative padding, an unknown activation or a name already registered.
func NewConv2D(reg *graph.Registry, name string, inC, outC, kernel, stride, pad int, act Activation, rng *rand.Rand) (*Conv2D, error) {
	if inC < 1 || outC < 1 || kernel < 1 || stride < 1 || pad < 0 {
		return nil, fmt.Errorf("layers: conv2d %q: channels %d->%d, kernel %d and stride %d must be positive and padding %d non-negative", name, inC, outC, kernel, stride, pad)
	}
	if err := act.Validate(); err != nil {
		return nil, fmt.Errorf("layers: conv2d %q: %w", name, err)
	}
	kk := kernel * kernel
	w, err := reg.Add(name+".W", []int{outC, inC, kernel, kernel}, graph.GlorotUniform(inC*kk, outC*kk), rng)
	if err != nil {
		return nil, fmt.Errorf("layers: conv2d %q: %w", name, err)
	}
	b, err := reg.Add(name+".b", []int{outC}, graph.Zeros(), rng)
	if err != nil {
		return nil, fmt.Errorf("layers: conv2d %q: %w", name, err)
	}
	return &Conv2D{W: w, B: b, InC: inC, OutC: outC, Kernel: kernel, Stride: stride, Pad: pad, Act: act}, nil
}

// OutSize is the output height and width for an h×w input:
// (h+2·Pad-Kernel)/Stride+1 and likewise for w.
func (c *Conv2D) OutSize(h, w int) (int, int) {
	return convOutSize(h, c.Kernel, c.Stride, c.Pad), convOutSize(w, c.Kernel, c.Stride, c.Pad)
}

// Forward returns act(conv(x, W) + b); x must be [N, InC, H, W] with the
// padded input at least as large as the kernel.
func (c *Conv2D) Forward(b *graph.Builder, x *G.Node) (*G.Node, error) {
	if err := checkRank(c.Describe(), x, 4, 1, c.InC); err != nil {
		return nil, err
	}
	s := x.Shape()
	if s[2]+2*c.Pad < c.Kernel || s[3]+2*c.Pad < c.Kernel {
		return nil, fmt.Errorf("layers: %s: input %v is smaller than the kernel", c.Describe(), s)
	}
	y, err := G.ApplyOp(Conv2DOp{Kernel: c.Kernel, Stride: c.Stride, Pad: c.Pad}, x, b.Param(c.W))
	if err != nil {
		return nil, fmt.Errorf("layers: %s: %w", c.Describe(), err)
	}
	if y, err = biasAct(y, b.Param(c.B), c.Act); err != nil {
		return nil, fmt.Errorf("layers: %s: %w", c.Describe(), err)
	}
	return y, nil
}

// Params returns W and b.
func (c *Conv2D) Params() []*graph.Param { return []*graph.Param{c.W, c.B} }

// Describe is e.g. "Conv2D 1->32 3x3 s2 p1 relu".
func (c *Conv2D) Describe() string {
	return fmt.Sprintf("Conv2D %d->%d %dx%d s%d p%d %s", c.InC, c.OutC, c.Kernel, c.Kernel, c.Stride, c.Pad, c.Act)
}
