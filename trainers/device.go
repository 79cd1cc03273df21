package trainers

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/vigil-ml/vigil/graph"
)

// DeviceTask is a Task whose train step can run where its parameters live
// (a GPU): the parameters and the optimizer moments stay on the device,
// the update is applied there, and only the loss comes back each step.
// The Trainer uses it when OnDevice reports true and the optimizer is a
// DeviceOptimizer; it syncs the host copies before anything reads them
// (validation, early stopping, checkpoints, the end of the run) and
// releases the device copies after it changes them (Resume).
type DeviceTask interface {
	Task
	// OnDevice reports whether DeviceStep can be used.
	OnDevice() bool
	// DeviceStep runs forward and backward on training examples idx, as
	// TrainStep does, and applies u on the device when the loss and every
	// gradient are finite. When they are not (applied false) nothing is
	// updated and grads holds the step's gradients for the report;
	// otherwise grads is nil.
	DeviceStep(idx []int, rng *rand.Rand, u graph.Update) (loss float64, applied bool, grads [][]float32, err error)
	// SyncParams copies the device's parameters and moments to the host.
	SyncParams() error
	// ReleaseParams makes the next DeviceStep upload the host's values.
	ReleaseParams()
}

// DeviceOptimizer is an Optimizer whose update a device can apply.
type DeviceOptimizer interface {
	Optimizer
	// NextUpdate returns the update of the next step for params (its
	// coefficients and the host moment buffers, created zeroed on first
	// use) without counting a step.
	NextUpdate(params []*graph.Param) (graph.Update, error)
	// Advance counts one update applied by a device.
	Advance()
}

// deviceStep runs one step through a DeviceTask: like trainStep's
// TrainStep, check and optimizer Step, with the check and the update done
// on the device.
func (t *Trainer) deviceStep(dt DeviceTask, do DeviceOptimizer, idx []int) (float64, error) {
	num := t.step + 1
	u, err := do.NextUpdate(t.params)
	if err != nil {
		return 0, fmt.Errorf("trainers: step %d: %w", num, err)
	}
	loss, applied, grads, err := dt.DeviceStep(idx, t.noise, u)
	t.held = true
	if err != nil {
		return 0, fmt.Errorf("trainers: step %d: %w", num, err)
	}
	if !applied {
		if err := checkStep(num, loss, t.params, grads, nil); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("%w: step %d: the device found a non-finite gradient the host copy does not show", ErrNonFinite, num)
	}
	do.Advance()
	return loss, nil
}

// decayer is an optimizer that may apply weight decay, which a
// graph.Update cannot express.
type decayer interface{ decays() bool }

// device returns the task and optimizer of the device path, when in use.
// A SparseTask never takes it: row gradients are applied on the host.
// Neither do clipped steps nor an optimizer with weight decay.
func (t *Trainer) device() (DeviceTask, DeviceOptimizer, bool) {
	if _, sparse := t.task.(SparseTask); sparse {
		return nil, nil, false
	}
	dt, ok := t.task.(DeviceTask)
	if !ok || !dt.OnDevice() || t.cfg.ClipNorm > 0 {
		return nil, nil, false
	}
	if d, ok := t.opt.(decayer); ok && d.decays() {
		return nil, nil, false
	}
	do, ok := t.opt.(DeviceOptimizer)
	return dt, do, ok
}

// syncHost brings the host's parameters and optimizer moments up to date
// with the device's.
func (t *Trainer) syncHost() error {
	if !t.held {
		return nil
	}
	dt, _, _ := t.device()
	if err := dt.SyncParams(); err != nil {
		return fmt.Errorf("trainers: step %d: copy parameters from the device: %w", t.step, err)
	}
	t.held = false
	return nil
}

// releaseDevice makes the device take the host's values again.
func (t *Trainer) releaseDevice() {
	if dt, _, ok := t.device(); ok {
		dt.ReleaseParams()
	}
	t.held = false
}

// NextUpdate returns Adam's update for the next step; see DeviceOptimizer.
// Weight decay has no device update: it is an error.
func (a *Adam) NextUpdate(params []*graph.Param) (graph.Update, error) {
	if err := a.cfg.validate(); err != nil {
		return graph.Update{}, err
	}
	if a.decays() {
		return graph.Update{}, fmt.Errorf("trainers: adam: weight decay %v has no device update", a.cfg.WeightDecay)
	}
	ms, err := a.slots.all(params)
	if err != nil {
		return graph.Update{}, fmt.Errorf("%w (adam step %d)", err, a.step+1)
	}
	return graph.Update{
		Rule:  graph.RuleAdam,
		LR:    a.stepLR(),
		Beta1: a.cfg.Beta1, Beta2: a.cfg.Beta2, Eps: a.cfg.Eps,
		Moments: ms,
	}, nil
}

// Advance counts one step; see DeviceOptimizer.
func (a *Adam) Advance() { a.step++ }

// NextUpdate returns SGD's update; see DeviceOptimizer. Weight decay has no
// device update: it is an error.
func (s *SGD) NextUpdate(params []*graph.Param) (graph.Update, error) {
	if err := s.cfg.validate(); err != nil {
		return graph.Update{}, err
	}
	if s.decays() {
		return graph.Update{}, fmt.Errorf("trainers: sgd: weight decay %v has no device update", s.cfg.WeightDecay)
	}
	u := graph.Update{Rule: graph.RuleSGD, LR: s.cfg.LR, Momentum: s.cfg.Momentum, Nesterov: s.cfg.Nesterov}
	if s.cfg.Momentum == 0 {
		u.Moments = make([][][]float32, len(params))
		return u, nil
	}
	ms, err := s.slots.all(params)
	if err != nil {
		return graph.Update{}, fmt.Errorf("%w (sgd step %d)", err, s.step+1)
	}
	u.Rule, u.Moments = graph.RuleMomentum, ms
	return u, nil
}

// Advance counts one step; see DeviceOptimizer.
func (s *SGD) Advance() { s.step++ }

// all returns the moment buffers of every parameter (created zeroed in
// params order on first use, as Step does), after checking the shapes.
func (s *slots) all(params []*graph.Param) ([][][]float32, error) {
	seen := make(map[string]bool, len(params))
	for _, p := range params {
		if seen[p.Name] {
			return nil, fmt.Errorf("trainers: parameter %q appears twice", p.Name)
		}
		seen[p.Name] = true
		if sl, ok := s.byKey[p.Name]; ok && !slices.Equal(sl.shape, p.Shape) {
			return nil, fmt.Errorf("trainers: parameter %q has shape %v, its optimizer state %v", p.Name, p.Shape, sl.shape)
		}
	}
	out := make([][][]float32, len(params))
	for i, p := range params {
		out[i] = s.get(p).bufs
	}
	return out, nil
}

var (
	_ DeviceOptimizer = (*Adam)(nil)
	_ DeviceOptimizer = (*SGD)(nil)
)
