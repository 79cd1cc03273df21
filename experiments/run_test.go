package experiments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/cuda"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/masquerade"
)

// tinyConfig is a synthetic run of a few seconds, with sets applied.
func tinyConfig(t *testing.T, sets ...string) Config {
	t.Helper()
	cfg, err := Parse([]byte(`
version: 1
name: tiny
seed: 3
device: cpu
data: {kind: synthetic, num_users: 3, train_len: 400, blocks: 20, block_len: 20, synthetic: {masquerade_users: 1}}
embedding: {dim: 8, epochs: 2}
windows: {length: 20, stride: 10, train_windows: 30}
model: {filters: [4, 8], strides: [1, 2], dropouts: [0, 0.1], dense: 8, decoder_filters: 4}
train: {epochs: 3, batch_size: 8, workers: 2}
eval: {batch_size: 10, nearest_rows: 5}
`), sets)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// sea is a masquerade run's metrics.
func sea(r *Result) *masquerade.Metrics { return r.Metrics.(*masquerade.Metrics) }

func TestRunWritesMetricsReportAndEvalReproducesIt(t *testing.T) {
	cfg := tinyConfig(t)
	out := t.TempDir()
	res, err := Run(context.Background(), cfg, RunOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	var m masquerade.Metrics
	b, err := os.ReadFile(filepath.Join(out, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Users != 3 || m.Parameters <= 0 || len(m.Model.Pooled) != 3 || m.Model.Positives == 0 {
		t.Fatalf("metrics.json incomplete: %+v", m)
	}
	if m.Model.AUC != sea(res).Model.AUC || m.Baseline.AUC <= 0.5 {
		t.Fatalf("AUC model %v (returned %v), baseline %v", m.Model.AUC, sea(res).Model.AUC, m.Baseline.AUC)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"roc.png", "loss.png", "naive Bayes", "nearest"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	var scores []tasks.Result
	b, _ = os.ReadFile(filepath.Join(out, "scores.json"))
	if err := json.Unmarshal(b, &scores); err != nil {
		t.Fatal(err)
	}
	for _, u := range scores {
		if n := len(u.TrainLoss); n == 0 || !(u.TrainLoss[n-1] < u.TrainLoss[0]) {
			t.Errorf("%s: training loss did not fall: %v", u.Name, u.TrainLoss)
		}
	}
	re, err := Evaluate(context.Background(), out, RunOptions{Out: filepath.Join(out, "re")})
	if err != nil {
		t.Fatal(err)
	}
	if sea(re).Model.AUC != m.Model.AUC || sea(re).ModelExcess.AUC != m.ModelExcess.AUC {
		t.Fatalf("eval from saved models: AUC %v / %v, run had %v / %v", sea(re).Model.AUC, sea(re).ModelExcess.AUC, m.Model.AUC, m.ModelExcess.AUC)
	}
	// A second run in the same directory reuses every finished user.
	again, err := Run(context.Background(), cfg, RunOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if sea(again).Model.AUC != m.Model.AUC {
		t.Fatalf("resumed run AUC %v, first %v", sea(again).Model.AUC, m.Model.AUC)
	}
	cfg.Seed++
	if _, err := Run(context.Background(), cfg, RunOptions{Out: out}); err == nil || !strings.Contains(err.Error(), "different config") {
		t.Fatalf("a run of another config in the same directory: %v", err)
	}
}

func TestWorkerCountDoesNotChangeResults(t *testing.T) {
	cfg := tinyConfig(t, "eval.nearest_rows=0")
	cfg.Train.Workers = 1
	a, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Train.Workers = 3
	b, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if sea(a).Model.AUC != sea(b).Model.AUC {
		t.Fatalf("AUC with 1 worker %v, with 3 workers %v", sea(a).Model.AUC, sea(b).Model.AUC)
	}
}

func TestCudaDeviceIsAClearError(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.Device = "cuda"
	_, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "device cuda") {
		t.Fatalf("device cuda: %v", err)
	}
}

func TestMissingDataDirectoryNamesIt(t *testing.T) {
	cfg := tinyConfig(t, "data.kind=sea", "data.path="+filepath.Join(t.TempDir(), "nowhere"))
	_, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("missing data dir: %v", err)
	}
}

func TestProgramExecutorMatchesTape(t *testing.T) {
	cfg := tinyConfig(t)
	tape, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Executor = "program"
	out := t.TempDir()
	prog, err := Run(context.Background(), cfg, RunOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	var m masquerade.Metrics
	b, err := os.ReadFile(filepath.Join(out, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Users != 3 || len(m.Model.Pooled) != 3 || m.Model.AUC != sea(prog).Model.AUC {
		t.Fatalf("metrics.json incomplete: %+v", m)
	}
	if d := math.Abs(sea(prog).Model.AUC - sea(tape).Model.AUC); !(d <= 0.02) {
		t.Fatalf("AUC with executor program %v, tape %v", sea(prog).Model.AUC, sea(tape).Model.AUC)
	}
	t.Logf("AUC program %v, tape %v", sea(prog).Model.AUC, sea(tape).Model.AUC)
	re, err := Evaluate(context.Background(), out, RunOptions{Out: filepath.Join(out, "re")})
	if err != nil {
		t.Fatal(err)
	}
	if sea(re).Model.AUC != m.Model.AUC {
		t.Fatalf("eval from saved models: AUC %v, run had %v", sea(re).Model.AUC, m.Model.AUC)
	}
}

func TestExecutorKey(t *testing.T) {
	if got := base().Executor; got != "tape" {
		t.Fatalf("default executor %q", got)
	}
	cfg, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\nexecutor: program\n"), nil)
	if err != nil || cfg.Executor != "program" {
		t.Fatalf("executor: program: %q, %v", cfg.Executor, err)
	}
	if f, err := runnerFactory(cfg, "cpu", nil); err != nil || f == nil {
		t.Fatalf("executor program on the CPU: %v", err)
	}
	if _, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\nexecutor: gpu\n"), nil); err == nil || !strings.Contains(err.Error(), "executor") {
		t.Fatalf("executor: gpu: %v", err)
	}
}

// standIn puts a script named vigil-cuda on PATH in place of the GPU build.
func standIn(t *testing.T, script string) {
	t.Helper()
	if gpuSelect != nil {
		t.Skip("the GPU build tests its GPUs in-process")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "vigil-cuda"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestAUsableGPUHandsTheRunOverToTheGPUBuild(t *testing.T) {
	standIn(t, "echo 'cuda:0: Test GPU (sm_90) self-test ok'\n")
	cfg := tinyConfig(t)
	for _, dev := range []string{"cuda", "cuda:0", "auto"} {
		cfg.Device = dev
		_, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
		var use *cuda.UseGPUBuildError
		if !errors.As(err, &use) || !strings.HasSuffix(use.Helper, "vigil-cuda") || len(use.Devices) != 1 {
			t.Fatalf("device %s with a usable GPU: %v", dev, err)
		}
	}
}

// A GPU that fails the self-test keeps auto on the CPU, with one log line
// giving the failure, and makes cuda fail with one sentence giving it.
func TestAFailedSelfTestKeepsAutoOnTheCPU(t *testing.T) {
	reason := "cuda:0: Test GPU (sm_90): self-test: step 1: gradient of enc1.b differs from the CPU reference by 0.01"
	standIn(t, "echo 'unusable "+reason+"'\necho 'vigil: "+reason+"' >&2\nexit 1\n")
	cfg := tinyConfig(t)
	cfg.Device = "auto"
	var log bytes.Buffer
	if _, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir(), Log: slog.New(slog.NewTextHandler(&log, nil))}); err != nil {
		t.Fatalf("device auto with a failed self-test must train on the CPU: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(log.String(), "\n") {
		if strings.Contains(l, "GPU") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "training on the CPU") || !strings.Contains(lines[0], reason) {
		t.Fatalf("log lines about the GPU: %q", lines)
	}
	t.Log(lines[0])
	cfg.Device = "cuda"
	_, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "no usable GPU: vigil-cuda: "+reason) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("device cuda with a failed self-test: %v", err)
	}
	t.Log(err)
}
