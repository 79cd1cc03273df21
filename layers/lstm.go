package layers

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

var _ Layer = (*LSTM)(nil)

// LSTMLayer holds the parameters of one layer of an LSTM: W_ih [4H, In],
// W_hh [4H, H] and bias [4H], gate rows in PyTorch's order i, f, g, o.
// Bias stands for PyTorch's b_ih + b_hh.
type LSTMLayer struct {
	Wih, Whh, B *graph.Param
}

// LSTM is a stack of LSTM layers with PyTorch nn.LSTM semantics (zero
// initial state, time-major input [T, B, In], output the last layer's
// hidden states [T, B, Hidden]), each layer one LSTMOp. In train mode,
// Dropout is applied to the inputs of every layer but the first, as
// nn.LSTM's dropout argument. Build it with NewLSTM.
type LSTM struct {
	Layers     []LSTMLayer
	In, Hidden int
	Dropout    float64
}

// NewLSTM registers the parameters of layers stacked LSTM layers:
// name+".W_ih_l<k>" [4·hidden, in or hidden], name+".W_hh_l<k>"
// [4·hidden, hidden] and name+".b_l<k>" [4·hidden], all drawn from
// U(-1/√hidden, 1/√hidden) as PyTorch's (which draws b_ih and b_hh each so;
// one bias drawn once has the spread of either). It returns an error for
// non-positive sizes, a dropout outside [0, 1) or a name already
// registered.
func NewLSTM(reg *graph.Registry, name string, in, hidden, layers int, dropout float64, rng *rand.Rand) (*LSTM, error) {
	if in < 1 || hidden < 1 || layers < 1 {
		return nil, fmt.Errorf("layers: lstm %q: sizes in %d, hidden %d, layers %d must be positive", name, in, hidden, layers)
	}
	if !(dropout >= 0 && dropout < 1) {
		return nil, fmt.Errorf("layers: lstm %q: dropout %v outside [0, 1)", name, dropout)
	}
	init := graph.Uniform(1 / math.Sqrt(float64(hidden)))
	l := &LSTM{In: in, Hidden: hidden, Dropout: dropout}
	for k := 0; k < layers; k++ {
		width := in
		if k > 0 {
			width = hidden
		}
		var p [3]*graph.Param
		for i, s := range []struct {
			suffix string
			shape  []int
		}{{"W_ih", []int{4 * hidden, width}}, {"W_hh", []int{4 * hidden, hidden}}, {"b", []int{4 * hidden}}} {
			var err error
			if p[i], err = reg.Add(fmt.Sprintf("%s.%s_l%d", name, s.suffix, k), s.shape, init, rng); err != nil {
				return nil, fmt.Errorf("layers: lstm %q: %w", name, err)
			}
		}
		l.Layers = append(l.Layers, LSTMLayer{Wih: p[0], Whh: p[1], B: p[2]})
	}
	return l, nil
}

// Forward returns the last layer's hidden states [T, B, Hidden] for x
// [T, B, In].
func (l *LSTM) Forward(b *graph.Builder, x *G.Node) (*G.Node, error) {
	if err := checkRank(l.Describe(), x, 3, 2, l.In); err != nil {
		return nil, err
	}
	s := x.Shape()
	for k, ly := range l.Layers {
		if k > 0 {
			var err error
			if x, err = (Dropout{Rate: l.Dropout}).Forward(b, x); err != nil {
				return nil, fmt.Errorf("layers: %s: %w", l.Describe(), err)
			}
		}
		ws, err := G.ApplyOp(LSTMOp{}, x, b.Param(ly.Wih), b.Param(ly.Whh), b.Param(ly.B))
		if err != nil {
			return nil, fmt.Errorf("layers: %s: layer %d: %w", l.Describe(), k, err)
		}
		if x, err = G.ApplyOp(LSTMHiddenOp{T: s[0], B: s[1], H: l.Hidden}, ws); err != nil {
			return nil, fmt.Errorf("layers: %s: layer %d: %w", l.Describe(), k, err)
		}
	}
	return x, nil
}

// Params returns every layer's W_ih, W_hh and bias.
func (l *LSTM) Params() []*graph.Param {
	var ps []*graph.Param
	for _, ly := range l.Layers {
		ps = append(ps, ly.Wih, ly.Whh, ly.B)
	}
	return ps
}

// Describe is e.g. "LSTM 32->200 x2 dropout 0.2".
func (l *LSTM) Describe() string {
	s := fmt.Sprintf("LSTM %d->%d x%d", l.In, l.Hidden, len(l.Layers))
	if l.Dropout > 0 {
		s += fmt.Sprintf(" dropout %g", l.Dropout)
	}
	return s
}
