package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// Evaluate re-scores a finished run from its checkpoints without training:
// it reads runDir/config.json, lets the task reload its data (reusing what
// the run wrote, such as embeddings) and each unit's final model, and
// writes metrics.json and report.html to opts.Out.
func Evaluate(ctx context.Context, runDir string, opts RunOptions) (*Result, error) {
	opts.defaults()
	start := time.Now()
	raw, err := os.ReadFile(filepath.Join(runDir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("eval: %w (is %s a run directory?)", err, runDir)
	}
	cfg, err := parse(raw, nil, false)
	if err != nil {
		return nil, fmt.Errorf("eval: %s/config.json: %w", runDir, err)
	}
	return evaluate(ctx, cfg, runDir, opts, start)
}

// EvaluateOn scores runDir's saved models on the data cfg describes (the
// run's own config with, typically, other data: a champion model on a
// new window), writing metrics.json and report.html to opts.Out. cfg must
// name the run's task and model, with the same model section.
func EvaluateOn(ctx context.Context, runDir string, cfg Config, opts RunOptions) (*Result, error) {
	opts.defaults()
	start := time.Now()
	raw, err := os.ReadFile(filepath.Join(runDir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("eval: %w (is %s a run directory?)", err, runDir)
	}
	run, err := parse(raw, nil, false)
	if err != nil {
		return nil, fmt.Errorf("eval: %s/config.json: %w", runDir, err)
	}
	a, _ := json.Marshal(run.Model)
	b, _ := json.Marshal(cfg.Model)
	if run.Task != cfg.Task || run.Kind != cfg.Kind || string(a) != string(b) {
		return nil, fmt.Errorf("eval: %s holds a %s/%s model of another configuration than the data's config (%s/%s)", runDir, run.Task, run.Kind, cfg.Task, cfg.Kind)
	}
	return evaluate(ctx, cfg, runDir, opts, start)
}

// evaluate scores runDir's saved models on cfg's data.
func evaluate(ctx context.Context, cfg Config, runDir string, opts RunOptions, start time.Time) (*Result, error) {
	x, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	if opts.factory, err = runnerFactory(cfg, "cpu", opts.Log); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	env := x.env(opts.Out, start, opts.Log)
	env.From = runDir
	env.Device, env.Factory, env.Progress = "cpu", opts.factory, opts.Progress
	if ft, ok := x.task.(tasks.FitTask); ok {
		if err := writeJSON(filepath.Join(opts.Out, "config.json"), cfg); err != nil {
			return nil, err
		}
		ev, err := ft.Rescore(ctx, cfg.Sections, env)
		if err != nil {
			return nil, err
		}
		return finishFit(ev, opts.Out)
	}
	ut, ok := x.task.(tasks.UnitTask)
	if !ok {
		return nil, fmt.Errorf("task %s is neither a unit task nor a fit task", cfg.Task)
	}
	data, err := ut.Load(ctx, cfg.Sections, env)
	if err != nil {
		return nil, err
	}
	env.Model = x.reload(data, runDir, opts.factory)
	var results []tasks.Result
	for i, name := range data.Units() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		u, err := data.Unit(i)
		if err != nil {
			return nil, err
		}
		r, err := x.rescore(i, name, u, data.Input(), runDir, opts)
		if err != nil {
			return nil, err
		}
		results = append(results, r)
		opts.Log.Info("unit scored", "unit", name, "checkpoint", r.Checkpoint)
	}
	if err := writeJSON(filepath.Join(opts.Out, "scores.json"), results); err != nil {
		return nil, err
	}
	return finish(ctx, data, results, env)
}

// rescore scores unit i's sets with its saved model.
func (x *experiment) rescore(i int, name string, u tasks.Unit, in models.Input, runDir string, opts RunOptions) (tasks.Result, error) {
	m, path, err := x.load(i, name, in, runDir)
	if err != nil {
		return tasks.Result{}, err
	}
	s, err := m.Scorer(tasks.ScoreBatch(x.cfg.Sections), opts.factory)
	if err != nil {
		return tasks.Result{}, err
	}
	defer s.Close()
	r := tasks.Result{Name: name, Checkpoint: path, Params: m.Registry().Count()}
	// The training history, for the report's loss curves, is the run's.
	if b, err := os.ReadFile(unitFile(runDir, name)); err == nil {
		var trained tasks.Result
		if json.Unmarshal(b, &trained) == nil {
			r.TrainLoss, r.ValLoss, r.Steps = trained.TrainLoss, trained.ValLoss, trained.Steps
		}
	}
	r.Scores, err = scoreSets(s, u.Sets)
	return r, err
}

// load creates unit i's model for examples of in with the weights saved in runDir.
func (x *experiment) load(i int, name string, in models.Input, runDir string) (models.Model, string, error) {
	m, err := x.newModel(i, in)
	if err != nil {
		return nil, "", err
	}
	path, err := loadLatestWeights(filepath.Join(runDir, "models", name), m.Registry())
	return m, path, err
}

// reload is tasks.Env.Model for a run directory.
func (x *experiment) reload(data tasks.Data, runDir string, factory graph.RunnerFactory) func(int) (models.Scorer, error) {
	return func(i int) (models.Scorer, error) {
		names := data.Units()
		if i < 0 || i >= len(names) {
			return nil, fmt.Errorf("no unit %d", i)
		}
		m, _, err := x.load(i, names[i], data.Input(), runDir)
		if err != nil {
			return nil, err
		}
		return m.Scorer(tasks.ScoreBatch(x.cfg.Sections), factory)
	}
}

// loadLatestWeights copies the newest checkpoint's weights in dir into reg's
// parameters, checking that every parameter is present with its shape.
func loadLatestWeights(dir string, reg *graph.Registry) (string, error) {
	path, ok, err := checkpoints.Latest(dir)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("eval: no checkpoint in %s", dir)
	}
	c, err := checkpoints.Load(path)
	if err != nil {
		return "", err
	}
	return path, copyWeights(c, path, reg)
}

// copyWeights copies checkpoint c's (read from path) weights into reg's
// parameters, checking that every parameter is present with its size.
func copyWeights(c *checkpoints.Checkpoint, path string, reg *graph.Registry) error {
	byName := map[string]checkpoints.Tensor{}
	for _, t := range c.Tensors {
		byName[t.Name] = t
	}
	for _, p := range reg.Params() {
		t, ok := byName[p.Name]
		if !ok {
			return fmt.Errorf("eval: checkpoint %s has no tensor %q", path, p.Name)
		}
		if len(t.Data) != p.Size() {
			return fmt.Errorf("eval: checkpoint %s: %q has %d values, model wants %v", path, p.Name, len(t.Data), p.Shape)
		}
		copy(p.Data(), t.Data)
	}
	return nil
}

// SummaryVocab is the vocabulary WriteModelSummary assumes for a task whose
// vocabulary is known only from its data (ADFA-LD's syscall numbers: 341).
const SummaryVocab = 341

// WriteModelSummary prints the layer table of cfg's model.
func WriteModelSummary(w io.Writer, cfg Config) error {
	x, err := resolve(cfg)
	if err != nil {
		return err
	}
	in := x.in
	if in.Vocab == 0 && len(in.IntShape) > 0 {
		in.Vocab = SummaryVocab
	}
	m, err := x.newModel(0, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s (task %s): ", cfg.Name, cfg.Task)
	return m.WriteSummary(w)
}
