// Package lstm is the next-system-call language model of host intrusion
// detection (Kim et al. 2016; the seed): call ids are embedded, run through
// a stacked LSTM, and a dense layer gives each position's distribution of
// the next call. Trained with softmax cross-entropy on windows of normal
// calls, it scores each call by 1 - p(call) and by its negative
// log-likelihood.
package lstm

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// Section is the `model:` config section of kind lstm. The window length
// and the vocabulary come from the task's examples (windows of T+1 ids).
type Section struct {
	Embedding int     `mapstructure:"embedding" json:"embedding"` // call embedding dimensions
	Hidden    int     `mapstructure:"hidden" json:"hidden"`       // LSTM units per layer
	Layers    int     `mapstructure:"layers" json:"layers"`       // stacked LSTM layers
	Dropout   float64 `mapstructure:"dropout" json:"dropout"`     // between LSTM layers, training only
	// OutputDropout drops LSTM outputs before the output layer, training only.
	OutputDropout float64 `mapstructure:"output_dropout" json:"output_dropout"`
}

// Family is the LSTM model family (kind "lstm").
type Family struct{}

// Kind is "lstm".
func (Family) Kind() string { return "lstm" }

// Defaults are the seed's sizes: embedding 32, one LSTM layer of 200.
func (Family) Defaults() any { return &Section{Embedding: 32, Hidden: 200, Layers: 1} }

// Validate checks the section for windows of T+1 call ids; a vocabulary of
// 0 (known only once the data is read) is accepted.
func (Family) Validate(section any, in models.Input) error {
	s, ok := section.(*Section)
	if !ok {
		return fmt.Errorf("lstm: config section is a %T, want *lstm.Section", section)
	}
	var errs []error
	if s.Embedding < 1 || s.Hidden < 1 || s.Layers < 1 {
		errs = append(errs, fmt.Errorf("model: embedding, hidden and layers must be positive (got %d, %d, %d)", s.Embedding, s.Hidden, s.Layers))
	}
	if s.Dropout < 0 || s.Dropout >= 1 {
		errs = append(errs, fmt.Errorf("model.dropout: %v must be in [0, 1)", s.Dropout))
	}
	if s.OutputDropout < 0 || s.OutputDropout >= 1 {
		errs = append(errs, fmt.Errorf("model.output_dropout: %v must be in [0, 1)", s.OutputDropout))
	}
	if len(in.IntShape) != 1 || in.IntShape[0] < 2 || len(in.FloatShape) != 0 {
		errs = append(errs, fmt.Errorf("model: lstm takes windows of T+1 call ids (T >= 1), the task gives %v floats and %v ints", in.FloatShape, in.IntShape))
	}
	if in.Vocab < 0 {
		errs = append(errs, fmt.Errorf("model: vocabulary %d", in.Vocab))
	}
	return errors.Join(errs...)
}

// Config sizes a model.
type Config struct {
	Vocab, Steps              int // call ids in [0, Vocab); T positions per window
	Embedding, Hidden, Layers int
	Dropout, OutputDropout    float64
}

// New creates a model for the task's windows.
func (f Family) New(section any, in models.Input, rng *rand.Rand) (models.Model, error) {
	if err := f.Validate(section, in); err != nil {
		return nil, err
	}
	if in.Vocab < 1 {
		return nil, fmt.Errorf("lstm: the vocabulary is not known (%d)", in.Vocab)
	}
	s := section.(*Section)
	return New(Config{Vocab: in.Vocab, Steps: in.IntShape[0] - 1, Embedding: s.Embedding, Hidden: s.Hidden, Layers: s.Layers, Dropout: s.Dropout, OutputDropout: s.OutputDropout}, rng)
}

// Tiny is a model of every layer kind at a few hundred parameters, for
// tests and the GPU self-test.
func Tiny() Config { return Config{Vocab: 7, Steps: 5, Embedding: 3, Hidden: 4, Layers: 2} }

// Probe trains Tiny() with batch 3 on random windows.
func (Family) Probe() graph.Probe {
	return graph.Probe{Name: "lstm", Build: func(factory graph.RunnerFactory) (graph.Runner, func(*rand.Rand) error, error) {
		cfg := Tiny()
		m, err := New(cfg, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			return nil, nil, err
		}
		n, err := m.build(graph.Train, 3, factory)
		if err != nil {
			return nil, nil, err
		}
		ex := models.Examples{Input: models.Input{IntShape: []int{cfg.Steps + 1}, Vocab: cfg.Vocab}, N: 3}
		fill := func(rng *rand.Rand) error {
			ex.Int = ex.Int[:0]
			for range 3 * (cfg.Steps + 1) {
				ex.Int = append(ex.Int, int32(rng.IntN(cfg.Vocab)))
			}
			return n.fill(ex, []int{0, 1, 2})
		}
		return n.Program, fill, nil
	}}
}
