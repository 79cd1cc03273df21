package trainers

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/vigil-ml/vigil/graph"
)

// Task is a model and its data as the training loop sees them.
type Task interface {
	// TrainLen is the number of training examples.
	TrainLen() int
	// TrainStep runs forward and backward on training examples idx (train
	// mode) drawing noise from rng; it returns the mean loss and gradients
	// aligned with Params. The gradients are read before the next call.
	TrainStep(idx []int, rng *rand.Rand) (loss float64, grads [][]float32, err error)
	// ValidationLoss returns the mean eval-mode loss over the validation
	// set; ok is false when there is none.
	ValidationLoss() (loss float64, ok bool, err error)
	// Params returns the trainable parameters, in a fixed order.
	Params() []*graph.Param
}

// Result summarizes a run (including the steps before a Resume).
type Result struct {
	Steps  int // steps completed
	Epochs int // epochs completed
	// TrainLoss is the example-weighted mean training loss per completed
	// epoch; for a phased task, the first phase's (see PhaseLoss).
	TrainLoss    []float64
	ValLoss      []float64 // per completed epoch with a validation set
	BestValLoss  float64   // best validation loss as judged with MinDelta; NaN when BestEpoch is -1
	BestEpoch    int       // 0-based epoch of BestValLoss, -1 when none
	StoppedEarly bool      // early stopping ended the run
	// LastCheckpoint is the path of the newest checkpoint written or resumed
	// from, "" when none.
	LastCheckpoint string
	// PhaseLoss holds a phased task's per-epoch training loss of every
	// phase, in phase order; nil for other tasks.
	PhaseLoss []PhaseHistory
}

// Option configures a Trainer.
type Option func(*Trainer)

// WithHooks adds hooks, run in ascending Priority order.
func WithHooks(hooks ...Hook) Option {
	return func(t *Trainer) { t.hooks = append(t.hooks, hooks...) }
}

// WithOptimizer uses o instead of the optimizer named by Config.Optimizer
// and Config.LR.
func WithOptimizer(o Optimizer) Option { return func(t *Trainer) { t.opt = o } }

// WithRestoreBestWeights sets whether a run stopped early ends with the
// weights of its best validation epoch (default true), as Keras'
// EarlyStopping(restore_best_weights=True) does. The best weights are kept
// in memory, and in checkpoints as "best/<param>" tensors. A run that reaches
// its step target without stopping early keeps its final weights.
func WithRestoreBestWeights(on bool) Option { return func(t *Trainer) { t.restoreBest = on } }

// Trainer runs the training loop of one Task. It is deterministic: the same
// Config, Task and initial weights give bit-identical results, and a run
// resumed from any of its checkpoints ends as the uninterrupted run does.
// A Trainer is not safe for concurrent use.
type Trainer struct {
	cfg         Config
	task        Task
	params      []*graph.Param
	opt         Optimizer
	rowOpt      RowOptimizer // opt, when the task is a SparseTask
	hooks       []Hook
	restoreBest bool

	n, stepsPerEpoch, target int

	noiseSrc *rand.PCG
	noise    *rand.Rand

	step         int
	permEpoch    int
	perm         []int
	epochLossSum float64
	epochSamples int
	trainLoss    []float64
	valLoss      []float64
	es           earlyStop

	lastSaved      int
	lastCheckpoint string

	held bool // a DeviceTask holds parameters newer than the host's

	ptask  PhasedTask // the task given to NewPhased, nil for New's
	phases []*phase   // ptask's phases, with their optimizers and losses
}

// noiseStream seeds the noise generator: rand.NewPCG(Seed, noiseStream).
const noiseStream = 0x9e3779b97f4a7c15

// Reserved tensor-name prefixes in checkpoints.
const (
	optimPrefix = "optim/"
	bestPrefix  = "best/"
)

// New returns a Trainer for task. It fails on an invalid Config, an unknown
// optimizer, a SparseTask with an optimizer that is not a RowOptimizer, a
// task without training examples, or parameters whose names are empty,
// duplicated or start with the reserved "optim/" or "best/".
func New(cfg Config, task Task, opts ...Option) (*Trainer, error) {
	t, err := newTrainer(cfg, task, opts)
	if err != nil {
		return nil, err
	}
	if t.opt == nil {
		if t.opt, err = NewOptimizerWithDecay(t.cfg.Optimizer, t.cfg.LR, t.cfg.WeightDecay); err != nil {
			return nil, err
		}
	}
	if _, sparse := task.(SparseTask); sparse {
		ro, ok := t.opt.(RowOptimizer)
		if !ok {
			return nil, fmt.Errorf("trainers: the task has row gradients but optimizer %q cannot apply them", t.opt.State().Name)
		}
		t.rowOpt = ro
	}
	if err := t.setup(); err != nil {
		return nil, err
	}
	return t, nil
}

// newTrainer checks cfg and task and applies opts.
func newTrainer(cfg Config, task Task, opts []Option) (*Trainer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if task == nil {
		return nil, errors.New("trainers: nil task")
	}
	t := &Trainer{cfg: cfg, task: task, params: task.Params(), restoreBest: true, permEpoch: -1, lastSaved: -1}
	for _, o := range opts {
		o(t)
	}
	return t, nil
}

// setup checks the parameters and the training set and derives the
// schedule, the noise generator and the early-stopping state.
func (t *Trainer) setup() error {
	if err := checkParamNames(t.params); err != nil {
		return err
	}
	t.hooks = sortHooks(t.hooks)
	if t.n = t.task.TrainLen(); t.n <= 0 {
		return fmt.Errorf("trainers: task has %d training examples", t.n)
	}
	t.stepsPerEpoch = (t.n + t.cfg.BatchSize - 1) / t.cfg.BatchSize
	t.target = t.cfg.TrainSteps
	if t.target == 0 {
		t.target = t.cfg.Epochs * t.stepsPerEpoch
	}
	t.noiseSrc = rand.NewPCG(t.cfg.Seed, noiseStream)
	t.noise = rand.New(t.noiseSrc)
	t.es = newEarlyStop()
	return nil
}

func checkParamNames(params []*graph.Param) error {
	seen := map[string]bool{}
	for _, p := range params {
		switch {
		case p == nil:
			return errors.New("trainers: task has a nil parameter")
		case p.Name == "" || seen[p.Name]:
			return fmt.Errorf("trainers: parameter name %q is empty or duplicated", p.Name)
		case strings.HasPrefix(p.Name, optimPrefix) || strings.HasPrefix(p.Name, bestPrefix):
			return fmt.Errorf("trainers: parameter name %q uses a reserved prefix", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// Step returns the number of completed steps.
func (t *Trainer) Step() int { return t.step }

// TotalSteps returns the step target of the run.
func (t *Trainer) TotalSteps() int { return t.target }

// StepsPerEpoch returns ceil(TrainLen / BatchSize).
func (t *Trainer) StepsPerEpoch() int { return t.stepsPerEpoch }

// Optimizer returns the optimizer in use; nil for a phased task (see
// PhaseOptimizers).
func (t *Trainer) Optimizer() Optimizer { return t.opt }

// result snapshots the run's state.
func (t *Trainer) result() Result {
	r := Result{
		Steps:          t.step,
		Epochs:         len(t.trainLoss),
		TrainLoss:      append([]float64(nil), t.trainLoss...),
		ValLoss:        append([]float64(nil), t.valLoss...),
		BestValLoss:    math.NaN(),
		BestEpoch:      t.es.bestEpoch,
		StoppedEarly:   t.es.stopped,
		LastCheckpoint: t.lastCheckpoint,
		PhaseLoss:      t.phaseHistory(),
	}
	if t.es.bestEpoch >= 0 {
		r.BestValLoss = t.es.best
	}
	return r
}
