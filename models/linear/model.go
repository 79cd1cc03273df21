package linear

import (
	"fmt"
	"io"
	"math/rand/v2"
	"text/tabwriter"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	"github.com/vigil-ml/vigil/models"
)

// Model holds the decision function's weights and bias.
type Model struct {
	Config Config
	Reg    *graph.Registry
	// Dense is the decision function x·W + b: W [Features, 1], b [1].
	Dense *layers.Dense
}

// New creates the model's parameters: W Glorot-uniform from rng, b zero.
func New(cfg Config, rng *rand.Rand) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Config: cfg, Reg: graph.NewRegistry()}
	var err error
	if m.Dense, err = layers.NewDense(m.Reg, "decision", cfg.Features, 1, layers.Linear, rng); err != nil {
		return nil, err
	}
	return m, nil
}

// input is the layout of the model's examples.
func (m *Model) input() models.Input {
	return models.Input{FloatShape: []int{m.Config.Features}, IntShape: []int{1}, Vocab: 2}
}

// Registry is the model's parameters.
func (m *Model) Registry() *graph.Registry { return m.Reg }

// TrainTask trains on examples train and validates on val (indices into
// ex); the class weights of penalty "ir" come from the labels of train.
func (m *Model) TrainTask(ex models.Examples, train, val []int, batch, evalBatch int, factory graph.RunnerFactory) (models.TrainTask, error) {
	return newTask(m, ex, train, val, batch, evalBatch, factory)
}

// Scorer builds the eval net; its score is "decision", w·x + b.
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
	fmt.Fprintf(w, "Linear classifier on %d features, class-weighted hinge loss (penalty %s)\n", c.Features, c.Penalty)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "layer\toutput\tparameters")
	fmt.Fprintf(tw, "%s (decision)\t1\t%d\n", m.Dense.Describe(), m.Dense.W.Size()+m.Dense.B.Size())
	fmt.Fprintf(tw, "Weighted hinge + L2 %g\t1\t0\n", c.L2)
	fmt.Fprintf(tw, "total\t\t%d\n", m.Reg.Count())
	return tw.Flush()
}

// Classifier returns the model's current weights and bias as a Classifier.
func (m *Model) Classifier() *Classifier {
	w := make([]float64, m.Config.Features)
	for i, v := range m.Dense.W.Data() {
		w[i] = float64(v)
	}
	return &Classifier{w: w, b: float64(m.Dense.B.Data()[0])}
}

// l2Term is (λ/2)·|W|² of the current weights, on the host.
func (m *Model) l2Term() float64 {
	var s float64
	for _, v := range m.Dense.W.Data() {
		s += float64(v) * float64(v)
	}
	return m.Config.L2 / 2 * s
}
