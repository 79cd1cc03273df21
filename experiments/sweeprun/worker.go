package sweeprun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/artifacts"
	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/sweep"
)

// DefaultStaleAfter is WorkerOptions.StaleAfter's default: six missed
// heartbeats (a training run heartbeats every 30 s), with room for
// clocks that disagree by a minute.
const DefaultStaleAfter = 3 * time.Minute

// WorkerOptions are the settings of Work.
type WorkerOptions struct {
	Registry *registry.Registry // required: the registry the sweep was planned in
	Store    artifacts.Store    // required: the store the sweep was planned on
	SweepID  int64
	// Index is the planned trial to run, from 0 to the planned count - 1
	// (a Kubernetes completion index, an AWS Batch array index).
	Index int
	// Device is where the trial trains; "" means "cpu".
	Device string
	// Retries is how many more attempts a trial whose attempt failed (an
	// error, a stopped worker, a reaped dead worker) gets; 0, the
	// default, runs a failed trial never again. Attempt k > 0 of trial i
	// is recorded as trial number k·N + i of the sweep (N the planned
	// count), in the same folder, where it resumes from the checkpoints.
	Retries int
	// StaleAfter is how old a running attempt's last heartbeat must be
	// for the attempt to count as a dead worker's: the worker then reaps
	// it (registry.ReapStale, which marks every run of the registry that
	// stale as failed) and treats it as a failed attempt. 0 means
	// DefaultStaleAfter; keep it well above the 30 s heartbeat period.
	StaleAfter time.Duration
	// NoWait makes a worker that finds the trial running under a live
	// worker return at once. By default (false) it waits until that
	// attempt ends (and returns as if it had run it) or goes stale (and
	// takes the trial over), so that a replacement pod started while the
	// dead one's heartbeat is still fresh does not leave the trial behind.
	NoWait bool
	// Host is recorded as the claiming host; "" means os.Hostname().
	Host     string
	Log      *slog.Logger // nil = discard
	Progress io.Writer    // training progress; nil = none
}

// WorkResult is what became of a worker's trial.
type WorkResult struct {
	// Trial is the trial's last attempt: its Number is the attempt's
	// trial number in the sweep (see WorkerOptions.Retries).
	Trial   sweep.Trial
	Attempt int  // 0 for the planned attempt
	Ran     bool // this worker trained it (else another worker did or does)
}

// worker is one Work call's state.
type worker struct {
	opts  WorkerOptions
	spec  Spec
	n     int // planned trials
	host  string
	cfg   experiments.Config
	raw   json.RawMessage // cfg as JSON, for retry rows
	point sweep.Point
}

// Work runs trial opts.Index of a planned sweep (PlanSweep), as one of
// many independent workers: it reads the sweep's spec from the registry
// and the trial's point and base config from the store, claims the trial,
// trains it as `vigil sweep` does (same config, pruning and records) in
// the store's trial folder, and finishes its registry row.
//
// Work is idempotent. It returns a nil error when the trial ended complete
// or pruned, whether here or under another worker (Ran says which), and
// when another live worker holds it and NoWait is set. It returns an
// error when the trial failed here, or failed before with no retries
// left; a dead worker's attempt is taken over once its heartbeat is
// StaleAfter old. The caller's exit status follows the error, which is
// what Kubernetes' backoffLimitPerIndex and AWS Batch's retry strategy
// read.
func Work(ctx context.Context, opts WorkerOptions) (WorkResult, error) {
	if opts.Registry == nil || opts.Store == nil {
		return WorkResult{}, errors.New("sweeprun: WorkerOptions.Registry and WorkerOptions.Store are required")
	}
	if opts.Device == "" {
		opts.Device = "cpu"
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = DefaultStaleAfter
	}
	if opts.Retries < 0 {
		return WorkResult{}, fmt.Errorf("retries %d is negative", opts.Retries)
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	w, err := newWorker(ctx, opts)
	if err != nil {
		return WorkResult{}, err
	}
	return w.loop(ctx)
}

// newWorker reads the sweep's spec, the trial's point and the base config,
// and builds the trial's config before anything is claimed, so that a
// worker that cannot run the trial leaves it pending.
func newWorker(ctx context.Context, opts WorkerOptions) (*worker, error) {
	sw, err := opts.Registry.GetSweep(ctx, opts.SweepID)
	if err != nil {
		return nil, err
	}
	spec, err := decodeSpec(sw.SpecJSON)
	if err != nil {
		return nil, fmt.Errorf("sweep %d: %w", opts.SweepID, err)
	}
	w := &worker{opts: opts, spec: spec, n: spec.Budget.Trials, host: opts.Host}
	if opts.Index < 0 || opts.Index >= w.n {
		return nil, fmt.Errorf("sweep %d has %d planned trials: no trial %d", opts.SweepID, w.n, opts.Index)
	}
	if w.host == "" {
		w.host, _ = os.Hostname()
	}
	space, err := sweep.Decode(spec.Space)
	if err != nil {
		return nil, err
	}
	base, err := readBase(ctx, opts.Store, opts.SweepID)
	if err != nil {
		return nil, err
	}
	b, err := opts.Store.Get(ctx, TrialPrefix(opts.SweepID, opts.Index)+"/"+pointFile)
	if err != nil {
		return nil, err
	}
	if w.point, err = decodePoint(b, space); err != nil {
		return nil, fmt.Errorf("trial %d: %w", opts.Index, err)
	}
	if w.cfg, err = experiments.Parse(base, append(append([]string{}, spec.Set...), w.point.Sets()...)); err != nil {
		return nil, fmt.Errorf("trial %d (%s): %w", opts.Index, w.point, err)
	}
	w.cfg.Device = opts.Device
	if w.raw, err = json.Marshal(w.cfg); err != nil {
		return nil, err
	}
	return w, nil
}

// loop looks at the trial's last attempt until it is this worker's to
// run, or ended, or (NoWait) held by another worker.
func (w *worker) loop(ctx context.Context) (WorkResult, error) {
	o := w.opts
	poll := max(min(o.StaleAfter/4, 10*time.Second), 10*time.Millisecond)
	for {
		last, err := w.lastAttempt(ctx)
		if err != nil {
			return WorkResult{}, err
		}
		attempt := last.TrialNumber / w.n
		switch last.Status {
		case registry.StatusComplete, registry.StatusPruned:
			t, err := w.trialOf(ctx, last)
			o.Log.Info("trial already done", "trial", o.Index, "attempt", attempt, "status", last.Status)
			return WorkResult{Trial: t, Attempt: attempt}, err
		case registry.StatusPending:
			id, ok, err := o.Registry.ClaimTrial(ctx, o.SweepID, last.TrialNumber, w.host)
			if err != nil {
				return WorkResult{}, err
			}
			if ok {
				return w.run(ctx, id, last.TrialNumber, attempt)
			}
		case registry.StatusRunning:
			if age := time.Since(last.HeartbeatAt); age > o.StaleAfter {
				reaped, err := o.Registry.ReapStale(ctx, o.StaleAfter)
				if err != nil {
					return WorkResult{}, err
				}
				o.Log.Warn("took over a dead worker's trial", "trial", o.Index, "attempt", attempt, "host", last.Host,
					"heartbeat age", age.Round(time.Second), "reaped runs", reaped)
				continue
			}
			if o.NoWait {
				t, err := w.trialOf(ctx, last)
				o.Log.Info("trial taken by another worker", "trial", o.Index, "attempt", attempt, "host", last.Host)
				return WorkResult{Trial: t, Attempt: attempt}, err
			}
			select {
			case <-ctx.Done():
				return WorkResult{}, ctx.Err()
			case <-time.After(poll):
			}
		default: // failed or killed
			if attempt >= o.Retries {
				t, terr := w.trialOf(ctx, last)
				return WorkResult{Trial: t, Attempt: attempt}, errors.Join(fmt.Errorf("trial %d of sweep %d failed (attempt %d; %d retries allowed): %s",
					o.Index, o.SweepID, attempt+1, o.Retries, last.Error), terr)
			}
			next := (attempt+1)*w.n + o.Index
			if _, err := o.Registry.AddTrial(ctx, o.SweepID, next, w.rowInfo()); err != nil {
				// Another worker may have added the retry first.
				if again, aerr := w.lastAttempt(ctx); aerr != nil || again.TrialNumber < next {
					return WorkResult{}, err
				}
			}
		}
	}
}

// rowInfo describes a retry's registry row.
func (w *worker) rowInfo() registry.RunInfo {
	return registry.RunInfo{Name: w.spec.Name, Kind: registry.KindTrial, ConfigJSON: w.raw, Commit: experiments.BuildCommit(),
		Device: w.cfg.Device, OutDir: w.opts.Store.URI(TrialPrefix(w.opts.SweepID, w.opts.Index))}
}

// lastAttempt is the registry row of the trial's latest attempt.
func (w *worker) lastAttempt(ctx context.Context) (registry.Run, error) {
	rows, err := w.opts.Registry.SweepTrials(ctx, w.opts.SweepID)
	if err != nil {
		return registry.Run{}, err
	}
	last, ok := latestAttempts(rows, w.n)[w.opts.Index]
	if !ok {
		return registry.Run{}, fmt.Errorf("sweep %d has no trial %d in the registry (was it planned?)", w.opts.SweepID, w.opts.Index)
	}
	return last, nil
}

// latestAttempts maps each planned trial index to its latest attempt's row.
func latestAttempts(rows []registry.Run, n int) map[int]registry.Run {
	out := map[int]registry.Run{}
	for _, r := range rows {
		i := r.TrialNumber % n
		if prev, ok := out[i]; !ok || r.TrialNumber > prev.TrialNumber {
			out[i] = r
		}
	}
	return out
}

// trialOf rebuilds an attempt as a trial, with its metrics.
func (w *worker) trialOf(ctx context.Context, row registry.Run) (sweep.Trial, error) {
	run, err := w.opts.Registry.GetRun(ctx, row.ID)
	if err != nil {
		return sweep.Trial{}, err
	}
	return trialFromRun(ctx, w.opts.Registry, w.spec, run, w.point)
}

// run trains the claimed attempt (row id, trial number) in the store.
func (w *worker) run(ctx context.Context, id int64, number, attempt int) (WorkResult, error) {
	o := w.opts
	log := o.Log.With("trial", o.Index, "attempt", attempt)
	t := sweep.Trial{Number: number, Params: w.point, State: sweep.Running, Start: time.Now()}
	prefix := TrialPrefix(o.SweepID, o.Index)
	dir, err := o.Store.Checkout(ctx, prefix)
	if err != nil {
		w.finish(ctx, id, err)
		return WorkResult{Trial: t, Attempt: attempt, Ran: true}, err
	}
	if err := o.Registry.SetSweepStatus(ctx, o.SweepID, registry.SweepRunning); err != nil {
		log.Warn("registry sweep status", "err", err)
	}
	log.Info("trial", "params", w.point.String(), "device", w.cfg.Device, "out", dir)
	env := trialEnv{spec: w.spec, registry: o.Registry, pruner: w.spec.pruner(), log: log, progress: o.Progress,
		update: func(sweep.Trial) {}, history: func() []sweep.Trial { return w.history(ctx) }}
	t = env.train(ctx, t, w.cfg, id, dir)
	res := WorkResult{Trial: t, Attempt: attempt, Ran: true}
	err = o.Store.Commit(context.WithoutCancel(ctx), prefix, dir)
	w.markSweepDone(context.WithoutCancel(ctx))
	if t.State == sweep.Failed {
		err = errors.Join(fmt.Errorf("trial %d of sweep %d failed (attempt %d): %s", o.Index, o.SweepID, attempt+1, t.Error), err, ctx.Err())
	}
	return res, err
}

// finish fails a claimed attempt that could not start training.
func (w *worker) finish(ctx context.Context, id int64, cause error) {
	if err := w.opts.Registry.FinishRun(context.WithoutCancel(ctx), id, registry.StatusFailed, cause.Error()); err != nil {
		w.opts.Log.Warn("registry finish", "run", id, "err", err)
	}
}

// history is the sweep's trials as the registry has them (states and
// pruning figures, no points), for the pruner; nil when unreadable.
func (w *worker) history(ctx context.Context) []sweep.Trial {
	rows, err := w.opts.Registry.SweepTrials(ctx, w.opts.SweepID)
	if err != nil {
		w.opts.Log.Warn("pruner history", "err", err)
		return nil
	}
	var out []sweep.Trial
	for _, r := range rows {
		if r.Status == registry.StatusPending {
			continue
		}
		t := sweep.Trial{Number: r.TrialNumber, State: stateOf(r.Status)}
		curve, err := w.opts.Registry.Curve(ctx, r.ID, intermediateKey)
		if err != nil {
			w.opts.Log.Warn("pruner history", "err", err)
			return nil
		}
		for _, p := range curve {
			t.Report(int(p.Epoch), p.Value)
		}
		out = append(out, t)
	}
	return out
}

// markSweepDone marks the sweep complete once every planned trial's
// latest attempt has ended (a retry marks it running again).
func (w *worker) markSweepDone(ctx context.Context) {
	rows, err := w.opts.Registry.SweepTrials(ctx, w.opts.SweepID)
	if err != nil {
		w.opts.Log.Warn("registry sweep status", "err", err)
		return
	}
	last := latestAttempts(rows, w.n)
	for i := range w.n {
		if r, ok := last[i]; !ok || r.Status == registry.StatusPending || r.Status == registry.StatusRunning {
			return
		}
	}
	if err := w.opts.Registry.SetSweepStatus(ctx, w.opts.SweepID, registry.SweepComplete); err != nil {
		w.opts.Log.Warn("registry sweep status", "err", err)
	}
}
