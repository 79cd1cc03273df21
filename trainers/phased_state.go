package trainers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/graph"
)

// phaseState is one phase's part of the training-loop state ("phases" in
// the checkpoint's "trainer" metadata).
type phaseState struct {
	Name         string                    `json:"name"`
	Params       []string                  `json:"params"`
	Rounds       int                       `json:"rounds"`
	Optimizer    checkpoints.OptimizerMeta `json:"optimizer"`
	TrainLoss    []float64                 `json:"train_loss"`
	EpochLossSum float64                   `json:"epoch_loss_sum"`
}

// phasedOptimizer is the optimizer name in a phased run's checkpoint
// metadata; each phase's optimizer is described in its phaseState.
const phasedOptimizer = "phased"

// optimizerState returns the optimizer tensors of a checkpoint, named
// "optim/<kind>/<param>" or, for a phased task, "optim/<phase>/<kind>/<param>",
// the optimizer metadata and the phases' states (nil without phases).
func (t *Trainer) optimizerState() ([]checkpoints.Tensor, checkpoints.OptimizerMeta, []phaseState) {
	if t.ptask == nil {
		ost := t.opt.State()
		ts := make([]checkpoints.Tensor, 0, len(ost.Tensors))
		for _, m := range ost.Tensors {
			m.Name = optimPrefix + m.Name
			ts = append(ts, m)
		}
		return ts, checkpoints.OptimizerMeta{Name: ost.Name, Step: ost.Step, Hyper: ost.Hyper}, nil
	}
	var ts []checkpoints.Tensor
	phases := make([]phaseState, len(t.phases))
	for p, ph := range t.phases {
		ost := ph.opt.State()
		for _, m := range ost.Tensors {
			m.Name = optimPrefix + ph.name + "/" + m.Name
			ts = append(ts, m)
		}
		phases[p] = phaseState{
			Name: ph.name, Params: ph.paramNames(), Rounds: ph.rounds,
			Optimizer: checkpoints.OptimizerMeta{Name: ost.Name, Step: ost.Step, Hyper: ost.Hyper},
			TrainLoss: ph.loss, EpochLossSum: ph.lossSum,
		}
	}
	return ts, checkpoints.OptimizerMeta{Name: phasedOptimizer, Step: t.step}, phases
}

// paramNames returns the names of the phase's parameters, in order.
func (ph *phase) paramNames() []string {
	out := make([]string, len(ph.params))
	for i, p := range ph.params {
		out[i] = p.Name
	}
	return out
}

// checkPhaseLayout verifies that the checkpoint state st has the task's
// phases: the same names in the same order, each with the same set of
// parameters, and a loss history as long as the run's.
func (t *Trainer) checkPhaseLayout(st runState) error {
	if t.ptask == nil {
		if len(st.Phases) > 0 {
			return fmt.Errorf("written by a phased run (phases %s), the task has no phases", describePhases(st.Phases))
		}
		return nil
	}
	mine := make([]phaseState, len(t.phases))
	for p, ph := range t.phases {
		mine[p] = phaseState{Name: ph.name, Params: ph.paramNames()}
	}
	if len(st.Phases) == 0 {
		return fmt.Errorf("written by a run without phases, the task has phases %s", describePhases(mine))
	}
	same := len(st.Phases) == len(mine)
	for p := 0; same && p < len(mine); p++ {
		same = st.Phases[p].Name == mine[p].Name &&
			slices.Equal(slices.Sorted(slices.Values(st.Phases[p].Params)), slices.Sorted(slices.Values(mine[p].Params)))
	}
	if !same {
		return fmt.Errorf("written with phases %s, the task has phases %s", describePhases(st.Phases), describePhases(mine))
	}
	for _, ps := range st.Phases {
		if len(ps.TrainLoss) != len(st.TrainLoss) {
			return fmt.Errorf("phase %q records %d epochs, the run %d", ps.Name, len(ps.TrainLoss), len(st.TrainLoss))
		}
	}
	return nil
}

// describePhases formats phases as "generator[g] discriminator[b w]".
func describePhases(ps []phaseState) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Name + "[" + strings.Join(slices.Sorted(slices.Values(p.Params)), " ") + "]"
	}
	return strings.Join(parts, " ")
}

// optimParam returns the parameter an optimizer tensor named name ("optim/"
// + rest) belongs to.
func (t *Trainer) optimParam(name, rest string) (string, error) {
	if t.ptask != nil {
		var ph string
		var ok bool
		if ph, rest, ok = strings.Cut(rest, "/"); !ok || t.phaseIndex(ph) < 0 {
			return "", fmt.Errorf("optimizer tensor %q names no phase of the task", name)
		}
	}
	_, pname, ok := strings.Cut(rest, "/")
	if !ok {
		return "", fmt.Errorf("optimizer tensor %q lacks a parameter name", name)
	}
	return pname, nil
}

// phaseIndex returns the index of the phase named name, -1 when none.
func (t *Trainer) phaseIndex(name string) int {
	return slices.IndexFunc(t.phases, func(ph *phase) bool { return ph.name == name })
}

// restoreOptimizers restores the optimizer state of a checkpoint: with
// metadata om into the optimizer in use, or, for a phased task, each
// phase's state into a fresh optimizer returned for commitPhases. optim
// holds the optimizer tensors without the "optim/" prefix.
func (t *Trainer) restoreOptimizers(om checkpoints.OptimizerMeta, phases []phaseState, optim []checkpoints.Tensor) ([]Optimizer, error) {
	if t.ptask == nil {
		return nil, t.opt.Restore(OptimizerState{Name: om.Name, Step: om.Step, Hyper: om.Hyper, Tensors: optim})
	}
	byPhase := make([][]checkpoints.Tensor, len(t.phases))
	for _, tn := range optim {
		name, rest, _ := strings.Cut(tn.Name, "/")
		p := t.phaseIndex(name)
		_, pname, _ := strings.Cut(rest, "/")
		if !slices.ContainsFunc(t.phases[p].params, func(q *graph.Param) bool { return q.Name == pname }) {
			return nil, fmt.Errorf("optimizer tensor %q: parameter %q is not in phase %q", optimPrefix+tn.Name, pname, name)
		}
		byPhase[p] = append(byPhase[p], checkpoints.Tensor{Name: rest, Shape: tn.Shape, Data: tn.Data})
	}
	out := make([]Optimizer, len(t.phases))
	for p, ph := range t.phases {
		o, err := t.newPhaseOptimizer(ph)
		if err != nil {
			return nil, fmt.Errorf("phase %q: %w", ph.name, err)
		}
		s := phases[p].Optimizer
		if err := o.Restore(OptimizerState{Name: s.Name, Step: s.Step, Hyper: s.Hyper, Tensors: byPhase[p]}); err != nil {
			return nil, fmt.Errorf("phase %q: %w", ph.name, err)
		}
		out[p] = o
	}
	return out, nil
}

// commitPhases installs restored phase optimizers and loss state.
func (t *Trainer) commitPhases(opts []Optimizer, phases []phaseState) {
	if t.ptask == nil {
		return
	}
	for p, ph := range t.phases {
		ph.opt = opts[p]
		ph.loss = phases[p].TrainLoss
		ph.lossSum = phases[p].EpochLossSum
	}
}
