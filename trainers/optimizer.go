package trainers

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/graph"
)

// Optimizer updates parameters from their gradients and exposes its state
// for checkpoints. Implementations are not safe for concurrent use.
type Optimizer interface {
	// Step applies one update in place. grads is aligned with params; a nil
	// gradient leaves its parameter (and its moments) unchanged. On error no
	// parameter is modified.
	Step(params []*graph.Param, grads [][]float32) error
	// State returns the name, step count, hyperparameters and copies of the
	// moment tensors.
	State() OptimizerState
	// Restore replaces the state with s; it fails, leaving the optimizer
	// unchanged, on another optimizer's name, unknown or missing
	// hyperparameters, or malformed moment tensors.
	Restore(s OptimizerState) error
}

// OptimizerState is an optimizer's checkpointable state.
type OptimizerState struct {
	// Name is the optimizer kind, "adam" or "sgd".
	Name string
	// Step counts the updates applied so far.
	Step int
	// Hyper holds the hyperparameters by name (booleans as 0 or 1).
	Hyper map[string]float64
	// Tensors holds one moment tensor per kind and parameter, named
	// "<kind>/<param name>" (for Adam "m/<param>" and "v/<param>").
	Tensors []checkpoints.Tensor
}

// NewOptimizer returns the optimizer named by a configuration string, "adam"
// or "sgd" (case-insensitive), with learning rate lr (0 = that optimizer's
// default) and default values for everything else; use NewAdam or NewSGD
// for other settings. Unknown names and negative or non-finite rates are errors.
func NewOptimizer(name string, lr float64) (Optimizer, error) {
	return NewOptimizerWithDecay(name, lr, 0)
}

// NewOptimizerWithDecay is NewOptimizer with coupled L2 weight decay
// weightDecay (0 = off; see AdamConfig.WeightDecay), which must be finite
// and non-negative. Both optimizers it returns are RowOptimizers.
func NewOptimizerWithDecay(name string, lr, weightDecay float64) (RowOptimizer, error) {
	if lr < 0 || math.IsNaN(lr) || math.IsInf(lr, 0) {
		return nil, fmt.Errorf("trainers: learning rate %v must be finite and non-negative", lr)
	}
	if weightDecay < 0 || math.IsNaN(weightDecay) || math.IsInf(weightDecay, 0) {
		return nil, fmt.Errorf("trainers: weight decay %v must be finite and non-negative", weightDecay)
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "adam":
		return NewAdam(AdamConfig{LR: lr, WeightDecay: weightDecay}), nil
	case "sgd":
		return NewSGD(SGDConfig{LR: lr, WeightDecay: weightDecay}), nil
	}
	return nil, fmt.Errorf("trainers: unknown optimizer %q (want \"adam\" or \"sgd\")", name)
}

// checkHyper verifies that got holds every key of required, no keys beyond
// required and optional, and only finite values.
func checkHyper(name string, got map[string]float64, required []string, optional ...string) error {
	for _, k := range required {
		if _, ok := got[k]; !ok {
			return fmt.Errorf("trainers: restore %s: missing hyperparameter %q", name, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if v := got[k]; math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("trainers: restore %s: hyperparameter %q is %v", name, k, v)
		}
		if !slices.Contains(required, k) && !slices.Contains(optional, k) {
			return fmt.Errorf("trainers: restore %s: unknown hyperparameter %q", name, k)
		}
	}
	return nil
}
