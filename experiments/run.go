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

	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/baseline"
	"github.com/vigil-ml/vigil/graph"
)

// RunOptions are the per-invocation settings of Run and Evaluate.
type RunOptions struct {
	Out      string       // output directory (created)
	Log      *slog.Logger // nil = discard
	Progress io.Writer    // progress bars or log lines; nil = none

	factory graph.RunnerFactory // how model graphs run (set from the config)
	device  string              // where they run: "cpu" or "cuda:N"
}

func (o *RunOptions) defaults() {
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
}

// Run trains one model per user, scores the test blocks, evaluates the model
// and the naive Bayes baseline on the SEA protocol and writes metrics.json,
// report.html with plots, per-user scores and checkpoints under opts.Out.
func Run(ctx context.Context, cfg Config, opts RunOptions) (*Result, error) {
	opts.defaults()
	start := time.Now()
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
	if err := writeJSON(filepath.Join(opts.Out, "config.json"), cfg); err != nil {
		return nil, err
	}
	sea, err := loadData(cfg.Data, cfg.Seed)
	if err != nil {
		return nil, err
	}
	blocks, users := sea.MasqueradeCount()
	opts.Log.Info("data loaded", "users", len(sea.Users), "masquerade_blocks", blocks, "users_with_masquerades", users, "device", device, "executor", cfg.Executor, "resuming", resumed)
	table, err := trainEmbeddings(cfg, sea, opts.Out, opts.Log)
	if err != nil {
		return nil, err
	}
	results, err := trainAll(ctx, cfg, sea, table, opts)
	if err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(opts.Out, "scores.json"), results); err != nil {
		return nil, err
	}
	params, nearest, err := inspectFirstUser(cfg, sea, table, opts.Out, opts.factory)
	if err != nil {
		return nil, err
	}
	res, err := evaluate(cfg, sea, results, params, nearest, opts)
	if err != nil {
		return nil, err
	}
	res.Metrics.Seconds = time.Since(start).Seconds()
	return res, writeJSON(filepath.Join(opts.Out, "metrics.json"), res.Metrics)
}

// evaluate scores the baseline and computes both models' SEA metrics, plots and report.
func evaluate(cfg Config, sea *datasets.SEA, results []userResult, params int, nearest *nearestTable, opts RunOptions) (*Result, error) {
	var train [][]string
	var tests [][][]string
	for _, u := range sea.Users {
		train = append(train, u.Train)
		tests = append(tests, u.Blocks)
	}
	nbTrain, nbTest, err := baseline.NaiveBayes{}.ScoreSEA(train, tests, cfg.Data.BlockLen)
	if err != nil {
		return nil, fmt.Errorf("naive Bayes baseline: %w", err)
	}
	var model, excess, base []eval.UserScores
	for i, r := range results {
		model = append(model, eval.UserScores{User: r.Name, Train: r.Validation, Test: r.Test, Labels: r.Labels})
		excess = append(excess, eval.UserScores{User: r.Name, Train: minus(r.Validation, r.ValidationEntropy), Test: minus(r.Test, r.TestEntropy), Labels: r.Labels})
		base = append(base, eval.UserScores{User: r.Name, Train: nbTrain[i], Test: nbTest[i], Labels: r.Labels})
	}
	mres, err := eval.EvaluateSEA(model, cfg.Eval.FalseAlarmRates)
	if err != nil {
		return nil, fmt.Errorf("evaluate model: %w", err)
	}
	xres, err := eval.EvaluateSEA(excess, cfg.Eval.FalseAlarmRates)
	if err != nil {
		return nil, fmt.Errorf("evaluate model (excess BCE): %w", err)
	}
	bres, err := eval.EvaluateSEA(base, cfg.Eval.FalseAlarmRates)
	if err != nil {
		return nil, fmt.Errorf("evaluate baseline: %w", err)
	}
	res := &Result{Out: opts.Out, Metrics: newMetrics(cfg, len(results), params, mres, bres)}
	res.Metrics.ModelExcess = xres
	if err := writeReport(cfg, res, model, excess, base, results, nearest, opts.Out); err != nil {
		return nil, err
	}
	return res, nil
}

// minus returns a - b elementwise (a when b is missing).
func minus(a, b []float64) []float64 {
	if len(b) != len(a) {
		return a
	}
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
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
