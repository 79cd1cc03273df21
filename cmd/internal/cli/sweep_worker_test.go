package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/registry/pgtest"
	"github.com/vigil-ml/vigil/experiments/sweeprun"
)

// envWorkerArgs makes the re-executed test binary act as `vigil` with
// these arguments (a JSON list): TestSweepWorkerProcess.
const envWorkerArgs = "VIGIL_CLI_TEST_WORKER_ARGS"

// TestSweepWorkerProcess is not a test: it is the `vigil sweep worker`
// process the worker tests start. Its exit status is the command's: 0 on
// success, 1 on an error.
func TestSweepWorkerProcess(t *testing.T) {
	raw := os.Getenv(envWorkerArgs)
	if raw == "" {
		t.Skip("helper process for the sweep worker tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	cmd := NewRootCmd()
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
}

// workerProcess prepares the test binary as `vigil args...` with extra
// environment (such as JOB_COMPLETION_INDEX=2); its stdout is out.
func workerProcess(t *testing.T, out *strings.Builder, env []string, args ...string) *exec.Cmd {
	t.Helper()
	b, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSweepWorkerProcess$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), envWorkerArgs+"="+string(b)), env...)
	cmd.Stdout, cmd.Stderr = out, os.Stderr
	return cmd
}

// tinySweep writes a base config of a tiny VAE-GAN on synthetic traces
// (about a second a trial) and a random sweep over it.
func tinySweep(t *testing.T, dir string) string {
	t.Helper()
	base := filepath.Join(dir, "base.yaml")
	if err := os.WriteFile(base, []byte(`
version: 1
name: tiny
task: syscalls
seed: 3
data:
  kind: synthetic
  synthetic: {train: 30, validation: 10, test_normal: 10, test_attack: 10, min_calls: 60, max_calls: 120}
windows: {length: 12, stride: 12, score_context: 4}
model: {kind: vaegan, embedding: 8, hidden: 12, latent: 4}
train: {epochs: 3, batch_size: 16, lr: 0.01, workers: 1}
eval: {batch_size: 32}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "sweep.yaml")
	if err := os.WriteFile(spec, []byte(`
name: scale_out
base: `+base+`
space:
  train.lr: {float: [0.001, 0.03], log: true}
  model.hidden: {choice: [8, 12]}
objective: {metric: systems.0.auc, direction: maximize}
sampler: random
budget: {trials: 4}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	return spec
}

var plannedSweep = regexp.MustCompile(`sweep (\d+): (\d+) trials planned`)

// planSweep runs `vigil sweep plan` and returns the sweep's id.
func planSweep(t *testing.T, args ...string) int64 {
	t.Helper()
	out, err := execute(t, append([]string{"sweep", "plan"}, args...)...)
	if err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	m := plannedSweep.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("plan output:\n%s", out)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// The worker contract on a real PostgreSQL registry: a sweep of four
// trials is planned, four worker processes run at once with their trial
// from JOB_COMPLETION_INDEX as in a Kubernetes Indexed Job, plus a
// duplicate worker for trial 0 (AWS_BATCH_JOB_ARRAY_INDEX); every exits
// 0, each trial ran exactly once and is complete with its metric, and the
// store holds each trial's point and run directory. A worker started
// after the end exits 0 without training, and the report is rebuilt.
func TestSweepWorkersOnPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := srv.Schema(t)
	dir := t.TempDir()
	store, manifests := filepath.Join(dir, "store"), filepath.Join(dir, "manifests")
	id := planSweep(t, tinySweep(t, dir), "--registry", dsn, "--store", store, "--gpus", "0", "--parallelism", "2",
		"--out", manifests, "--image", "vigil-gpu:test")
	job, err := os.ReadFile(filepath.Join(manifests, fmt.Sprintf("sweep-%d-job.yaml", id)))
	if err != nil || !strings.Contains(string(job), "completions: 4") || !strings.Contains(string(job), "- \""+strconv.FormatInt(id, 10)+"\"") {
		t.Fatalf("job manifest (%v):\n%s", err, job)
	}
	for _, f := range []string{"batch-jobdef.json", "batch-submit.json"} {
		if _, err := os.Stat(filepath.Join(manifests, fmt.Sprintf("sweep-%d-%s", id, f))); err != nil {
			t.Fatal(err)
		}
	}

	args := []string{"sweep", "worker", "--sweep", strconv.FormatInt(id, 10), "--registry", dsn, "--store", store}
	outs := make([]strings.Builder, 5)
	var cmds []*exec.Cmd
	for i := range 4 {
		cmds = append(cmds, workerProcess(t, &outs[i], []string{"JOB_COMPLETION_INDEX=" + strconv.Itoa(i)}, args...))
	}
	cmds = append(cmds, workerProcess(t, &outs[4], []string{"AWS_BATCH_JOB_ARRAY_INDEX=0"}, args...))
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(cmds))
	for i, c := range cmds {
		wg.Go(func() { errs[i] = c.Wait() })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v\n%s", i, err, outs[i].String())
		}
	}
	ranTrial0 := 0
	for _, i := range []int{0, 4} {
		if strings.Contains(outs[i].String(), "trial 0 (attempt 0, trial number 0): complete here") {
			ranTrial0++
		} else if !strings.Contains(outs[i].String(), "trial 0 (attempt 0, trial number 0): complete by another worker") {
			t.Fatalf("worker %d of trial 0:\n%s", i, outs[i].String())
		}
	}
	if ranTrial0 != 1 {
		t.Fatalf("trial 0 trained by %d workers:\n%s\n%s", ranTrial0, outs[0].String(), outs[4].String())
	}

	ctx := context.Background()
	reg, err := registry.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	rows, err := reg.SweepTrials(ctx, id)
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d runs, want one per trial (%v)", len(rows), err)
	}
	st, err := os.ReadDir(filepath.Join(store, sweeprun.SweepPrefix(id)))
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 5 { // base.yaml and four trial folders
		t.Fatalf("store holds %d entries", len(st))
	}
	for i, row := range rows {
		run, err := reg.GetRun(ctx, row.ID)
		if err != nil {
			t.Fatal(err)
		}
		auc, ok := run.Metrics["systems.0.auc"]
		if run.TrialNumber != i || run.Status != registry.StatusComplete || !ok || !(auc > 0 && auc <= 1) {
			t.Fatalf("trial %d: number %d status %s auc %v", i, run.TrialNumber, run.Status, auc)
		}
		trialDir := filepath.Join(store, sweeprun.TrialPrefix(id, i))
		if run.OutDir != trialDir {
			t.Fatalf("trial %d recorded in %s, want %s", i, run.OutDir, trialDir)
		}
		for _, f := range []string{"point.json", "config.json", "metrics.json", "report.html"} {
			if _, err := os.Stat(filepath.Join(trialDir, f)); err != nil {
				t.Fatalf("trial %d: %v", i, err)
			}
		}
	}
	if sw, _ := reg.GetSweep(ctx, id); sw.Status != registry.SweepComplete {
		t.Fatalf("sweep status %s", sw.Status)
	}

	out, err := execute(t, append(args, "--index", "2")...)
	if err != nil || !strings.Contains(out, "complete by another worker") {
		t.Fatalf("late worker: %v\n%s", err, out)
	}
	out, err = execute(t, "sweep", "report", "--sweep", strconv.FormatInt(id, 10), "--registry", dsn, "--store", store)
	if err != nil || !strings.Contains(out, "4 trials: 4 complete") {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(store, sweeprun.SweepPrefix(id), "report.html")); err != nil {
		t.Fatal(err)
	}
	out, err = execute(t, "runs", "ls", "--sweep", strconv.FormatInt(id, 10), "--registry", dsn)
	if err != nil || strings.Count(out, "scale_out") != 4 {
		t.Fatalf("runs ls: %v\n%s", err, out)
	}
}

// A worker SIGKILLed mid-trial leaves its run "running". A worker started
// again for that trial waits until the heartbeat is --stale-after old,
// reaps the run (failed) and, without --retries, exits non-zero; with
// --retries 1 it runs attempt 1 (trial number N+i) to completion.
func TestSweepWorkerKilledOnPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := srv.Schema(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	id := planSweep(t, tinySweep(t, dir), "--registry", dsn, "--store", store, "--gpus", "0", "--trials", "1",
		"--set", "train.epochs=60", "--set", "train.patience=0", "--out", filepath.Join(dir, "manifests"))
	args := []string{"sweep", "worker", "--sweep", strconv.FormatInt(id, 10), "--registry", dsn, "--store", store, "--index", "0"}

	ctx := context.Background()
	reg, err := registry.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	var out strings.Builder
	doomed := workerProcess(t, &out, nil, args...)
	if err := doomed.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once it has trained an epoch.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		rows, err := reg.SweepTrials(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rows[0].Status == registry.StatusRunning {
			if curve, err := reg.Curve(ctx, rows[0].ID, "sweep/mean_val_loss"); err == nil && len(curve) > 0 {
				break
			}
		}
		if rows[0].Status != registry.StatusPending && rows[0].Status != registry.StatusRunning || time.Now().After(deadline) {
			_ = doomed.Process.Kill()
			t.Fatalf("trial %s before it could be killed:\n%s", rows[0].Status, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := doomed.Process.Kill(); err != nil { // SIGKILL: nothing is cleaned up
		t.Fatal(err)
	}
	if err := doomed.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("killed worker: %v", err)
	}
	rows, _ := reg.SweepTrials(ctx, id)
	if len(rows) != 1 || rows[0].Status != registry.StatusRunning {
		t.Fatalf("after the kill: %+v", rows)
	}

	var noRetry strings.Builder
	c := workerProcess(t, &noRetry, nil, append(args, "--stale-after", "1s")...)
	if err := c.Run(); err == nil {
		t.Fatalf("worker without retries exited 0:\n%s", noRetry.String())
	}
	rows, _ = reg.SweepTrials(ctx, id)
	if len(rows) != 1 || rows[0].Status != registry.StatusFailed || !strings.HasPrefix(rows[0].Error, "no heartbeat since") {
		t.Fatalf("reaped attempt: %+v", rows)
	}

	var retry strings.Builder
	c = workerProcess(t, &retry, nil, append(args, "--stale-after", "1s", "--retries", "1")...)
	if err := c.Run(); err != nil {
		t.Fatalf("retrying worker: %v\n%s", err, retry.String())
	}
	if !strings.Contains(retry.String(), "trial 0 (attempt 1, trial number 1): complete here") {
		t.Fatalf("retrying worker:\n%s", retry.String())
	}
	rows, _ = reg.SweepTrials(ctx, id)
	if len(rows) != 2 || rows[1].TrialNumber != 1 || rows[1].Status != registry.StatusComplete ||
		rows[1].OutDir != filepath.Join(store, sweeprun.TrialPrefix(id, 0)) {
		t.Fatalf("attempts: %+v", rows)
	}
	run, err := reg.GetRun(ctx, rows[1].ID)
	if _, ok := run.Metrics["systems.0.auc"]; err != nil || !ok {
		t.Fatalf("retried trial's metrics: %v %v", run.Metrics, err)
	}
}

// The trial index comes from --index, else Kubernetes', else AWS Batch's.
func TestTrialIndex(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		flag int
		env  map[string]string
		want int
		ok   bool
	}{
		{3, map[string]string{k8sIndexEnv: "1"}, 3, true},
		{-1, map[string]string{k8sIndexEnv: "1", batchIndexEnv: "2"}, 1, true},
		{-1, map[string]string{batchIndexEnv: "2"}, 2, true},
		{-1, map[string]string{batchIndexEnv: "two"}, 0, false},
		{-1, nil, 0, false},
	} {
		got, err := trialIndex(c.flag, env(c.env))
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("flag %d env %v: %d %v", c.flag, c.env, got, err)
		}
	}
}

// Planning refuses TPE unless --sampler random replaces it; a worker
// needs a registry and a trial index.
func TestSweepPlanErrors(t *testing.T) {
	dir := t.TempDir()
	spec := tinySweep(t, dir)
	b, _ := os.ReadFile(spec)
	tpe := filepath.Join(dir, "tpe.yaml")
	if err := os.WriteFile(tpe, []byte(strings.Replace(string(b), "sampler: random", "sampler: tpe", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := execute(t, "sweep", "plan", tpe, "--registry", filepath.Join(dir, "r.db"), "--store", dir); err == nil ||
		!strings.Contains(err.Error(), "sampler: random") {
		t.Fatalf("tpe: %v", err)
	}
	out, err := execute(t, "sweep", "plan", tpe, "--sampler", "random", "--registry", filepath.Join(dir, "r.db"), "--store",
		filepath.Join(dir, "store"), "--gpus", "0", "--out", filepath.Join(dir, "manifests"))
	if err != nil || !strings.Contains(out, "4 trials planned (random sampler)") {
		t.Fatalf("tpe planned as random: %v\n%s", err, out)
	}
	t.Setenv(registryEnv, "")
	if _, err := execute(t, "sweep", "worker", "--sweep", "1", "--store", dir, "--index", "0"); err == nil ||
		!strings.Contains(err.Error(), "registry") {
		t.Fatalf("no registry: %v", err)
	}
	if _, err := execute(t, "sweep", "worker", "--sweep", "1", "--store", dir, "--registry", "x.db"); err == nil ||
		!strings.Contains(err.Error(), "JOB_COMPLETION_INDEX") {
		t.Fatalf("no index: %v", err)
	}
}
