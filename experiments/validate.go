package experiments

import (
	"errors"
	"fmt"
	"math"
	"regexp"

	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/models"
)

var devicePattern = regexp.MustCompile(`^(auto|cpu|cuda|cuda:[0-9]+)$`)

// validate checks every section, the task's and the family's included, and
// joins all problems into one error.
func (c Config) validate(reg *plugins) error {
	var errs []error
	if c.Name == "" {
		errs = append(errs, errors.New("name: must not be empty"))
	}
	if !devicePattern.MatchString(c.Device) {
		errs = append(errs, fmt.Errorf("device: %q is not auto, cpu, cuda or cuda:N", c.Device))
	}
	if c.Executor != "tape" && c.Executor != "program" {
		errs = append(errs, fmt.Errorf("executor: %q is not tape or program", c.Executor))
	}
	errs = append(errs, c.Train.Validate())
	_, family, in, err := c.resolve(reg)
	if err != nil {
		errs = append(errs, err)
	} else if family != nil {
		errs = append(errs, family.Validate(c.Model, in))
	}
	return errors.Join(errs...)
}

// resolve returns the config's task, model family (nil for a task that
// fits its own models) and model input; the task's sections are validated
// on the way.
func (c Config) resolve(reg *plugins) (tasks.Task, models.Family, models.Input, error) {
	task, err := reg.tasks.Lookup(c.Task)
	if err != nil {
		return nil, nil, models.Input{}, err
	}
	family, err := reg.family(task, c.Kind)
	if err != nil {
		return nil, nil, models.Input{}, err
	}
	in, err := task.Input(c.Sections)
	return task, family, in, err
}

// Validate checks the training section.
func (t TrainConfig) Validate() error {
	var errs []error
	if t.Epochs <= 0 || t.BatchSize <= 0 {
		errs = append(errs, fmt.Errorf("train: epochs and batch_size must be positive (got %d, %d)", t.Epochs, t.BatchSize))
	}
	if t.Optimizer != "adam" && t.Optimizer != "sgd" {
		errs = append(errs, fmt.Errorf("train.optimizer: %q is not adam or sgd", t.Optimizer))
	}
	if t.LR <= 0 {
		errs = append(errs, fmt.Errorf("train.lr: %v must be positive", t.LR))
	}
	if t.Patience < 0 || t.CheckpointEvery < 0 || t.Keep < 0 || t.Workers < 0 || t.ClipNorm < 0 {
		errs = append(errs, errors.New("train: patience, checkpoint_every, keep, workers and clip_norm must not be negative"))
	}
	if t.WeightDecay < 0 || math.IsNaN(t.WeightDecay) || math.IsInf(t.WeightDecay, 0) {
		errs = append(errs, fmt.Errorf("train.weight_decay: %v must be finite and non-negative", t.WeightDecay))
	}
	return errors.Join(errs...)
}
