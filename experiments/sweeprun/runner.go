package sweeprun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
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

// Options are a sweep's per-invocation settings.
type Options struct {
	Out      string             // the sweep's folder: sweep.json, trials.csv, trial-NNNN/
	Registry *registry.Registry // required: trials, their metrics and curves
	// Load builds a trial's experiment config from the base config and
	// overrides (the CLI resolves file paths and embedded names).
	Load func(sets []string) (experiments.Config, error)
	Log  *slog.Logger // nil = discard
	// Progress receives each trial's training progress; nil = none.
	Progress io.Writer
}

// errPruned stops a trial's training when the pruner says so.
var errPruned = errors.New("pruned")

// intermediateKey is the curve holding a trial's pruning figure per epoch.
const intermediateKey = "sweep/mean_val_loss"

// runner is one sweep invocation's state.
type runner struct {
	spec    Spec
	opts    Options
	space   *sweep.Space
	sampler sweep.Sampler
	pruner  sweep.Pruner
	sweepID int64

	mu      sync.Mutex
	trials  []sweep.Trial // every trial so far, by number
	retry   []sweep.Point // points of trials a killed sweep left running, to run again
	retryAt []string      // their folders (checkpoints resume)
	retried map[int]bool  // numbers of trials queued again (not counted against the budget)
	started int           // trials started by this invocation
}

// Run runs (or resumes) the sweep spec in opts.Out and returns its trials.
func Run(ctx context.Context, spec Spec, opts Options) ([]sweep.Trial, error) {
	if opts.Registry == nil || opts.Load == nil {
		return nil, errors.New("sweeprun: Options.Registry and Options.Load are required")
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	space, err := sweep.Decode(spec.Space)
	if err != nil {
		return nil, err
	}
	r := &runner{spec: spec, opts: opts, space: space, pruner: spec.pruner(),
		retried: map[int]bool{}}
	if r.sampler, err = spec.sampler(space); err != nil {
		return nil, err
	}
	if err := r.checkFirstPoint(); err != nil {
		return nil, err
	}
	if err := r.open(ctx); err != nil {
		return nil, err
	}
	err = r.loop(ctx)
	status := registry.SweepComplete
	if err != nil {
		status = registry.SweepFailed
		if errors.Is(err, context.Canceled) {
			status = registry.SweepKilled
		}
	}
	if serr := opts.Registry.SetSweepStatus(context.WithoutCancel(ctx), r.sweepID, status); serr != nil {
		opts.Log.Warn("registry sweep status", "err", serr)
	}
	if werr := writeTrialsCSV(filepath.Join(opts.Out, "trials.csv"), r.space, r.trials); werr != nil && err == nil {
		err = werr
	}
	if werr := writeReport(opts.Out, spec, r.space, r.trials); werr != nil && err == nil {
		err = werr
	}
	return r.trials, err
}

// checkFirstPoint builds one sampled config before anything runs, so that
// a key the experiment config does not have fails the sweep at once.
func (r *runner) checkFirstPoint() error {
	pt, err := sweep.NewRandom(r.space).Sample(nil, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		return err
	}
	if _, err := r.opts.Load(append(append([]string{}, r.spec.Set...), pt.Sets()...)); err != nil {
		return fmt.Errorf("a sampled trial (%s) does not make a valid config: %w", pt, err)
	}
	return nil
}

// loop starts trials on free devices until the budget or the space is spent.
func (r *runner) loop(ctx context.Context) error {
	slots := make(chan string, r.spec.Workers)
	var devices []string
	for _, d := range r.spec.Devices {
		for range r.spec.PerDevice {
			devices = append(devices, d)
		}
	}
	for i := 0; i < r.spec.Workers; i++ {
		slots <- devices[i%len(devices)]
	}
	deadline := r.spec.deadline(time.Now())
	var wg sync.WaitGroup
	var firstErr error
	var errMu sync.Mutex
	for {
		var device string
		select {
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		case device = <-slots:
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			r.opts.Log.Info("sweep: time budget spent", "time", r.spec.Budget.Time)
			break
		}
		t, dir, ok, err := r.next()
		if err != nil {
			errMu.Lock()
			firstErr = err
			errMu.Unlock()
			break
		}
		if !ok {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.runTrial(ctx, t, dir, device)
			slots <- device
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return firstErr
}

// next claims the next trial: a retry of an interrupted one, or a new
// point from the sampler; ok is false when the budget or space is spent.
func (r *runner) next() (sweep.Trial, string, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := r.spec.Budget.Trials; n > 0 && len(r.trials)-len(r.retried) >= n && len(r.retry) == 0 {
		return sweep.Trial{}, "", false, nil
	}
	var pt sweep.Point
	var dir string
	if len(r.retry) > 0 {
		pt, dir = r.retry[0], r.retryAt[0]
		r.retry, r.retryAt = r.retry[1:], r.retryAt[1:]
	} else {
		var err error
		// Each trial number has its own random stream, so that a resumed
		// sweep draws what the uninterrupted one would have.
		pt, err = r.sampler.Sample(r.trials, rand.New(rand.NewPCG(r.spec.Seed, uint64(len(r.trials)))))
		if errors.Is(err, sweep.ErrExhausted) {
			return sweep.Trial{}, "", false, nil
		}
		if err != nil {
			return sweep.Trial{}, "", false, err
		}
	}
	t := sweep.Trial{Number: len(r.trials), Params: pt, State: sweep.Running, Start: time.Now()}
	if dir == "" {
		dir = filepath.Join(r.opts.Out, fmt.Sprintf("trial-%04d", t.Number))
	}
	r.trials = append(r.trials, t)
	r.started++
	return t, dir, true, nil
}

// update stores t's new state under the lock.
func (r *runner) update(t sweep.Trial) {
	r.mu.Lock()
	r.trials[t.Number] = t
	r.mu.Unlock()
}

// history is a snapshot of the trials for the pruner.
func (r *runner) history() []sweep.Trial {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sweep.Trial(nil), r.trials...)
}

// runTrial trains trial t in dir on device and records its outcome.
func (r *runner) runTrial(ctx context.Context, t sweep.Trial, dir, device string) {
	log := r.opts.Log.With("trial", t.Number)
	fail := func(err error) {
		t.State, t.Error, t.End = sweep.Failed, err.Error(), time.Now()
		r.update(t)
		log.Warn("trial failed", "params", t.Params.String(), "err", err)
	}
	cfg, err := r.opts.Load(append(append([]string{}, r.spec.Set...), t.Params.Sets()...))
	if err != nil {
		fail(err)
		return
	}
	cfg.Device = device
	id, err := r.register(ctx, t, cfg, dir)
	if err != nil {
		fail(err)
		return
	}
	log.Info("trial", "params", t.Params.String(), "device", device, "out", dir)
	sums := map[int][2]float64{} // epoch -> (sum of units' val losses, units)
	var sumMu sync.Mutex
	onEpoch := func(unit string, e trainers.EpochInfo) error {
		v := e.TrainLoss
		if e.HasVal {
			v = e.ValLoss
		}
		sumMu.Lock()
		s := sums[e.Epoch+1]
		s[0], s[1] = s[0]+v, s[1]+1
		sums[e.Epoch+1] = s
		mean := s[0] / s[1]
		t.Report(e.Epoch+1, mean)
		snapshot := t
		snapshot.Intermediate = cloneMap(t.Intermediate)
		sumMu.Unlock()
		r.update(snapshot)
		if err := r.opts.Registry.AddCurve(context.Background(), id, []registry.CurvePoint{{Unit: "epoch", Step: int64(e.Step),
			Epoch: int64(e.Epoch + 1), Key: intermediateKey, Value: mean}}); err != nil {
			log.Warn("registry curve", "err", err)
		}
		if r.pruner == nil {
			return nil
		}
		prune, err := r.pruner.Prune(snapshot, r.history())
		if err != nil {
			return err
		}
		if prune {
			return fmt.Errorf("%w at epoch %d (mean validation loss %.4g)", errPruned, e.Epoch+1, mean)
		}
		return nil
	}
	_, runErr := experiments.Run(ctx, cfg, experiments.RunOptions{Out: dir, Log: log, Progress: r.opts.Progress,
		Registry: r.opts.Registry, RunID: id, OnEpoch: onEpoch})
	sumMu.Lock()
	defer sumMu.Unlock()
	t.End = time.Now()
	switch {
	case errors.Is(runErr, errPruned):
		t.State = sweep.Pruned
		r.finish(id, registry.StatusPruned, runErr.Error())
		log.Info("trial pruned", "reason", runErr)
	case errors.Is(runErr, context.Canceled):
		// The sweep was stopped: the trial stays for the next invocation
		// to retry from its checkpoints.
		r.finish(id, registry.StatusKilled, "the sweep was stopped")
		t.State, t.Error = sweep.Failed, "the sweep was stopped"
	case runErr != nil:
		r.finish(id, registry.StatusFailed, runErr.Error())
		t.State, t.Error = sweep.Failed, runErr.Error()
		log.Warn("trial failed", "err", runErr)
	default:
		v, err := r.objective(dir)
		if err != nil {
			r.finish(id, registry.StatusFailed, err.Error())
			t.State, t.Error = sweep.Failed, err.Error()
			log.Warn("trial failed", "err", err)
			break
		}
		t.State, t.Value = sweep.Complete, v
		r.finish(id, registry.StatusComplete, "")
		log.Info("trial done", "objective", r.spec.Objective.Metric, "value", v)
	}
	r.update(t)
}

// register records trial t (config cfg) as a claimed sweep trial and
// writes its point to dir/point.json, where a resumed sweep reads it back.
func (r *runner) register(ctx context.Context, t sweep.Trial, cfg experiments.Config, dir string) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	b, err := json.Marshal(t.Params)
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "point.json"), b, 0o644); err != nil {
		return 0, err
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		return 0, err
	}
	out, _ := filepath.Abs(dir)
	host, _ := os.Hostname()
	if _, err := r.opts.Registry.AddTrial(ctx, r.sweepID, t.Number, registry.RunInfo{Name: r.spec.Name, Kind: registry.KindTrial,
		ConfigJSON: raw, Commit: experiments.BuildCommit(), Device: cfg.Device, Host: host, OutDir: out}); err != nil {
		return 0, err
	}
	id, ok, err := r.opts.Registry.ClaimTrial(ctx, r.sweepID, t.Number, host)
	if err == nil && !ok {
		err = fmt.Errorf("trial %d was claimed by another worker", t.Number)
	}
	return id, err
}

func (r *runner) finish(id int64, status registry.Status, text string) {
	if err := r.opts.Registry.FinishRun(context.Background(), id, status, text); err != nil {
		r.opts.Log.Warn("registry finish", "run", id, "err", err)
	}
}

// objective reads the objective's figure from a finished trial's metrics.json.
func (r *runner) objective(dir string) (float64, error) {
	b, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if err != nil {
		return 0, err
	}
	m, err := registry.FlattenMetrics(b)
	if err != nil {
		return 0, err
	}
	v, ok := m[r.spec.Objective.Metric]
	if !ok || math.IsNaN(v) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) > 12 {
			keys = append(keys[:12], "...")
		}
		return 0, fmt.Errorf("objective %q is not a number in metrics.json (keys: %v)", r.spec.Objective.Metric, keys)
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
