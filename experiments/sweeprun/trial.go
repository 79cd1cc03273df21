package sweeprun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/sweep"
	"github.com/vigil-ml/vigil/trainers"
)

// trialEnv is what training one claimed trial needs; the in-process
// runner and a sweep worker (Work) build one each, so that a trial trains,
// prunes and is recorded the same way in both.
type trialEnv struct {
	spec     Spec
	registry *registry.Registry
	pruner   sweep.Pruner // nil: none
	log      *slog.Logger
	progress io.Writer
	// update receives the trial's state after every epoch; history is
	// what the pruner compares the trial with (the sweep's other trials).
	update  func(sweep.Trial)
	history func() []sweep.Trial
}

// train trains trial t with config cfg in dir, recording into the
// registry row id that the caller claimed, prunes it when the pruner says
// so, finishes the row, and returns the trial in its final state:
// complete with the objective read from dir/metrics.json, pruned, or
// failed (the sweep stopped, the training or the objective failed).
func (e trialEnv) train(ctx context.Context, t sweep.Trial, cfg experiments.Config, id int64, dir string) sweep.Trial {
	sums := map[int][2]float64{} // epoch -> (sum of units' val losses, units)
	var sumMu sync.Mutex
	onEpoch := func(unit string, ep trainers.EpochInfo) error {
		v := ep.TrainLoss
		if ep.HasVal {
			v = ep.ValLoss
		}
		sumMu.Lock()
		s := sums[ep.Epoch+1]
		s[0], s[1] = s[0]+v, s[1]+1
		sums[ep.Epoch+1] = s
		mean := s[0] / s[1]
		t.Report(ep.Epoch+1, mean)
		snapshot := t
		snapshot.Intermediate = cloneMap(t.Intermediate)
		sumMu.Unlock()
		e.update(snapshot)
		if err := e.registry.AddCurve(context.Background(), id, []registry.CurvePoint{{Unit: "epoch", Step: int64(ep.Step),
			Epoch: int64(ep.Epoch + 1), Key: intermediateKey, Value: mean}}); err != nil {
			e.log.Warn("registry curve", "err", err)
		}
		if e.pruner == nil {
			return nil
		}
		prune, err := e.pruner.Prune(snapshot, e.history())
		if err != nil {
			return err
		}
		if prune {
			return fmt.Errorf("%w at epoch %d (mean validation loss %.4g)", errPruned, ep.Epoch+1, mean)
		}
		return nil
	}
	_, runErr := experiments.Run(ctx, cfg, experiments.RunOptions{Out: dir, Log: e.log, Progress: e.progress,
		Registry: e.registry, RunID: id, OnEpoch: onEpoch})
	sumMu.Lock()
	defer sumMu.Unlock()
	t.End = time.Now()
	switch {
	case errors.Is(runErr, errPruned):
		t.State = sweep.Pruned
		e.finish(id, registry.StatusPruned, runErr.Error())
		e.log.Info("trial pruned", "reason", runErr)
	case errors.Is(runErr, context.Canceled):
		// The sweep was stopped: the trial stays for the next invocation
		// to retry from its checkpoints.
		e.finish(id, registry.StatusKilled, "the sweep was stopped")
		t.State, t.Error = sweep.Failed, "the sweep was stopped"
	case runErr != nil:
		e.finish(id, registry.StatusFailed, runErr.Error())
		t.State, t.Error = sweep.Failed, runErr.Error()
		e.log.Warn("trial failed", "err", runErr)
	default:
		v, err := objectiveOf(e.spec, dir)
		if err != nil {
			e.finish(id, registry.StatusFailed, err.Error())
			t.State, t.Error = sweep.Failed, err.Error()
			e.log.Warn("trial failed", "err", err)
			break
		}
		t.State, t.Value = sweep.Complete, v
		e.finish(id, registry.StatusComplete, "")
		e.log.Info("trial done", "objective", e.spec.Objective.Metric, "value", v)
	}
	return t
}

func (e trialEnv) finish(id int64, status registry.Status, text string) {
	if err := e.registry.FinishRun(context.Background(), id, status, text); err != nil {
		e.log.Warn("registry finish", "run", id, "err", err)
	}
}

// objectiveOf reads spec's objective from a finished trial's metrics.json.
func objectiveOf(spec Spec, dir string) (float64, error) {
	b, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if err != nil {
		return 0, err
	}
	m, err := registry.FlattenMetrics(b)
	if err != nil {
		return 0, err
	}
	v, ok := m[spec.Objective.Metric]
	if !ok || math.IsNaN(v) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) > 12 {
			keys = append(keys[:12], "...")
		}
		return 0, fmt.Errorf("objective %q is not a number in metrics.json (keys: %v)", spec.Objective.Metric, keys)
	}
	return v, nil
}

func cloneMap(m map[int]float64) map[int]float64 {
	out := make(map[int]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
