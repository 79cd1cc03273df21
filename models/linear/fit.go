package linear

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// Fit's defaults, and the family's train: defaults.
const (
	DefaultEpochs    = 50
	DefaultBatchSize = 64
	DefaultLR        = 1e-2
)

// initStream seeds the initial weights: rand.NewPCG(Seed, initStream).
const initStream = 0x6c696e656172

// FitConfig configures Fit. A zero field takes its default.
type FitConfig struct {
	// Epochs is the number of passes over the examples; default 50.
	Epochs int
	// BatchSize is the number of examples per step; default 64 (at most
	// the number of examples).
	BatchSize int
	// LR is Adam's learning rate; default 1e-2.
	LR float64
	// Penalty is PenaltyNone (default), PenaltyIR or PenaltyExplicit.
	Penalty string
	// PosWeight and NegWeight are c+ and c− of PenaltyExplicit; default 1.
	PosWeight, NegWeight float64
	// L2 is λ, taken as given: 0 means no L2 term (unlike the other
	// fields, it has no default; the family's is DefaultL2).
	L2 float64
	// Seed draws the initial weights and drives the trainer (example order).
	Seed uint64
}

// withDefaults fills zero fields and checks the rest.
func (c FitConfig) withDefaults() (FitConfig, error) {
	if c.Epochs < 0 || c.BatchSize < 0 {
		return c, fmt.Errorf("linear: fit: epochs %d and batch size %d must not be negative", c.Epochs, c.BatchSize)
	}
	if !(c.LR >= 0) || math.IsInf(c.LR, 0) {
		return c, fmt.Errorf("linear: fit: learning rate %v must be finite and non-negative", c.LR)
	}
	if !(c.L2 >= 0) || math.IsInf(c.L2, 0) {
		return c, fmt.Errorf("linear: fit: l2 %v must be finite and non-negative", c.L2)
	}
	if c.Epochs == 0 {
		c.Epochs = DefaultEpochs
	}
	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.LR == 0 {
		c.LR = DefaultLR
	}
	if c.Penalty == "" {
		c.Penalty = PenaltyNone
	}
	if c.PosWeight == 0 {
		c.PosWeight = 1
	}
	if c.NegWeight == 0 {
		c.NegWeight = 1
	}
	return c, nil
}

// Fit trains a linear classifier on rows x (n examples of d features) and
// labels y (true: positive, anomalous) with Adam, through the family's
// train graph run by factory (nil: gorgonia's tape machine; e.g. a
// cuda/exec factory for the program executor or a GPU) and the trainer.
// Every example is trained on; there is no validation set. It returns an
// error for empty, ragged or non-finite data, an invalid config, a
// cancelled ctx, or a training step that is not finite.
func Fit(ctx context.Context, x [][]float64, y []bool, cfg FitConfig, factory graph.RunnerFactory) (*Classifier, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ex, err := examplesOf(x, y)
	if err != nil {
		return nil, err
	}
	mc := Config{Features: ex.FloatSize(), Penalty: cfg.Penalty, PosWeight: cfg.PosWeight, NegWeight: cfg.NegWeight, L2: cfg.L2}
	m, err := New(mc, rand.New(rand.NewPCG(cfg.Seed, initStream)))
	if err != nil {
		return nil, err
	}
	all := make([]int, ex.N)
	for i := range all {
		all[i] = i
	}
	batch := min(cfg.BatchSize, ex.N)
	tk, err := newTask(m, ex, all, nil, batch, batch, factory)
	if err != nil {
		return nil, err
	}
	tr, err := trainers.New(trainers.Config{Epochs: cfg.Epochs, BatchSize: batch, LR: cfg.LR, Seed: cfg.Seed, Optimizer: "adam"}, tk)
	if err != nil {
		return nil, errors.Join(err, tk.Close())
	}
	if _, err := tr.Run(ctx); err != nil {
		return nil, errors.Join(err, tk.Close())
	}
	if err := tk.Close(); err != nil {
		return nil, err
	}
	return m.Classifier(), nil
}

// examplesOf converts rows and labels to examples (label 1 for true).
func examplesOf(x [][]float64, y []bool) (models.Examples, error) {
	if len(x) == 0 {
		return models.Examples{}, fmt.Errorf("linear: fit: no examples")
	}
	if len(y) != len(x) {
		return models.Examples{}, fmt.Errorf("linear: fit: %d rows and %d labels", len(x), len(y))
	}
	d := len(x[0])
	if d == 0 {
		return models.Examples{}, fmt.Errorf("linear: fit: rows of no features")
	}
	ex := models.Examples{Input: models.Input{FloatShape: []int{d}, IntShape: []int{1}, Vocab: 2}, N: len(x),
		Float: make([]float32, 0, len(x)*d), Int: make([]int32, len(x))}
	for i, row := range x {
		if len(row) != d {
			return models.Examples{}, fmt.Errorf("linear: fit: row %d has %d features, row 0 has %d", i, len(row), d)
		}
		for j, v := range row {
			f := float32(v)
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
				return models.Examples{}, fmt.Errorf("linear: fit: row %d feature %d: %v is not a finite float32", i, j, v)
			}
			ex.Float = append(ex.Float, f)
		}
		if y[i] {
			ex.Int[i] = 1
		}
	}
	return ex, nil
}

// Classifier is a trained decision function w·x + b. The zero value has
// no features.
type Classifier struct {
	w []float64
	b float64
}

// Features is the number of weights.
func (c *Classifier) Features() int { return len(c.w) }

// Decision is w·x + b, higher meaning more anomalous; NaN when x does not
// have Features values.
func (c *Classifier) Decision(x []float64) float64 {
	if len(x) != len(c.w) {
		return math.NaN()
	}
	s := c.b
	for i, w := range c.w {
		s += w * x[i]
	}
	return s
}

// Predict reports whether x is on the positive side: Decision(x) >= 0.
func (c *Classifier) Predict(x []float64) bool { return c.Decision(x) >= 0 }

// Weights returns a copy of w and the bias b.
func (c *Classifier) Weights() ([]float64, float64) { return slices.Clone(c.w), c.b }

// classifierJSON is the JSON form of a Classifier.
type classifierJSON struct {
	Weights []float64 `json:"weights"`
	Bias    *float64  `json:"bias"`
}

// MarshalJSON writes {"weights": [...], "bias": b}; every value reads back
// exactly.
func (c Classifier) MarshalJSON() ([]byte, error) {
	b := c.b
	return json.Marshal(classifierJSON{Weights: c.w, Bias: &b})
}

// UnmarshalJSON reads MarshalJSON's form; unknown keys, a missing bias
// and an empty weight list are errors.
func (c *Classifier) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var v classifierJSON
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("linear: classifier: %w", err)
	}
	if len(v.Weights) == 0 || v.Bias == nil {
		return fmt.Errorf("linear: classifier: want {\"weights\": [at least one], \"bias\": b}")
	}
	c.w, c.b = v.Weights, *v.Bias
	return nil
}
