package vaegan

import (
	"fmt"
	"io"
	"math/rand/v2"
	"text/tabwriter"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	"github.com/vigil-ml/vigil/models"
)

// Model holds the call embeddings and the three networks.
type Model struct {
	Config Config
	Reg    *graph.Registry
	// Embed holds a vector per call id [Vocab, Embedding]: word2vec's,
	// fixed during training.
	Embed *graph.Param

	enc, dec, disc *layers.LSTM
	mu, logVar     *layers.Dense // encoder heads
	out            *layers.Dense // decoder: hidden state -> call embedding
	judge          *layers.Dense // discriminator: last hidden state -> logit
}

// New creates the model's parameters from rng.
func New(cfg Config, rng *rand.Rand) (*Model, error) {
	if cfg.Vocab < 1 || cfg.Steps < 2 || cfg.Embedding < 1 || cfg.Hidden < 1 || cfg.Latent < 1 {
		return nil, fmt.Errorf("vaegan: invalid sizes %+v", cfg)
	}
	m := &Model{Config: cfg, Reg: graph.NewRegistry()}
	var err error
	add := func(f func() error) {
		if err == nil {
			err = f()
		}
	}
	add(func() (e error) {
		m.Embed, e = m.Reg.Add("embed", []int{cfg.Vocab, cfg.Embedding}, graph.Normal(0.1), rng)
		return
	})
	add(func() (e error) {
		m.enc, e = layers.NewLSTM(m.Reg, "encoder", cfg.Embedding, cfg.Hidden, 1, 0, rng)
		return
	})
	add(func() (e error) {
		m.mu, e = layers.NewDense(m.Reg, "mu", cfg.Hidden, cfg.Latent, layers.Linear, rng)
		return
	})
	add(func() (e error) {
		m.logVar, e = layers.NewDense(m.Reg, "log_var", cfg.Hidden, cfg.Latent, layers.Linear, rng)
		return
	})
	add(func() (e error) {
		m.dec, e = layers.NewLSTM(m.Reg, "decoder", cfg.Latent, cfg.Hidden, 1, 0, rng)
		return
	})
	add(func() (e error) {
		m.out, e = layers.NewDense(m.Reg, "decoder_out", cfg.Hidden, cfg.Embedding, layers.Linear, rng)
		return
	})
	add(func() (e error) {
		m.disc, e = layers.NewLSTM(m.Reg, "discriminator", cfg.Embedding, cfg.Hidden, 1, 0, rng)
		return
	})
	add(func() (e error) {
		m.judge, e = layers.NewDense(m.Reg, "discriminator_out", cfg.Hidden, 1, layers.Linear, rng)
		return
	})
	return m, err
}

// GenParams are the encoder's and decoder's parameters (the first update).
func (m *Model) GenParams() []*graph.Param {
	ps := append(m.enc.Params(), m.mu.Params()...)
	ps = append(ps, m.logVar.Params()...)
	ps = append(ps, m.dec.Params()...)
	return append(ps, m.out.Params()...)
}

// DiscParams are the discriminator's parameters (the second update).
func (m *Model) DiscParams() []*graph.Param { return append(m.disc.Params(), m.judge.Params()...) }

// Registry is the model's parameters.
func (m *Model) Registry() *graph.Registry { return m.Reg }

// TrainTask fits the call embeddings on the training windows and builds
// the two update graphs and the eval graph.
func (m *Model) TrainTask(ex models.Examples, train, val []int, batch, evalBatch int, factory graph.RunnerFactory) (models.TrainTask, error) {
	return newTask(m, ex, train, val, batch, evalBatch, factory)
}

// Scorer builds the eval graph.
func (m *Model) Scorer(batch int, factory graph.RunnerFactory) (models.Scorer, error) {
	n, err := m.buildEval(batch, factory)
	if err != nil {
		return nil, err
	}
	s := &scorer{m: m, net: n}
	if m.Config.InversionSteps > 0 {
		if s.inv, err = m.buildInverter(batch, factory); err != nil {
			_ = n.Runner.Close()
			return nil, err
		}
	}
	return s, nil
}

// WriteSummary prints the layer table and the total parameter count.
func (m *Model) WriteSummary(w io.Writer) error {
	c := m.Config
	fmt.Fprintf(w, "LSTM VAE-GAN on windows of %d calls, vocabulary %d, word2vec embeddings of %d (fixed)\n", c.Steps, c.Vocab, c.Embedding)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "network\tlayer\toutput\tparameters")
	row := func(net, layer, out string, ps ...*graph.Param) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", net, layer, out, count(ps))
	}
	row("", "Embedding (word2vec, fixed)", fmt.Sprintf("%dx%d", c.Steps, c.Embedding), m.Embed)
	row("encoder", m.enc.Describe()+", last state", fmt.Sprint(c.Hidden), m.enc.Params()...)
	row("encoder", "Dense mu, Dense log σ²", fmt.Sprintf("2x%d", c.Latent), append(m.mu.Params(), m.logVar.Params()...)...)
	row("decoder", "z repeated, "+m.dec.Describe(), fmt.Sprintf("%dx%d", c.Steps, c.Hidden), m.dec.Params()...)
	row("decoder", "Dense (call embedding)", fmt.Sprintf("%dx%d", c.Steps, c.Embedding), m.out.Params()...)
	row("discriminator", m.disc.Describe()+", last state", fmt.Sprint(c.Hidden), m.disc.Params()...)
	row("discriminator", "Dense (logit)", "1", m.judge.Params()...)
	fmt.Fprintf(tw, "total\t\t\t%d\n", m.Reg.Count())
	return tw.Flush()
}

func count(ps []*graph.Param) int {
	n := 0
	for _, p := range ps {
		n += p.Size()
	}
	return n
}
