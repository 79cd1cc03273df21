package trainers

import "fmt"

// phasedStep runs the phases of one step on training examples idx, each
// Rounds updates, and returns every phase's mean loss over its rounds. An
// error leaves the updates made before it applied.
func (t *Trainer) phasedStep(idx []int) ([]float64, error) {
	losses := make([]float64, len(t.phases))
	for p, ph := range t.phases {
		var sum float64
		for r := 1; r <= ph.rounds; r++ {
			loss, err := t.phaseUpdate(p, idx)
			if err != nil {
				return nil, fmt.Errorf("%w (phase %q, round %d of %d)", err, ph.name, r, ph.rounds)
			}
			sum += loss
		}
		losses[p] = sum / float64(ph.rounds)
	}
	return losses, nil
}

// phaseUpdate runs, checks, clips and applies one update of phase p.
func (t *Trainer) phaseUpdate(p int, idx []int) (float64, error) {
	num, ph := t.step+1, t.phases[p]
	loss, grads, err := t.ptask.PhaseStep(p, idx, t.noise)
	if err != nil {
		return 0, fmt.Errorf("trainers: step %d: %w", num, err)
	}
	if err := checkStep(num, loss, ph.params, grads, nil); err != nil {
		return 0, err
	}
	ClipGradNorm(grads, t.cfg.ClipNorm)
	if err := ph.opt.Step(ph.params, grads); err != nil {
		return 0, fmt.Errorf("trainers: step %d: %w", num, err)
	}
	return loss, nil
}

// addPhaseLosses adds a step's phase losses, weighted by its n examples, to
// the open epoch.
func (t *Trainer) addPhaseLosses(losses []float64, n int) {
	for p, l := range losses {
		t.phases[p].lossSum += l * float64(n)
	}
}

// phaseEpochLosses returns the open epoch's mean loss per phase, nil for a
// task without phases.
func (t *Trainer) phaseEpochLosses() []float64 {
	if t.ptask == nil {
		return nil
	}
	out := make([]float64, len(t.phases))
	for p, ph := range t.phases {
		out[p] = ph.lossSum / float64(t.epochSamples)
	}
	return out
}

// closePhaseEpoch records the epoch's phase losses and opens the next epoch.
func (t *Trainer) closePhaseEpoch(losses []float64) {
	for p, l := range losses {
		t.phases[p].loss = append(t.phases[p].loss, l)
		t.phases[p].lossSum = 0
	}
}

// namedLosses pairs losses with the phase names; nil for nil.
func (t *Trainer) namedLosses(losses []float64) []PhaseLoss {
	if losses == nil {
		return nil
	}
	out := make([]PhaseLoss, len(losses))
	for p, l := range losses {
		out[p] = PhaseLoss{Phase: t.phases[p].name, Loss: l}
	}
	return out
}

// phaseHistory copies every phase's per-epoch losses; nil without phases.
func (t *Trainer) phaseHistory() []PhaseHistory {
	if t.ptask == nil {
		return nil
	}
	out := make([]PhaseHistory, len(t.phases))
	for p, ph := range t.phases {
		out[p] = PhaseHistory{Phase: ph.name, TrainLoss: append([]float64(nil), ph.loss...)}
	}
	return out
}
