package layers

import (
	"fmt"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

var _ Layer = Dropout{}

// Dropout zeroes each value with probability Rate during training and
// scales the kept ones by 1/(1-Rate) (inverted dropout, as Keras and
// PyTorch), so that eval needs no rescaling. Rate must lie in [0, 1).
type Dropout struct {
	Rate float64
}

// Forward returns x itself in graph.Eval mode or when Rate is 0. In
// graph.Train mode it returns x ⊙ mask, where mask (same shape as x) is a
// noise input refilled from the run's RNG before every run. A Rate outside
// [0, 1) is an error.
func (d Dropout) Forward(b *graph.Builder, x *G.Node) (*G.Node, error) {
	if !(d.Rate >= 0 && d.Rate < 1) {
		return nil, fmt.Errorf("layers: dropout rate %v outside [0, 1)", d.Rate)
	}
	if b.Mode == graph.Eval || d.Rate == 0 {
		return x, nil
	}
	keep := 1 - d.Rate
	scale := float32(1 / keep)
	name := fmt.Sprintf("dropout%d.mask", len(b.Noise()))
	mask := b.MaskInput(name, x.Shape().Clone(), keep, scale)
	y, err := G.HadamardProd(x, mask)
	if err != nil {
		return nil, fmt.Errorf("layers: %s: %w", d.Describe(), err)
	}
	return y, nil
}

// Params returns nil: dropout has no parameters.
func (d Dropout) Params() []*graph.Param { return nil }

// Describe is e.g. "Dropout 0.25".
func (d Dropout) Describe() string { return fmt.Sprintf("Dropout %g", d.Rate) }
