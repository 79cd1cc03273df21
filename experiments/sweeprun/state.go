package sweeprun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/sweep"
)

// state is sweep.json in the sweep's folder: which registry sweep the
// folder belongs to, and the spec it was started with.
type state struct {
	SweepID  int64  `json:"sweep_id"`
	Name     string `json:"name"`
	SpecHash string `json:"spec_hash"`
}

// specHash identifies what a sweep searches: its name, base config,
// fixed overrides, space, sampler, objective and seed. The budget, the
// pruner, the workers and the devices may change between invocations
// (a sweep can be resumed with a larger budget, or on other machines).
func specHash(s Spec) (string, []byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return "", nil, err
	}
	key := Spec{Name: s.Name, Base: s.Base, Set: s.Set, Space: s.Space, Sampler: s.Sampler, Objective: s.Objective, Seed: s.Seed}
	k, err := json.Marshal(key)
	if err != nil {
		return "", nil, err
	}
	h := sha256.Sum256(k)
	return hex.EncodeToString(h[:]), b, nil
}

// open starts the sweep in the registry, or resumes the one the folder
// holds: finished trials are kept, and trials a killed sweep left running
// (or pending) are marked failed and queued to run again in their own
// folders, from their checkpoints.
func (r *runner) open(ctx context.Context) error {
	if err := os.MkdirAll(r.opts.Out, 0o755); err != nil {
		return err
	}
	hash, raw, err := specHash(r.spec)
	if err != nil {
		return err
	}
	path := filepath.Join(r.opts.Out, "sweep.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		dir := registry.Maximize
		if r.spec.Objective.Direction == sweep.Minimize {
			dir = registry.Minimize
		}
		if r.sweepID, err = r.opts.Registry.CreateSweep(ctx, registry.SweepInfo{Name: r.spec.Name, SpecJSON: raw,
			Objective: r.spec.Objective.Metric, Direction: dir}); err != nil {
			return err
		}
		b, err := json.MarshalIndent(state{SweepID: r.sweepID, Name: r.spec.Name, SpecHash: hash}, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(path, append(b, '\n'), 0o644)
	}
	if err != nil {
		return err
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if st.SpecHash != hash {
		return fmt.Errorf("%s holds sweep %q with another spec; use another --out, or remove it", r.opts.Out, st.Name)
	}
	if _, err := r.opts.Registry.GetSweep(ctx, st.SweepID); err != nil {
		return fmt.Errorf("%s: sweep %d is not in this registry (was it run against another one?): %w", r.opts.Out, st.SweepID, err)
	}
	r.sweepID = st.SweepID
	if err := r.opts.Registry.SetSweepStatus(ctx, r.sweepID, registry.SweepRunning); err != nil {
		return err
	}
	return r.resume(ctx)
}

// resume loads the sweep's trials from the registry and their folders.
func (r *runner) resume(ctx context.Context) error {
	rows, err := r.opts.Registry.SweepTrials(ctx, r.sweepID)
	if err != nil {
		return err
	}
	for _, row := range rows {
		run, err := r.opts.Registry.GetRun(ctx, row.ID)
		if err != nil {
			return err
		}
		if run.TrialNumber != len(r.trials) {
			return fmt.Errorf("sweep %d: trial %d where %d was expected", r.sweepID, run.TrialNumber, len(r.trials))
		}
		b, err := os.ReadFile(filepath.Join(run.OutDir, "point.json"))
		if err != nil {
			return fmt.Errorf("trial %d: %w", run.TrialNumber, err)
		}
		pt, err := decodePoint(b, r.space)
		if err != nil {
			return fmt.Errorf("trial %d: %w", run.TrialNumber, err)
		}
		t, err := trialFromRun(ctx, r.opts.Registry, r.spec, run, pt)
		if err != nil {
			return err
		}
		switch run.Status {
		case registry.StatusComplete, registry.StatusPruned, registry.StatusFailed:
		default: // running, pending or killed: the sweep stopped while it ran
			if run.Status == registry.StatusRunning || run.Status == registry.StatusPending {
				if err := r.opts.Registry.FinishRun(ctx, run.ID, registry.StatusFailed, "the sweep stopped while it ran"); err != nil &&
					!errors.Is(err, registry.ErrNotRunning) {
					return err
				}
			}
			t.State, t.Error = sweep.Failed, "the sweep stopped while it ran; run again"
			r.retry = append(r.retry, pt)
			r.retryAt = append(r.retryAt, run.OutDir)
			r.retried[t.Number] = true
		}
		r.trials = append(r.trials, t)
	}
	r.opts.Log.Info("sweep resumed", "sweep", r.sweepID, "trials", len(r.trials), "to retry", len(r.retry))
	return nil
}

// trialFromRun rebuilds a recorded trial of spec's sweep from its registry
// row (from GetRun, so that it holds the metrics) and its point: number,
// times, error, pruning figure per epoch and state. A complete trial
// takes the objective from the row's metrics; a killed one is failed;
// pending and running ones are running.
func trialFromRun(ctx context.Context, reg *registry.Registry, spec Spec, run registry.Run, pt sweep.Point) (sweep.Trial, error) {
	t := sweep.Trial{Number: run.TrialNumber, Params: pt, Start: run.StartedAt, End: run.EndedAt, Error: run.Error}
	curve, err := reg.Curve(ctx, run.ID, intermediateKey)
	if err != nil {
		return sweep.Trial{}, err
	}
	for _, p := range curve {
		t.Report(int(p.Epoch), p.Value)
	}
	t.State = stateOf(run.Status)
	if t.State == sweep.Complete {
		v, ok := run.Metrics[spec.Objective.Metric]
		if !ok {
			return sweep.Trial{}, fmt.Errorf("trial %d is complete but has no %q", t.Number, spec.Objective.Metric)
		}
		t.Value = v
	}
	return t, nil
}

// stateOf maps a trial row's status to the trial's state: killed is
// failed, pending and running are running.
func stateOf(s registry.Status) sweep.State {
	switch s {
	case registry.StatusComplete:
		return sweep.Complete
	case registry.StatusPruned:
		return sweep.Pruned
	case registry.StatusFailed, registry.StatusKilled:
		return sweep.Failed
	}
	return sweep.Running
}
