package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/datasets/embed"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
)

// scaledVecFile holds every command's [0, 1]-scaled model input vector, so a
// run can be re-scored exactly without retraining the embeddings.
const scaledVecFile = "commands_scaled.vec"

// Evaluate re-scores a finished run from its checkpoints without training:
// it reads runDir/config.json, the scaled command vectors and each user's
// latest checkpoint, and writes metrics.json and report.html to opts.Out.
func Evaluate(ctx context.Context, runDir string, opts RunOptions) (*Result, error) {
	opts.defaults()
	start := time.Now()
	raw, err := os.ReadFile(filepath.Join(runDir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("eval: %w (is %s a run directory?)", err, runDir)
	}
	cfg := Config{Executor: "tape"} // runs from before the key existed
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("eval: %s/config.json: %w", runDir, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("eval: %s/config.json: %w", runDir, err)
	}
	if opts.factory, err = runnerFactory(cfg, "cpu", opts.Log); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	sea, err := loadData(cfg.Data, cfg.Seed)
	if err != nil {
		return nil, err
	}
	table, err := readScaledTable(filepath.Join(runDir, scaledVecFile))
	if err != nil {
		return nil, err
	}
	var results []userResult
	params := 0
	var nearest *nearestTable
	for i, u := range sea.Users {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := makeUserData(cfg, u, table)
		if err != nil {
			return nil, err
		}
		m, err := convvae.New(modelConfig(cfg), userSeed(cfg.Seed, i))
		if err != nil {
			return nil, err
		}
		ckpt, err := loadLatestWeights(filepath.Join(runDir, "models", u.Name), m.Reg)
		if err != nil {
			return nil, err
		}
		net, err := m.BuildWith(graph.Eval, cfg.Eval.BatchSize, opts.factory)
		if err != nil {
			return nil, err
		}
		r := userResult{Name: u.Name, Labels: u.Labels, Checkpoint: ckpt}
		r.Test, err = convvae.Score(net, d.test, allIdx(d.test.N))
		if err == nil {
			r.Validation, err = convvae.Score(net, d.clean, d.val)
		}
		if err == nil && nearest == nil && cfg.Eval.NearestRows > 0 && slices.Contains(u.Labels, true) {
			nearest, err = buildNearestTable(net, d.test, u, table, cfg.Eval.NearestRows)
		}
		r.TestEntropy = convvae.InputEntropy(d.test, allIdx(d.test.N))
		r.ValidationEntropy = convvae.InputEntropy(d.clean, d.val)
		net.Close()
		if err != nil {
			return nil, err
		}
		params = m.NumParams()
		results = append(results, r)
		opts.Log.Info("user scored", "user", u.Name, "checkpoint", ckpt)
	}
	res, err := evaluate(cfg, sea, results, params, nearest, opts)
	if err != nil {
		return nil, err
	}
	res.Metrics.Seconds = time.Since(start).Seconds()
	return res, writeJSON(filepath.Join(opts.Out, "metrics.json"), res.Metrics)
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
	byName := map[string]checkpoints.Tensor{}
	for _, t := range c.Tensors {
		byName[t.Name] = t
	}
	for _, p := range reg.Params() {
		t, ok := byName[p.Name]
		if !ok {
			return "", fmt.Errorf("eval: checkpoint %s has no tensor %q", path, p.Name)
		}
		if len(t.Data) != p.Size() {
			return "", fmt.Errorf("eval: checkpoint %s: %q has %d values, model wants %v", path, p.Name, len(t.Data), p.Shape)
		}
		copy(p.Data(), t.Data)
	}
	return path, nil
}

// readScaledTable reads the scaled command vectors written by Run.
func readScaledTable(path string) (*commandTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	v, err := embed.ReadVec(f)
	if err != nil {
		return nil, fmt.Errorf("eval: %s: %w", path, err)
	}
	t := &commandTable{index: map[string]int{}}
	for i, w := range v.Words() {
		vec, _ := v.Vector(w)
		t.words = append(t.words, w)
		t.vecs = append(t.vecs, vec)
		t.index[w] = i
	}
	return t, nil
}

// inspectFirstUser reloads the final model of the first user with a
// masquerade block (else the first user) for the parameter count and the
// reconstruction→nearest-command table.
func inspectFirstUser(cfg Config, sea *datasets.SEA, table *commandTable, runDir string, factory graph.RunnerFactory) (int, *nearestTable, error) {
	i := max(0, slices.IndexFunc(sea.Users, func(u datasets.SEAUser) bool { return slices.Contains(u.Labels, true) }))
	u := sea.Users[i]
	m, err := convvae.New(modelConfig(cfg), userSeed(cfg.Seed, i))
	if err != nil {
		return 0, nil, err
	}
	if cfg.Eval.NearestRows == 0 {
		return m.NumParams(), nil, nil
	}
	if _, err := loadLatestWeights(filepath.Join(runDir, "models", u.Name), m.Reg); err != nil {
		return 0, nil, err
	}
	d, err := makeUserData(cfg, u, table)
	if err != nil {
		return 0, nil, err
	}
	net, err := m.BuildWith(graph.Eval, cfg.Eval.BatchSize, factory)
	if err != nil {
		return 0, nil, err
	}
	defer net.Close()
	nt, err := buildNearestTable(net, d.test, u, table, cfg.Eval.NearestRows)
	return m.NumParams(), nt, err
}
