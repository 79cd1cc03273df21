package sweeprun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/sweep"
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
	cfg, err := r.opts.Load(append(append([]string{}, r.spec.Set...), t.Params.Sets()...))
	if err != nil {
		r.fail(t, err)
		return
	}
	cfg.Device = device
	id, err := r.register(ctx, t, cfg, dir)
	if err != nil {
		r.fail(t, err)
		return
	}
	log.Info("trial", "params", t.Params.String(), "device", device, "out", dir)
	env := trialEnv{spec: r.spec, registry: r.opts.Registry, pruner: r.pruner, log: log,
		progress: r.opts.Progress, update: r.update, history: r.history}
	r.update(env.train(ctx, t, cfg, id, dir))
}

// fail records that trial t failed before its training started.
func (r *runner) fail(t sweep.Trial, err error) {
	t.State, t.Error, t.End = sweep.Failed, err.Error(), time.Now()
	r.update(t)
	r.opts.Log.Warn("trial failed", "trial", t.Number, "params", t.Params.String(), "err", err)
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
