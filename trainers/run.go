package trainers

import (
	"context"
	"errors"
	"fmt"
)

// Run trains until the step target is reached or early stopping triggers,
// continuing from the state restored by Resume if any. After every step it
// checks ctx: once cancelled, Run saves a checkpoint (when CheckpointDir is
// set) and returns an error wrapping ctx.Err(). Checkpoints are written every
// CheckpointEvery steps (or each epoch end) and after the last step. A
// non-finite loss or gradient returns an error wrapping ErrNonFinite without
// applying that step or saving (for a phased task, the updates of the
// step's earlier phases are applied; see NewPhased). When early stopping
// ends the run and best weights are restored (see WithRestoreBestWeights),
// the parameters end with the best epoch's values, while the last
// checkpoint holds the trained ones plus the best as "best/<param>". The
// Result reflects the state at return.
func (t *Trainer) Run(ctx context.Context) (Result, error) {
	res, err := t.run(ctx)
	// The host's parameters hold the state at return, also on errors.
	if serr := t.syncHost(); serr != nil {
		return t.result(), errors.Join(err, serr)
	}
	return res, err
}

func (t *Trainer) run(ctx context.Context) (Result, error) {
	for !t.es.stopped && t.step < t.target {
		if err := ctx.Err(); err != nil {
			serr := t.save()
			return t.result(), errors.Join(fmt.Errorf("trainers: interrupted after step %d: %w", t.step, err), serr)
		}
		if err := t.trainStep(); err != nil {
			return t.result(), err
		}
		if t.step%t.stepsPerEpoch == 0 {
			if err := t.endEpoch(); err != nil {
				return t.result(), err
			}
		}
		if t.saveDue() {
			if err := t.save(); err != nil {
				return t.result(), err
			}
		}
	}
	if err := t.save(); err != nil {
		return t.result(), err
	}
	if err := t.syncHost(); err != nil {
		return t.result(), err
	}
	if t.restoreBest && t.es.stopped && t.es.bestWeights != nil {
		restoreWeights(t.params, t.es.bestWeights)
		t.releaseDevice()
	}
	res := t.result()
	for _, h := range t.hooks {
		if err := h.OnEnd(res); err != nil {
			return res, fmt.Errorf("trainers: end hook: %w", err)
		}
	}
	return res, nil
}

// trainStep runs, checks and applies one step (of every phase, for a
// phased task), then calls the step hooks.
func (t *Trainer) trainStep() error {
	num := t.step + 1
	idx := t.batch(t.step)
	loss, phaseLoss, err := t.runStep(idx)
	if err != nil {
		return err
	}
	t.step = num
	t.epochLossSum += loss * float64(len(idx))
	t.epochSamples += len(idx)
	t.addPhaseLosses(phaseLoss, len(idx))
	info := StepInfo{
		Step:          t.step,
		TotalSteps:    t.target,
		Epoch:         (t.step - 1) / t.stepsPerEpoch,
		EpochStep:     (t.step-1)%t.stepsPerEpoch + 1,
		StepsPerEpoch: t.stepsPerEpoch,
		Loss:          loss,
		BatchSize:     len(idx),
		PhaseLoss:     t.namedLosses(phaseLoss),
	}
	for _, h := range t.hooks {
		if err := h.OnStep(info); err != nil {
			return fmt.Errorf("trainers: step %d: hook: %w", num, err)
		}
	}
	return nil
}

// runStep applies the step of training examples idx and returns its loss
// and, for a phased task, every phase's (the loss is the first phase's).
func (t *Trainer) runStep(idx []int) (float64, []float64, error) {
	if t.ptask == nil {
		loss, err := t.applyStep(idx)
		return loss, nil, err
	}
	losses, err := t.phasedStep(idx)
	if err != nil {
		return 0, nil, err
	}
	return losses[0], losses, nil
}

// applyStep computes and applies the update of training examples idx, on
// the device when the task and the optimizer can (see DeviceTask), with
// row gradients when the task is a SparseTask.
func (t *Trainer) applyStep(idx []int) (float64, error) {
	if dt, do, ok := t.device(); ok {
		return t.deviceStep(dt, do, idx)
	}
	num := t.step + 1
	loss, grads, err := t.task.TrainStep(idx, t.noise)
	if err != nil {
		return 0, fmt.Errorf("trainers: step %d: %w", num, err)
	}
	var rows []*RowGrad
	if t.rowOpt != nil {
		rows = t.task.(SparseTask).RowGrads()
	}
	if err := checkStep(num, loss, t.params, grads, rows); err != nil {
		return 0, err
	}
	clipRows(grads, rows, t.cfg.ClipNorm)
	if t.rowOpt != nil {
		err = t.rowOpt.StepRows(t.params, grads, rows)
	} else {
		err = t.opt.Step(t.params, grads)
	}
	if err != nil {
		return 0, fmt.Errorf("trainers: step %d: %w", num, err)
	}
	return loss, nil
}

// endEpoch closes the epoch that the last step completed: it records the
// training loss, runs validation and early stopping, and calls the epoch hooks.
func (t *Trainer) endEpoch() error {
	epoch := t.step/t.stepsPerEpoch - 1
	trainLoss := t.epochLossSum / float64(t.epochSamples)
	phaseLoss := t.phaseEpochLosses()
	if err := t.syncHost(); err != nil {
		return err
	}
	val, hasVal, err := t.task.ValidationLoss()
	if err != nil {
		return fmt.Errorf("trainers: epoch %d: validation: %w", epoch, err)
	}
	if hasVal && !finite(val) {
		return fmt.Errorf("%w: epoch %d: validation loss is %v", ErrNonFinite, epoch, val)
	}
	t.epochLossSum, t.epochSamples = 0, 0
	t.trainLoss = append(t.trainLoss, trainLoss)
	t.closePhaseEpoch(phaseLoss)
	if hasVal {
		t.valLoss = append(t.valLoss, val)
		keep := t.restoreBest && t.cfg.Patience > 0
		t.es.update(epoch, val, t.cfg.Patience, t.cfg.MinDelta, t.params, keep)
	}
	info := EpochInfo{
		Epoch:        epoch,
		Epochs:       (t.target + t.stepsPerEpoch - 1) / t.stepsPerEpoch,
		Step:         t.step,
		TotalSteps:   t.target,
		TrainLoss:    trainLoss,
		ValLoss:      val,
		HasVal:       hasVal,
		BestValLoss:  t.es.best,
		BestEpoch:    t.es.bestEpoch,
		StoppedEarly: t.es.stopped,
		PhaseLoss:    t.namedLosses(phaseLoss),
	}
	for _, h := range t.hooks {
		if err := h.OnEpoch(info); err != nil {
			return fmt.Errorf("trainers: epoch %d: hook: %w", epoch, err)
		}
	}
	return nil
}

// saveDue reports whether the step just completed is a checkpoint step.
func (t *Trainer) saveDue() bool {
	if t.cfg.CheckpointEvery > 0 {
		return t.step%t.cfg.CheckpointEvery == 0
	}
	return t.step%t.stepsPerEpoch == 0
}
