package trainers

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vigil-ml/vigil/graph"
)

// Phase is one update of a phased (adversarial) training step.
type Phase struct {
	// Name identifies the phase ("generator", "discriminator"); it names the
	// phase's optimizer state in checkpoints and may not contain "/".
	Name string
	// Params are the parameters this update changes; phases are disjoint.
	Params []*graph.Param
	// Rounds is the number of updates of this phase per step (MAD-GAN's
	// G_rounds and D_rounds); 0 means 1.
	Rounds int
	// LR is this phase's learning rate; 0 means Config.LR.
	LR float64
}

// PhasedTask is a task whose training step is a sequence of phases, each an
// update with its own loss, parameters and optimizer (adversarial training
// such as VAE-GAN or MAD-GAN).
type PhasedTask interface {
	// TrainLen is the number of training examples.
	TrainLen() int
	// Phases returns the phases of a step, in order. It is read once, by
	// NewPhased.
	Phases() []Phase
	// PhaseStep runs forward and backward of phase p on training examples
	// idx (train mode) with the parameters as the earlier updates of this
	// step left them, drawing noise from rng; it returns the phase's loss
	// and gradients aligned with Phases()[p].Params. The gradients are read
	// before the next call.
	PhaseStep(p int, idx []int, rng *rand.Rand) (loss float64, grads [][]float32, err error)
	// ValidationLoss returns the mean eval-mode loss early stopping
	// watches; ok is false when there is no validation set.
	ValidationLoss() (loss float64, ok bool, err error)
}

// PhaseLoss is one phase's training loss over a step or an epoch.
type PhaseLoss struct {
	Phase string
	Loss  float64
}

// PhaseHistory is one phase's training loss per completed epoch.
type PhaseHistory struct {
	Phase     string
	TrainLoss []float64 // example-weighted mean per epoch
}

// phase is a Phase as the Trainer runs it.
type phase struct {
	name    string
	params  []*graph.Param
	rounds  int
	lr      float64   // Phase.LR, 0 = Config.LR
	opt     Optimizer // this phase's own optimizer
	lossSum float64   // example-weighted loss sum of the open epoch
	loss    []float64 // per completed epoch
}

// phasedTask presents a PhasedTask as a Task over the parameters of all
// phases, for validation and the weights in checkpoints. It is neither a
// DeviceTask nor a SparseTask, so phased updates run on the host.
type phasedTask struct {
	PhasedTask
	params []*graph.Param
}

func (p phasedTask) Params() []*graph.Param { return p.params }

func (p phasedTask) TrainStep([]int, *rand.Rand) (float64, [][]float32, error) {
	return 0, nil, errors.New("trainers: a phased task trains through PhaseStep")
}

// NewPhased returns a Trainer for a phased task, with the same Run, Resume
// and hooks as New. One step runs, for each phase in order, Rounds updates
// on the same batch: PhaseStep, the non-finite check, clipping to
// Config.ClipNorm (the global norm of that update's gradients) and a step of
// the phase's own optimizer, of kind Config.Optimizer with the phase's
// learning rate and Config.WeightDecay. Noise is drawn from the Trainer's
// generator in call order, so runs stay deterministic and resumable.
//
// A non-finite loss or gradient returns an error wrapping ErrNonFinite that
// names the phase; that update is not applied, but the updates of the
// earlier phases of the failing step are, and no checkpoint of that step
// is written. Updates are applied on the host (a DeviceTask's device path is
// not used); row-sparse gradients are not supported.
//
// Early stopping and best weights work as in New over the parameters of
// every phase. Checkpoints hold every phase's optimizer moments as
// "optim/<phase>/<kind>/<param>" tensors and the phases' names, parameter
// names, optimizer step counts and hyperparameters and loss history in the
// training-loop state; Resume refuses a checkpoint of another phase layout.
//
// NewPhased fails as New does, and on WithOptimizer, a task with row
// gradients (a RowGrads method), or phases without a name, with a
// duplicated name or one containing "/", without parameters, sharing a
// parameter, or with negative Rounds.
func NewPhased(cfg Config, task PhasedTask, opts ...Option) (*Trainer, error) {
	if task == nil {
		return nil, errors.New("trainers: nil task")
	}
	if _, rows := task.(interface{ RowGrads() []*RowGrad }); rows {
		return nil, errors.New("trainers: phased tasks cannot have row gradients")
	}
	phases, params, err := checkPhases(task.Phases())
	if err != nil {
		return nil, err
	}
	t, err := newTrainer(cfg, phasedTask{PhasedTask: task, params: params}, opts)
	if err != nil {
		return nil, err
	}
	if t.opt != nil {
		return nil, errors.New("trainers: WithOptimizer cannot be used with a phased task: each phase has its own optimizer of Config.Optimizer")
	}
	for _, ph := range phases {
		if ph.opt, err = t.newPhaseOptimizer(ph); err != nil {
			return nil, fmt.Errorf("trainers: phase %q: %w", ph.name, err)
		}
	}
	t.ptask, t.phases = task, phases
	if err := t.setup(); err != nil {
		return nil, err
	}
	return t, nil
}

// newPhaseOptimizer returns a fresh optimizer for ph.
func (t *Trainer) newPhaseOptimizer(ph *phase) (Optimizer, error) {
	lr := ph.lr
	if lr == 0 {
		lr = t.cfg.LR
	}
	return NewOptimizerWithDecay(t.cfg.Optimizer, lr, t.cfg.WeightDecay)
}

// checkPhases validates ps and returns them with the parameters of all
// phases, in phase order.
func checkPhases(ps []Phase) ([]*phase, []*graph.Param, error) {
	if len(ps) == 0 {
		return nil, nil, errors.New("trainers: phased task has no phases")
	}
	var out []*phase
	var all []*graph.Param
	names := map[string]bool{}
	owner := map[string]string{}
	for i, p := range ps {
		switch {
		case p.Name == "":
			return nil, nil, fmt.Errorf("trainers: phase %d has no name", i)
		case strings.Contains(p.Name, "/"):
			return nil, nil, fmt.Errorf("trainers: phase name %q contains the reserved \"/\"", p.Name)
		case names[p.Name]:
			return nil, nil, fmt.Errorf("trainers: phase name %q is duplicated", p.Name)
		case len(p.Params) == 0:
			return nil, nil, fmt.Errorf("trainers: phase %q has no parameters", p.Name)
		case p.Rounds < 0:
			return nil, nil, fmt.Errorf("trainers: phase %q has %d rounds", p.Name, p.Rounds)
		}
		names[p.Name] = true
		for _, q := range p.Params {
			if q == nil {
				return nil, nil, fmt.Errorf("trainers: phase %q has a nil parameter", p.Name)
			}
			if other, ok := owner[q.Name]; ok {
				return nil, nil, fmt.Errorf("trainers: parameter %q is in phases %q and %q", q.Name, other, p.Name)
			}
			owner[q.Name] = p.Name
		}
		all = append(all, p.Params...)
		out = append(out, &phase{name: p.Name, params: append([]*graph.Param(nil), p.Params...), rounds: max(p.Rounds, 1), lr: p.LR})
	}
	return out, all, nil
}

// PhaseOptimizers returns the optimizers of a phased task's phases, in
// phase order (nil for other tasks). Resume replaces them.
func (t *Trainer) PhaseOptimizers() []Optimizer {
	if t.ptask == nil {
		return nil
	}
	out := make([]Optimizer, len(t.phases))
	for i, ph := range t.phases {
		out[i] = ph.opt
	}
	return out
}
