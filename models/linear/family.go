// Package linear is a linear classifier of tabular features trained with a
// class-weighted hinge loss (a linear soft-margin SVM in the primal), as a
// gorgonia graph, so that large feature sets train on the GPU path as the
// other families do. Each example is d float features and one int label,
// 0 (negative, normal) or 1 (positive, anomalous); the decision value
// w·x + b is the anomaly score, higher meaning more anomalous.
//
// The loss of a batch is
//
//	Σ_i c_{y_i} · max(0, 1 − s_i (w·x_i + b)) / Σ_i c_{y_i}  +  (λ/2)·|w|²,
//
// s_i = +1 for positives and −1 for negatives, c± the class weights of the
// penalty: "none" (1 and 1), "ir" (the imbalance ratio, c± = n / (2 n±)
// over the labelled training examples, as scikit-learn's
// class_weight="balanced") or "explicit" (pos_weight and neg_weight). The
// bias is not regularised. Examples whose label is models.Pad count for
// nothing.
//
// Fit trains a Classifier from [][]float64 rows and bool labels through the
// same graphs and trainer, for tabular pipelines that do not go through
// the experiment runner.
package linear

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// The penalties: how the class weights c+ and c− are chosen.
const (
	// PenaltyNone weighs both classes 1.
	PenaltyNone = "none"
	// PenaltyIR weighs each class by the imbalance ratio, c± = n / (2 n±)
	// over the labelled training examples.
	PenaltyIR = "ir"
	// PenaltyExplicit takes c+ and c− from the configuration.
	PenaltyExplicit = "explicit"
)

// DefaultL2 is the default λ of the weights' L2 penalty.
const DefaultL2 = 1e-3

// Section is the `model:` config section of kind linear. The number of
// features comes from the task's examples.
type Section struct {
	// Penalty is "none", "ir" or "explicit" (see the package comment).
	Penalty string `mapstructure:"penalty" json:"penalty"`
	// PosWeight and NegWeight are c+ and c− of penalty "explicit".
	PosWeight float64 `mapstructure:"pos_weight" json:"pos_weight"`
	NegWeight float64 `mapstructure:"neg_weight" json:"neg_weight"`
	// L2 is λ, the weights' L2 penalty (λ/2)·|w|².
	L2 float64 `mapstructure:"l2" json:"l2"`
}

// Family is the linear classifier family (kind "linear").
type Family struct{}

var (
	_ models.Family         = Family{}
	_ models.TrainDefaulter = Family{}
	_ models.Model          = (*Model)(nil)
)

// Kind is "linear".
func (Family) Kind() string { return "linear" }

// Defaults are penalty "none" (weights 1 and 1) and λ = DefaultL2.
func (Family) Defaults() any {
	return &Section{Penalty: PenaltyNone, PosWeight: 1, NegWeight: 1, L2: DefaultL2}
}

// TrainDefaults are Fit's: 50 epochs of batches of 64, Adam at 1e-2.
func (Family) TrainDefaults() map[string]any {
	return map[string]any{"epochs": DefaultEpochs, "batch_size": DefaultBatchSize, "lr": DefaultLR}
}

// Validate checks the section for examples of d float features and one
// int label (vocabulary 2, or 0 while the data is not read).
func (Family) Validate(section any, in models.Input) error {
	s, ok := section.(*Section)
	if !ok {
		return fmt.Errorf("linear: config section is a %T, want *linear.Section", section)
	}
	errs := ConfigOf(s, 0).check("model.")
	if len(in.FloatShape) != 1 || in.FloatShape[0] < 1 || len(in.IntShape) != 1 || in.IntShape[0] != 1 {
		errs = append(errs, fmt.Errorf("model: linear takes d >= 1 float features and one int label per example, the task gives %v floats and %v ints", in.FloatShape, in.IntShape))
	}
	if in.Vocab != 0 && in.Vocab != 2 {
		errs = append(errs, fmt.Errorf("model: linear takes labels 0 and 1 (vocabulary 2), the task's vocabulary is %d", in.Vocab))
	}
	return errors.Join(errs...)
}

// Config sizes and penalises a model.
type Config struct {
	Features             int     // d, the float features per example
	Penalty              string  // PenaltyNone, PenaltyIR or PenaltyExplicit
	PosWeight, NegWeight float64 // c+ and c− of PenaltyExplicit
	L2                   float64 // λ
}

// ConfigOf is the config of a section for examples of features floats.
func ConfigOf(s *Section, features int) Config {
	return Config{Features: features, Penalty: s.Penalty, PosWeight: s.PosWeight, NegWeight: s.NegWeight, L2: s.L2}
}

// check reports every problem of the penalty settings, naming each key
// after prefix ("model." for a config section). Penalties other than
// "explicit" take pos_weight and neg_weight at 1 (the section's default)
// or 0 (unset).
func (c Config) check(prefix string) []error {
	var errs []error
	unset := func(v float64) bool { return v == 0 || v == 1 }
	switch c.Penalty {
	case PenaltyNone, PenaltyIR:
		if !unset(c.PosWeight) || !unset(c.NegWeight) {
			errs = append(errs, fmt.Errorf("%spos_weight, %sneg_weight: %v and %v are used only with penalty %q (penalty is %q; leave them at 1)",
				prefix, prefix, c.PosWeight, c.NegWeight, PenaltyExplicit, c.Penalty))
		}
	case PenaltyExplicit:
		if !positive(c.PosWeight) {
			errs = append(errs, fmt.Errorf("%spos_weight: %v must be finite and positive", prefix, c.PosWeight))
		}
		if !positive(c.NegWeight) {
			errs = append(errs, fmt.Errorf("%sneg_weight: %v must be finite and positive", prefix, c.NegWeight))
		}
	default:
		errs = append(errs, fmt.Errorf("%spenalty: %q is not %s, %s or %s", prefix, c.Penalty, PenaltyNone, PenaltyIR, PenaltyExplicit))
	}
	if !(c.L2 >= 0) || math.IsInf(c.L2, 0) {
		errs = append(errs, fmt.Errorf("%sl2: %v must be finite and non-negative", prefix, c.L2))
	}
	return errs
}

func positive(v float64) bool { return v > 0 && !math.IsInf(v, 0) }

// Validate reports every problem of the config.
func (c Config) Validate() error {
	errs := c.check("linear: ")
	if c.Features < 1 {
		errs = append(errs, fmt.Errorf("linear: features: %d must be positive", c.Features))
	}
	return errors.Join(errs...)
}

// ClassWeights returns c+ and c− for nPos positive and nNeg negative
// labelled training examples: 1 and 1 for PenaltyNone, the configured
// weights for PenaltyExplicit, n/(2 nPos) and n/(2 nNeg) for PenaltyIR,
// which needs both classes.
func (c Config) ClassWeights(nPos, nNeg int) (pos, neg float64, err error) {
	switch c.Penalty {
	case PenaltyNone:
		return 1, 1, nil
	case PenaltyExplicit:
		return c.PosWeight, c.NegWeight, nil
	case PenaltyIR:
		if nPos < 1 || nNeg < 1 {
			return 0, 0, fmt.Errorf("linear: penalty %q needs both classes, the training examples hold %d positive and %d negative labels", PenaltyIR, nPos, nNeg)
		}
		n := float64(nPos + nNeg)
		return n / (2 * float64(nPos)), n / (2 * float64(nNeg)), nil
	}
	return 0, 0, fmt.Errorf("linear: penalty %q is not %s, %s or %s", c.Penalty, PenaltyNone, PenaltyIR, PenaltyExplicit)
}

// New creates a model for the task's examples.
func (f Family) New(section any, in models.Input, rng *rand.Rand) (models.Model, error) {
	if err := f.Validate(section, in); err != nil {
		return nil, err
	}
	return New(ConfigOf(section.(*Section), in.FloatShape[0]), rng)
}

// Tiny is a model of 6 features with explicit class weights and a large
// λ, for tests and the GPU self-test.
func Tiny() Config {
	return Config{Features: 6, Penalty: PenaltyExplicit, PosWeight: 3, NegWeight: 1, L2: 0.1}
}

// Probe trains Tiny() with batch 4 on random features and labels (one
// unlabelled example in each batch).
func (Family) Probe() graph.Probe {
	return graph.Probe{Name: "linear", Build: func(factory graph.RunnerFactory) (graph.Runner, func(*rand.Rand) error, error) {
		cfg := Tiny()
		m, err := New(cfg, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			return nil, nil, err
		}
		n, err := m.build(graph.Train, 4, factory)
		if err != nil {
			return nil, nil, err
		}
		ex := models.Examples{Input: m.input(), N: 4, Float: make([]float32, 4*cfg.Features), Int: make([]int32, 4)}
		cw := classWeights{pos: cfg.PosWeight, neg: cfg.NegWeight}
		fill := func(rng *rand.Rand) error {
			for i := range ex.Float {
				ex.Float[i] = float32(rng.NormFloat64())
			}
			ex.Int[0], ex.Int[1], ex.Int[2] = 1, 0, models.Pad
			ex.Int[3] = int32(rng.IntN(2))
			_, err := n.fill(ex, []int{0, 1, 2, 3}, cw, 0, true)
			return err
		}
		return n.Program, fill, nil
	}}
}
