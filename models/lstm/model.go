package lstm

import (
	"fmt"
	"io"
	"math/rand/v2"
	"text/tabwriter"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	"github.com/vigil-ml/vigil/models"
)

// Model holds the layers and their parameters.
type Model struct {
	Config Config
	Reg    *graph.Registry
	embed  *layers.Embedding
	lstm   *layers.LSTM
	out    *layers.Dense
}

// New creates the model's parameters from rng.
func New(cfg Config, rng *rand.Rand) (*Model, error) {
	if cfg.Vocab < 1 || cfg.Steps < 1 {
		return nil, fmt.Errorf("lstm: vocabulary %d and steps %d must be positive", cfg.Vocab, cfg.Steps)
	}
	m := &Model{Config: cfg, Reg: graph.NewRegistry()}
	var err error
	if m.embed, err = layers.NewEmbedding(m.Reg, "embed", cfg.Vocab, cfg.Embedding, rng); err != nil {
		return nil, err
	}
	if m.lstm, err = layers.NewLSTM(m.Reg, "lstm", cfg.Embedding, cfg.Hidden, cfg.Layers, cfg.Dropout, rng); err != nil {
		return nil, err
	}
	if m.out, err = layers.NewDense(m.Reg, "out", cfg.Hidden, cfg.Vocab, layers.Linear, rng); err != nil {
		return nil, err
	}
	return m, nil
}

// Registry is the model's parameters.
func (m *Model) Registry() *graph.Registry { return m.Reg }

// TrainTask trains on windows train and validates on val.
func (m *Model) TrainTask(ex models.Examples, train, val []int, batch, evalBatch int, factory graph.RunnerFactory) (models.TrainTask, error) {
	return newTask(m, ex, train, val, batch, evalBatch, factory)
}

// Scorer builds the eval net.
func (m *Model) Scorer(batch int, factory graph.RunnerFactory) (models.Scorer, error) {
	n, err := m.build(graph.Eval, batch, factory)
	if err != nil {
		return nil, err
	}
	return &scorer{n}, nil
}

// WriteSummary prints the layer table and the total parameter count.
func (m *Model) WriteSummary(w io.Writer) error {
	c := m.Config
	fmt.Fprintf(w, "LSTM language model on windows of %d calls, vocabulary %d\n", c.Steps, c.Vocab)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "layer\toutput\tparameters")
	fmt.Fprintf(tw, "Embedding %d\t%dx%d\t%d\n", c.Embedding, c.Steps, c.Embedding, count(m.embed.Params()))
	fmt.Fprintf(tw, "%s\t%dx%d\t%d\n", m.lstm.Describe(), c.Steps, c.Hidden, count(m.lstm.Params()))
	if c.OutputDropout > 0 {
		fmt.Fprintf(tw, "Dropout %.2g\t%dx%d\t0\n", c.OutputDropout, c.Steps, c.Hidden)
	}
	fmt.Fprintf(tw, "Dense %d (logits)\t%dx%d\t%d\n", c.Vocab, c.Steps, c.Vocab, count(m.out.Params()))
	fmt.Fprintf(tw, "Softmax cross-entropy\t%d\t0\n", c.Steps)
	fmt.Fprintf(tw, "total\t\t%d\n", m.Reg.Count())
	return tw.Flush()
}

func count(ps []*graph.Param) int {
	n := 0
	for _, p := range ps {
		n += p.Size()
	}
	return n
}
