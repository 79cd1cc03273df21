package trainers

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/checkpoints"
)

// resumeConfig is 20 steps of 6-step epochs (22 examples, batches of 4)
// with a checkpoint every 3 steps.
func resumeConfig(dir string) Config {
	return Config{BatchSize: 4, Seed: 7, LR: 0.02, TrainSteps: 20, CheckpointDir: dir, CheckpointEvery: 3,
		ConfigJSON: []byte(`{"experiment":"resume"}`)}
}

// cancelAt returns a hook cancelling ctx once step is completed.
func cancelAt(step int, cancel context.CancelFunc) Hook {
	return HookFuncs{Step: func(s StepInfo) error {
		if s.Step == step {
			cancel()
		}
		return nil
	}}
}

// resumeAndFinish resumes a fresh task (other initial weights) from path
// and runs it to the end, checkpointing into dir.
func resumeAndFinish(t *testing.T, path, dir string) ([][]float32, Result) {
	t.Helper()
	task := newRegressionTask(t, 1234)
	tr, err := New(resumeConfig(dir), task)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Resume(path); err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return weights(task), res
}

func TestResumedRunMatchesUninterruptedRun(t *testing.T) {
	root := t.TempDir()
	straightDir := filepath.Join(root, "straight")
	task := newRegressionTask(t, 1)
	tr, err := New(resumeConfig(straightDir), task)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantW := weights(task)
	if want.Steps != 20 || want.Epochs != 3 || filepath.Base(want.LastCheckpoint) != "step-000000020" {
		t.Fatalf("straight run %+v", want)
	}

	// Interrupted after step 7 (mid-epoch): the run saves step 7 and stops.
	killedDir := filepath.Join(root, "killed")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	task2 := newRegressionTask(t, 1)
	tr2, err := New(resumeConfig(killedDir), task2, WithHooks(cancelAt(7, cancel)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr2.Run(ctx)
	if !errors.Is(err, context.Canceled) || res.Steps != 7 {
		t.Fatalf("interrupted run: %d steps, err %v", res.Steps, err)
	}
	latest, ok, err := checkpoints.Latest(killedDir)
	if err != nil || !ok || filepath.Base(latest) != "step-000000007" {
		t.Fatalf("Latest = %q %v %v", latest, ok, err)
	}
	// Keep step 6 (an epoch boundary) and step 3 aside to resume from as
	// if the process had died without the final save.
	hardKilled := filepath.Join(root, "hard")
	for _, s := range []string{"step-000000003", "step-000000006"} {
		copyDir(t, filepath.Join(killedDir, s), filepath.Join(hardKilled, s))
	}

	gotW, got := resumeAndFinish(t, latest, killedDir)
	check := func(name string, gotW [][]float32, got Result) {
		t.Helper()
		if d := diffWeights(gotW, wantW); d != "" {
			t.Errorf("%s: weights differ from the uninterrupted run: %s", name, d)
		}
		if got.Steps != want.Steps || !slices.Equal(got.TrainLoss, want.TrainLoss) || !slices.Equal(got.ValLoss, want.ValLoss) || got.BestEpoch != want.BestEpoch {
			t.Errorf("%s: result %+v, want %+v", name, got, want)
		}
	}
	check("resumed at 7", gotW, got)
	// The final checkpoints are byte-identical apart from the creation
	// time, so their weights files (optimizer moments included) hash alike.
	a, err := checkpoints.Load(want.LastCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	b, err := checkpoints.Load(got.LastCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	if a.Meta.WeightsSHA256 != b.Meta.WeightsSHA256 || a.Meta.RNG != b.Meta.RNG || !bytes.Equal(a.Meta.Trainer, b.Meta.Trainer) {
		t.Errorf("final checkpoints differ: sha %s vs %s, rng %s vs %s", a.Meta.WeightsSHA256, b.Meta.WeightsSHA256, a.Meta.RNG, b.Meta.RNG)
	}
	if a.Meta.Optimizer.Step != 20 || len(a.Tensors) != 6 {
		t.Errorf("final checkpoint: optimizer step %d, %d tensors", a.Meta.Optimizer.Step, len(a.Tensors))
	}

	for _, s := range []string{"step-000000003", "step-000000006"} {
		gotW, got := resumeAndFinish(t, filepath.Join(hardKilled, s), filepath.Join(root, "from-"+s))
		check("resumed at "+s, gotW, got)
	}

	// Resuming a finished run does nothing and writes nothing.
	before, _ := os.ReadDir(straightDir)
	gotW, got = resumeAndFinish(t, want.LastCheckpoint, straightDir)
	check("resumed at the end", gotW, got)
	after, _ := os.ReadDir(straightDir)
	if len(before) != len(after) || got.LastCheckpoint != want.LastCheckpoint {
		t.Errorf("resuming a finished run wrote checkpoints: %d -> %d entries", len(before), len(after))
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestKeepLimitsCheckpoints(t *testing.T) {
	dir := t.TempDir()
	cfg := resumeConfig(dir)
	cfg.Keep = 2
	tr, err := New(cfg, newRegressionTask(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"latest", "step-000000018", "step-000000020"}; !slices.Equal(names, want) {
		t.Errorf("dir holds %v, want %v", names, want)
	}
}

func TestResumeRejectsCorruptCheckpoint(t *testing.T) {
	dir := t.TempDir()
	tr, err := New(resumeConfig(dir), newRegressionTask(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "step-000000009")
	wpath := filepath.Join(path, checkpoints.WeightsFile)
	data, err := os.ReadFile(wpath)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-5] ^= 0x40
	if err := os.WriteFile(wpath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	task := newRegressionTask(t, 5)
	before := weights(task)
	fresh, err := New(resumeConfig(t.TempDir()), task)
	if err != nil {
		t.Fatal(err)
	}
	err = fresh.Resume(path)
	if err == nil || !strings.Contains(err.Error(), "sha256") || !strings.Contains(err.Error(), wpath) {
		t.Fatalf("corrupt checkpoint: error %v, want a sha256 mismatch naming %s", err, wpath)
	}
	if d := diffWeights(before, weights(task)); d != "" || fresh.Step() != 0 {
		t.Errorf("failed resume changed the state: %s, step %d", d, fresh.Step())
	}

	// Valid checkpoints that do not fit the run are refused too.
	good := filepath.Join(dir, "step-000000012")
	mismatched := map[string]func(*Config){
		"batch size": func(c *Config) { c.BatchSize = 5 },
		"seed":       func(c *Config) { c.Seed = 8 },
		"optimizer":  func(c *Config) { c.Optimizer = "sgd" },
	}
	for name, mutate := range mismatched {
		cfg := resumeConfig(t.TempDir())
		mutate(&cfg)
		task := newRegressionTask(t, 5)
		before := weights(task)
		tr, err := New(cfg, task)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Resume(good); err == nil {
			t.Errorf("%s mismatch accepted", name)
		}
		if d := diffWeights(before, weights(task)); d != "" {
			t.Errorf("%s: failed resume changed the weights: %s", name, d)
		}
	}
	other := newRecordTask(t, taskTrain)
	tr2, err := New(resumeConfig(t.TempDir()), other)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr2.Resume(good); err == nil || !strings.Contains(err.Error(), "matches no parameter") {
		t.Errorf("other model's checkpoint: %v", err)
	}
}

func TestCancelledBeforeStartSavesInitialState(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr, err := New(resumeConfig(dir), newRegressionTask(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(ctx)
	if !errors.Is(err, context.Canceled) || res.Steps != 0 || filepath.Base(res.LastCheckpoint) != "step-000000000" {
		t.Fatalf("result %+v, err %v", res, err)
	}
}
