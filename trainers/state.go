package trainers

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/vigil-ml/vigil/checkpoints"
)

// runState is the loop state stored in checkpoint metadata ("trainer").
type runState struct {
	Seed         uint64    `json:"seed"`
	BatchSize    int       `json:"batch_size"`
	TrainLen     int       `json:"train_len"`
	TrainLoss    []float64 `json:"train_loss"`
	ValLoss      []float64 `json:"val_loss"`
	EpochLossSum float64   `json:"epoch_loss_sum"`
	EpochSamples int       `json:"epoch_samples"`
	BestValLoss  float64   `json:"best_val_loss"`
	BestEpoch    int       `json:"best_epoch"`
	Wait         int       `json:"wait"`
	StoppedEarly bool      `json:"stopped_early"`
	BestWeights  bool      `json:"best_weights"`
	// Phases is a phased task's per-phase state; absent for other tasks.
	Phases []phaseState `json:"phases,omitempty"`
}

// save writes a checkpoint of the current state unless CheckpointDir is
// empty or this step was already saved (or resumed from).
func (t *Trainer) save() error {
	if t.cfg.CheckpointDir == "" || t.step == t.lastSaved {
		return nil
	}
	if err := t.syncHost(); err != nil {
		return err
	}
	c, err := t.checkpoint()
	if err != nil {
		return err
	}
	path, err := checkpoints.Save(t.cfg.CheckpointDir, c, t.cfg.Keep)
	if path != "" {
		t.lastSaved, t.lastCheckpoint = t.step, path
	}
	if err != nil {
		return fmt.Errorf("trainers: checkpoint at step %d: %w", t.step, err)
	}
	return nil
}

// checkpoint assembles the tensors and metadata of the current state. The
// tensors alias the live parameters; save them before the next step.
func (t *Trainer) checkpoint() (*checkpoints.Checkpoint, error) {
	var ts []checkpoints.Tensor
	for _, p := range t.params {
		ts = append(ts, checkpoints.Tensor{Name: p.Name, Shape: p.Shape, Data: p.Data()})
	}
	optim, om, phases := t.optimizerState()
	ts = append(ts, optim...)
	if t.es.bestWeights != nil {
		for i, p := range t.params {
			ts = append(ts, checkpoints.Tensor{Name: bestPrefix + p.Name, Shape: p.Shape, Data: t.es.bestWeights[i]})
		}
	}
	rng, err := t.noiseSrc.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("trainers: checkpoint: rng state: %w", err)
	}
	st := runState{
		Seed: t.cfg.Seed, BatchSize: t.cfg.BatchSize, TrainLen: t.n,
		TrainLoss: t.trainLoss, ValLoss: t.valLoss,
		EpochLossSum: t.epochLossSum, EpochSamples: t.epochSamples,
		BestValLoss: t.es.best, BestEpoch: t.es.bestEpoch, Wait: t.es.wait,
		StoppedEarly: t.es.stopped, BestWeights: t.es.bestWeights != nil,
		Phases: phases,
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("trainers: checkpoint: encode state: %w", err)
	}
	metrics := map[string]float64{}
	if n := len(t.trainLoss); n > 0 {
		metrics["train_loss"] = t.trainLoss[n-1]
	}
	if n := len(t.valLoss); n > 0 {
		metrics["val_loss"] = t.valLoss[n-1]
	}
	if t.es.bestEpoch >= 0 {
		metrics["best_val_loss"] = t.es.best
	}
	for _, ph := range t.phases {
		if n := len(ph.loss); n > 0 {
			metrics["train_loss/"+ph.name] = ph.loss[n-1]
		}
	}
	return &checkpoints.Checkpoint{
		Meta: checkpoints.Meta{
			Step:      t.step,
			Epoch:     len(t.trainLoss),
			Config:    t.cfg.ConfigJSON,
			Optimizer: om,
			RNG:       base64.StdEncoding.EncodeToString(rng),
			Metrics:   metrics,
			Trainer:   raw,
		},
		Tensors: ts,
	}, nil
}

// Resume restores the state saved in the checkpoint directory path (as
// returned by checkpoints.Latest): parameters, optimizer, noise generator,
// step, epoch, early-stopping state (best weights included) and history.
// It fails, changing nothing, when the checkpoint is corrupt (see
// checkpoints.Load), was not written by a Trainer, was written with another
// Seed, BatchSize or training-set size, or does not match the task's
// parameters or the optimizer; for a phased task also when the checkpoint's
// phases (names and parameter sets) differ from the task's, and for either
// kind of task when the checkpoint is of the other kind. Run then continues
// from the restored step.
func (t *Trainer) Resume(path string) error {
	c, err := checkpoints.Load(path)
	if err != nil {
		return fmt.Errorf("trainers: resume: %w", err)
	}
	if err := t.restore(c); err != nil {
		return fmt.Errorf("trainers: resume from %s: %w", path, err)
	}
	t.lastCheckpoint = path
	return nil
}

// restore applies c after validating all of it.
func (t *Trainer) restore(c *checkpoints.Checkpoint) error {
	var st runState
	if len(c.Meta.Trainer) == 0 {
		return errors.New("no training-loop state in metadata")
	}
	if err := json.Unmarshal(c.Meta.Trainer, &st); err != nil {
		return fmt.Errorf("training-loop state: %w", err)
	}
	switch {
	case st.Seed != t.cfg.Seed:
		return fmt.Errorf("written with seed %d, config has %d", st.Seed, t.cfg.Seed)
	case st.BatchSize != t.cfg.BatchSize:
		return fmt.Errorf("written with batch size %d, config has %d", st.BatchSize, t.cfg.BatchSize)
	case st.TrainLen != t.n:
		return fmt.Errorf("written for %d training examples, task has %d", st.TrainLen, t.n)
	case c.Meta.Step < 0 || len(st.TrainLoss) != c.Meta.Step/t.stepsPerEpoch || c.Meta.Epoch != len(st.TrainLoss):
		return fmt.Errorf("step %d, epoch %d and %d recorded epochs are inconsistent", c.Meta.Step, c.Meta.Epoch, len(st.TrainLoss))
	}
	if err := t.checkPhaseLayout(st); err != nil {
		return err
	}
	weights, optim, best, err := t.splitTensors(c.Tensors)
	if err != nil {
		return err
	}
	if st.BestWeights != (best != nil) {
		return fmt.Errorf("best weights recorded %v but present %v", st.BestWeights, best != nil)
	}
	rngBytes, err := base64.StdEncoding.DecodeString(c.Meta.RNG)
	if err != nil {
		return fmt.Errorf("rng state: %w", err)
	}
	src := &rand.PCG{}
	if err := src.UnmarshalBinary(rngBytes); err != nil {
		return fmt.Errorf("rng state: %w", err)
	}
	phaseOpts, err := t.restoreOptimizers(c.Meta.Optimizer, st.Phases, optim)
	if err != nil {
		return err
	}
	if !t.restoreBest || t.cfg.Patience == 0 {
		best = nil
	}
	// Everything is valid: commit.
	_ = t.noiseSrc.UnmarshalBinary(rngBytes)
	restoreWeights(t.params, weights)
	t.step = c.Meta.Step
	t.trainLoss, t.valLoss = st.TrainLoss, st.ValLoss
	t.epochLossSum, t.epochSamples = st.EpochLossSum, st.EpochSamples
	t.es = earlyStop{best: st.BestValLoss, bestEpoch: st.BestEpoch, wait: st.Wait, stopped: st.StoppedEarly, bestWeights: best}
	t.commitPhases(phaseOpts, st.Phases)
	t.lastSaved = t.step
	t.releaseDevice()
	return nil
}

// splitTensors sorts checkpoint tensors into parameter values (aligned with
// t.params), optimizer moments (prefix removed) and best weights (aligned, or
// nil when absent), checking names and shapes against the parameters.
func (t *Trainer) splitTensors(ts []checkpoints.Tensor) (weights [][]float32, optim []checkpoints.Tensor, best [][]float32, err error) {
	index := map[string]int{}
	for i, p := range t.params {
		index[p.Name] = i
	}
	weights = make([][]float32, len(t.params))
	bestSeen := make([][]float32, len(t.params))
	nBest := 0
	match := func(tn checkpoints.Tensor, name string) (int, error) {
		i, ok := index[name]
		if !ok {
			return 0, fmt.Errorf("tensor %q matches no parameter", tn.Name)
		}
		if !slices.Equal(tn.Shape, t.params[i].Shape) {
			return 0, fmt.Errorf("tensor %q has shape %v, parameter %q has %v", tn.Name, tn.Shape, name, t.params[i].Shape)
		}
		return i, nil
	}
	for _, tn := range ts {
		switch {
		case strings.HasPrefix(tn.Name, optimPrefix):
			rest := strings.TrimPrefix(tn.Name, optimPrefix)
			pname, err := t.optimParam(tn.Name, rest)
			if err != nil {
				return nil, nil, nil, err
			}
			if _, err := match(tn, pname); err != nil {
				return nil, nil, nil, err
			}
			optim = append(optim, checkpoints.Tensor{Name: rest, Shape: tn.Shape, Data: tn.Data})
		case strings.HasPrefix(tn.Name, bestPrefix):
			i, err := match(tn, strings.TrimPrefix(tn.Name, bestPrefix))
			if err != nil {
				return nil, nil, nil, err
			}
			bestSeen[i] = tn.Data
			nBest++
		default:
			i, err := match(tn, tn.Name)
			if err != nil {
				return nil, nil, nil, err
			}
			weights[i] = tn.Data
		}
	}
	for i, w := range weights {
		if w == nil {
			return nil, nil, nil, fmt.Errorf("no tensor for parameter %q", t.params[i].Name)
		}
	}
	if nBest > 0 {
		if nBest != len(t.params) {
			return nil, nil, nil, fmt.Errorf("best weights cover %d of %d parameters", nBest, len(t.params))
		}
		best = bestSeen
	}
	return weights, optim, best, nil
}
