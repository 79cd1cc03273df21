package trainers

import (
	"cmp"
	"slices"
)

// StepInfo describes a completed training step.
type StepInfo struct {
	Step          int     // steps completed so far (1 after the first)
	TotalSteps    int     // step target of the run
	Epoch         int     // 0-based epoch of this step
	EpochStep     int     // 1-based index of this step within its epoch
	StepsPerEpoch int     // steps of a full epoch
	Loss          float64 // mean loss of the batch; a phased task's first phase's
	BatchSize     int     // examples in the batch
	// PhaseLoss is a phased task's loss per phase, in phase order, each
	// the mean over the phase's rounds; nil for other tasks.
	PhaseLoss []PhaseLoss
}

// EpochInfo describes a completed epoch.
type EpochInfo struct {
	Epoch        int     // 0-based index of the completed epoch
	Epochs       int     // epochs the step target spans (the last may be partial)
	Step         int     // steps completed so far
	TotalSteps   int     // step target of the run
	TrainLoss    float64 // example-weighted mean training loss of the epoch; a phased task's first phase's
	ValLoss      float64 // validation loss; meaningful when HasVal
	HasVal       bool    // whether the task has a validation set
	BestValLoss  float64 // best validation loss so far; meaningful when BestEpoch >= 0
	BestEpoch    int     // epoch of BestValLoss, -1 when none
	StoppedEarly bool    // early stopping ends the run after this epoch
	// PhaseLoss is a phased task's example-weighted mean training loss
	// per phase, in phase order; nil for other tasks.
	PhaseLoss []PhaseLoss
}

// Hook observes a run. Hooks run in ascending Priority order (ties in the
// order given to WithHooks). An error returned by OnStep or OnEpoch stops
// the run at once, without saving a checkpoint; the error of OnEnd is
// returned by Run.
type Hook interface {
	Priority() int
	OnStep(StepInfo) error
	OnEpoch(EpochInfo) error
	// OnEnd is called once when Run returns without error.
	OnEnd(Result) error
}

// HookFuncs adapts functions to a Hook; nil functions do nothing.
type HookFuncs struct {
	Prio  int
	Step  func(StepInfo) error
	Epoch func(EpochInfo) error
	End   func(Result) error
}

// Priority returns h.Prio.
func (h HookFuncs) Priority() int { return h.Prio }

// OnStep calls h.Step when set.
func (h HookFuncs) OnStep(s StepInfo) error {
	if h.Step == nil {
		return nil
	}
	return h.Step(s)
}

// OnEpoch calls h.Epoch when set.
func (h HookFuncs) OnEpoch(e EpochInfo) error {
	if h.Epoch == nil {
		return nil
	}
	return h.Epoch(e)
}

// OnEnd calls h.End when set.
func (h HookFuncs) OnEnd(r Result) error {
	if h.End == nil {
		return nil
	}
	return h.End(r)
}

// sortHooks orders hooks by priority, stably.
func sortHooks(hs []Hook) []Hook {
	out := slices.Clone(hs)
	slices.SortStableFunc(out, func(a, b Hook) int { return cmp.Compare(a.Priority(), b.Priority()) })
	return out
}
