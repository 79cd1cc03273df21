package trainers

import (
	"encoding/json"
	"fmt"
	"math"
)

// Config controls a training run. A zero field takes its default.
type Config struct {
	// Epochs is the number of passes over the training set; default 1.
	// Ignored when TrainSteps is set.
	Epochs int
	// BatchSize is the number of examples per step; default 32. The last
	// batch of an epoch keeps the remaining examples, so it may be smaller.
	BatchSize int
	// Seed drives the example order (epoch e uses the permutation drawn from
	// rand.NewPCG(Seed, e)) and the noise generator passed to TrainStep,
	// rand.NewPCG(Seed, 0x9e3779b97f4a7c15); 0 is a valid seed.
	Seed uint64
	// Optimizer is "adam" (default) or "sgd"; ignored with WithOptimizer.
	Optimizer string
	// LR is the learning rate; default the optimizer's own (adam 1e-3, sgd 0.01).
	LR float64
	// WeightDecay is the optimizer's coupled L2 weight decay (as PyTorch's
	// weight_decay; see AdamConfig.WeightDecay); 0 turns it off. Decayed
	// steps take the host update path. Ignored with WithOptimizer.
	WeightDecay float64
	// Patience is the number of epochs without a validation-loss improvement
	// of more than MinDelta after which training stops; 0 turns early
	// stopping off. It needs a Task with a validation set.
	Patience int
	// MinDelta is the least decrease of the validation loss that counts as an
	// improvement; default 0.
	MinDelta float64
	// CheckpointDir receives checkpoints; "" writes none.
	CheckpointDir string
	// CheckpointEvery saves a checkpoint every this many steps; 0 saves at the
	// end of every epoch. The final step and an interrupted run are always saved.
	CheckpointEvery int
	// Keep is the number of newest checkpoints kept; 0 keeps all.
	Keep int
	// TrainSteps is the absolute number of steps to reach; 0 means Epochs
	// times the steps per epoch. A resumed run stops at the same target, so
	// resuming a finished run does nothing.
	TrainSteps int
	// ClipNorm rescales each step's gradients, all parameters (row
	// gradients included) together, so that their global 2-norm is at most
	// ClipNorm (as PyTorch's clip_grad_norm_); 0 turns clipping off. Clipped
	// steps take the host update path (a device task's resident update is
	// not used).
	ClipNorm float64
	// ConfigJSON is stored verbatim in checkpoint metadata; it must be valid
	// JSON when set.
	ConfigJSON json.RawMessage
}

// withDefaults fills zero fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.Epochs < 0 || c.BatchSize < 0 || c.Patience < 0 || c.CheckpointEvery < 0 || c.Keep < 0 || c.TrainSteps < 0:
		return c, fmt.Errorf("trainers: config: negative count in %+v", c)
	case c.MinDelta < 0 || math.IsNaN(c.MinDelta) || math.IsInf(c.MinDelta, 0):
		return c, fmt.Errorf("trainers: config: MinDelta %v must be finite and non-negative", c.MinDelta)
	case c.ClipNorm < 0 || math.IsNaN(c.ClipNorm) || math.IsInf(c.ClipNorm, 0):
		return c, fmt.Errorf("trainers: config: ClipNorm %v must be finite and non-negative", c.ClipNorm)
	case c.WeightDecay < 0 || math.IsNaN(c.WeightDecay) || math.IsInf(c.WeightDecay, 0):
		return c, fmt.Errorf("trainers: config: WeightDecay %v must be finite and non-negative", c.WeightDecay)
	case len(c.ConfigJSON) > 0 && !json.Valid(c.ConfigJSON):
		return c, fmt.Errorf("trainers: config: ConfigJSON is not valid JSON")
	}
	if c.Epochs == 0 {
		c.Epochs = 1
	}
	if c.BatchSize == 0 {
		c.BatchSize = 32
	}
	if c.Optimizer == "" {
		c.Optimizer = "adam"
	}
	return c, nil
}
