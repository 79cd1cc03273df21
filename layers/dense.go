package layers

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

var _ Layer = (*Dense)(nil)

// Dense is a fully connected layer: act(x·W + b) for x [N, In], W [In, Out]
// and b [Out], giving [N, Out].
// Build it with NewDense; the zero value has no parameters.
type Dense struct {
	W, B    *graph.Param
	In, Out int
	Act     Activation
}

// NewDense registers name+".W" [in, out] (Glorot-uniform, the Keras default)
// and name+".b" [out] (zeros) drawn from rng. It returns an error for
// non-positive sizes, an unknown activation or a name already registered.
func NewDense(reg *graph.Registry, name string, in, out int, act Activation, rng *rand.Rand) (*Dense, error) {
	if in < 1 || out < 1 {
		return nil, fmt.Errorf("layers: dense %q: sizes %d->%d must be positive", name, in, out)
	}
	if err := act.Validate(); err != nil {
		return nil, fmt.Errorf("layers: dense %q: %w", name, err)
	}
	w, err := reg.Add(name+".W", []int{in, out}, graph.GlorotUniform(in, out), rng)
	if err != nil {
		return nil, fmt.Errorf("layers: dense %q: %w", name, err)
	}
	b, err := reg.Add(name+".b", []int{out}, graph.Zeros(), rng)
	if err != nil {
		return nil, fmt.Errorf("layers: dense %q: %w", name, err)
	}
	return &Dense{W: w, B: b, In: in, Out: out, Act: act}, nil
}

// Forward returns act(x·W + b) [N, Out]; x must be [N, In].
func (d *Dense) Forward(b *graph.Builder, x *G.Node) (*G.Node, error) {
	if err := checkRank(d.Describe(), x, 2, 1, d.In); err != nil {
		return nil, err
	}
	y, err := G.ApplyOp(matMulOp{}, x, b.Param(d.W))
	if err != nil {
		return nil, fmt.Errorf("layers: %s: %w", d.Describe(), err)
	}
	if y, err = biasAct(y, b.Param(d.B), d.Act); err != nil {
		return nil, fmt.Errorf("layers: %s: %w", d.Describe(), err)
	}
	return y, nil
}

// Params returns W and b.
func (d *Dense) Params() []*graph.Param { return []*graph.Param{d.W, d.B} }

// Describe is e.g. "Dense 64->16 relu".
func (d *Dense) Describe() string { return fmt.Sprintf("Dense %d->%d %s", d.In, d.Out, d.Act) }
