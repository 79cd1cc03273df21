package convvae

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
)

// shape is a feature map's channels x height x width.
type shape struct{ C, H, W int }

// Model holds the layers and their parameters; graphs are built from it by Build.
type Model struct {
	Config Config
	Reg    *graph.Registry

	encoder  []*layers.Conv2D
	dropouts []layers.Dropout
	encShape []shape // output of each encoder convolution
	hidden   *layers.Dense
	zMean    *layers.Dense
	zLogVar  *layers.Dense
	expand   *layers.Dense
	decoder  []*layers.ConvTranspose2D
	decShape []shape
	output   *layers.Conv2D
}

// New creates the model's parameters from rng.
func New(cfg Config, rng *rand.Rand) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Config: cfg, Reg: graph.NewRegistry()}
	k, pad := cfg.Kernel, cfg.Kernel/2
	cur := shape{1, cfg.Rows, cfg.Cols}
	for i, f := range cfg.Filters {
		c, err := layers.NewConv2D(m.Reg, fmt.Sprintf("enc%d", i+1), cur.C, f, k, cfg.Strides[i], pad, "relu", rng)
		if err != nil {
			return nil, err
		}
		h, w := c.OutSize(cur.H, cur.W)
		if h <= 0 || w <= 0 {
			return nil, fmt.Errorf("convvae: encoder layer %d reduces %dx%d to nothing", i+1, cur.H, cur.W)
		}
		m.encoder = append(m.encoder, c)
		m.dropouts = append(m.dropouts, layers.Dropout{Rate: cfg.Dropouts[i]})
		cur = shape{f, h, w}
		m.encShape = append(m.encShape, cur)
	}
	last := cur
	var err error
	if m.hidden, err = layers.NewDense(m.Reg, "hidden", last.C*last.H*last.W, cfg.Dense, "relu", rng); err != nil {
		return nil, err
	}
	if m.zMean, err = layers.NewDense(m.Reg, "z_mean", cfg.Dense, cfg.Latent, "linear", rng); err != nil {
		return nil, err
	}
	if m.zLogVar, err = layers.NewDense(m.Reg, "z_log_var", cfg.Dense, cfg.Latent, "linear", rng); err != nil {
		return nil, err
	}
	if m.expand, err = layers.NewDense(m.Reg, "dec_expand", cfg.Latent, last.C*last.H*last.W, "relu", rng); err != nil {
		return nil, err
	}
	// One transposed convolution per strided encoder layer, in reverse, each
	// restoring the spatial size that layer received.
	for i := len(cfg.Filters) - 1; i >= 0; i-- {
		if cfg.Strides[i] == 1 {
			continue
		}
		target := shape{1, cfg.Rows, cfg.Cols}
		if i > 0 {
			target = m.encShape[i-1]
		}
		s := cfg.Strides[i]
		baseH := (cur.H-1)*s - 2*pad + k
		baseW := (cur.W-1)*s - 2*pad + k
		outPadH, outPadW := target.H-baseH, target.W-baseW
		if outPadH != outPadW || outPadH < 0 || outPadH >= s {
			return nil, fmt.Errorf("convvae: cannot invert stride %d from %dx%d to %dx%d with one output padding", s, cur.H, cur.W, target.H, target.W)
		}
		t, err := layers.NewConvTranspose2D(m.Reg, fmt.Sprintf("dec%d", len(m.decoder)+1), cur.C, cfg.DecoderFilters, k, s, pad, outPadH, "relu", rng)
		if err != nil {
			return nil, err
		}
		m.decoder = append(m.decoder, t)
		cur = shape{cfg.DecoderFilters, target.H, target.W}
		m.decShape = append(m.decShape, cur)
	}
	if m.output, err = layers.NewConv2D(m.Reg, "dec_out", cur.C, 1, k, 1, pad, "linear", rng); err != nil {
		return nil, err
	}
	return m, nil
}

// NumParams is the number of trainable scalars.
func (m *Model) NumParams() int { return m.Reg.Count() }
