package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// RunOptions are the per-invocation settings of Run and Evaluate.
type RunOptions struct {
	Out      string       // output directory (created)
	Log      *slog.Logger // nil = discard
	Progress io.Writer    // progress bars or log lines; nil = none
	// Registry records the run (its start, heartbeats, epoch losses,
	// metrics, artefacts and end); nil records nothing.
	Registry *registry.Registry
	// Kind is the registry kind of the run's row (default registry.KindRun).
	Kind registry.Kind
	// RunID is a registry row the caller started and will finish (a
	// sweep's trial): the run records into it instead of starting one.
	RunID int64
	// OnEpoch, when set, is called after every epoch of every unit; an
	// error stops the run with that error (how a sweep prunes a trial).
	OnEpoch func(unit string, e trainers.EpochInfo) error

	factory graph.RunnerFactory // how model graphs run (set from the config)
	device  string              // where they run: "cpu" or "cuda:N"
	rec     *recorder           // the run's registry row, when recorded
}

func (o *RunOptions) defaults() {
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
}

// Result is what Run and Evaluate return.
type Result struct {
	Out     string
	Metrics any // the task's metrics, as written to metrics.json
	summary string
}

// Summary is a short plain-text table of the results.
func (r *Result) Summary() string {
	return r.summary + fmt.Sprintf("report: %s/report.html, metrics: %s/metrics.json\n", r.Out, r.Out)
}

// experiment is a config resolved against the registry.
type experiment struct {
	cfg    Config
	task   tasks.Task
	family models.Family
	in     models.Input
}

func resolve(cfg Config) (*experiment, error) {
	reg, err := newPlugins()
	if err != nil {
		return nil, err
	}
	task, family, in, err := cfg.resolve(reg)
	if err != nil {
		return nil, err
	}
	return &experiment{cfg: cfg, task: task, family: family, in: in}, nil
}

// Run loads the task's data, trains one model per unit (users, or one
// global unit), scores the task's sets, evaluates them with the task's
// protocol and baselines and writes metrics.json, report.html with plots,
// per-unit scores and checkpoints under opts.Out.
func Run(ctx context.Context, cfg Config, opts RunOptions) (*Result, error) {
	opts.defaults()
	start := time.Now()
	x, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	device, err := resolveDevice(ctx, cfg.Device, opts.Log)
	if err != nil {
		return nil, err
	}
	if opts.factory, err = runnerFactory(cfg, device, opts.Log); err != nil {
		return nil, err
	}
	opts.device = device
	resumed, err := checkResumable(opts.Out, cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	rec, err := startRecord(ctx, cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	opts.rec = rec
	res, err := x.run(ctx, cfg, opts, start, resumed)
	rec.finish(opts.Out, err)
	return res, err
}

// run is Run after the device, the output directory and the registry row
// are settled.
func (x *experiment) run(ctx context.Context, cfg Config, opts RunOptions, start time.Time, resumed bool) (*Result, error) {
	if err := writeJSON(filepath.Join(opts.Out, "config.json"), cfg); err != nil {
		return nil, err
	}
	opts.Log.Info("experiment", "task", cfg.Task, "model", cfg.Kind, "device", opts.device, "executor", cfg.Executor, "resuming", resumed)
	env := x.env(opts.Out, start, opts.Log)
	env.Device, env.Factory, env.Progress = opts.device, opts.factory, opts.Progress
	var data tasks.Data
	var err error
	switch t := x.task.(type) {
	case tasks.FitTask:
		ev, err := t.Fit(ctx, cfg.Sections, env)
		if err != nil {
			return nil, err
		}
		return finishFit(ev, env.Out)
	case tasks.UnitTask:
		if data, err = t.Load(ctx, cfg.Sections, env); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("task %s is neither a unit task nor a fit task", cfg.Task)
	}
	results, err := trainAll(ctx, x, data, opts)
	if err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(opts.Out, "scores.json"), results); err != nil {
		return nil, err
	}
	env.Model = x.reload(data, opts.Out, opts.factory)
	return finish(ctx, data, results, env)
}

// env is the task's environment for a run writing to out.
func (x *experiment) env(out string, start time.Time, log *slog.Logger) tasks.Env {
	return tasks.Env{Name: x.cfg.Name, Kind: x.cfg.Kind, Seed: x.cfg.Seed, Out: out, Start: start, Log: log}
}

// finish evaluates the results and writes metrics.json.
func finish(ctx context.Context, data tasks.Data, results []tasks.Result, env tasks.Env) (*Result, error) {
	ev, err := data.Evaluate(ctx, results, env)
	if err != nil {
		return nil, err
	}
	return finishFit(ev, env.Out)
}

// finishFit writes an evaluation's metrics.json and the report's plots as
// TensorBoard images.
func finishFit(ev tasks.Evaluation, out string) (*Result, error) {
	if err := writeJSON(filepath.Join(out, "metrics.json"), ev.Metrics); err != nil {
		return nil, err
	}
	if err := writeReportImages(out); err != nil {
		return nil, err
	}
	return &Result{Out: out, Metrics: ev.Metrics, summary: ev.Summary}, nil
}

func last(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[len(xs)-1]
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
