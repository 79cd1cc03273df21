package sweeprun

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/sweep"
)

// base is a tiny VAE-GAN run on synthetic traces (about a second).
const base = `
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
`

func load(sets []string) (experiments.Config, error) { return experiments.Parse([]byte(base), sets) }

func testSpec(t *testing.T, extra string) Spec {
	t.Helper()
	s, err := ParseSpec([]byte(`
name: tiny_sweep
base: tiny
space:
  train.lr: {float: [0.001, 0.03], log: true}
  model.hidden: {choice: [8, 12]}
objective: {metric: systems.0.auc, direction: maximize}
sampler: random
` + extra))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openRegistry(t *testing.T) *registry.Registry {
	t.Helper()
	reg, err := registry.Open(filepath.Join(t.TempDir(), "registry.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return reg
}

// A sweep of four random trials on two workers: every trial completes
// with the objective from its metrics.json, is recorded in the registry
// as a trial of the sweep with its point, and trials.csv lists them.
func TestSweepRunsTrials(t *testing.T) {
	reg := openRegistry(t)
	out := t.TempDir()
	trials, err := Run(context.Background(), testSpec(t, "budget: {trials: 4}\nworkers: 2\n"), Options{Out: out, Registry: reg, Load: load})
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 4 {
		t.Fatalf("%d trials", len(trials))
	}
	var st state
	b, _ := os.ReadFile(filepath.Join(out, "sweep.json"))
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	rows, err := reg.SweepTrials(context.Background(), st.SweepID)
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d registry trials, %v", len(rows), err)
	}
	for i, tr := range trials {
		if tr.State != sweep.Complete || !(tr.Value > 0 && tr.Value <= 1) {
			t.Fatalf("trial %d: %+v", i, tr)
		}
		r, err := reg.GetRun(context.Background(), rows[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != registry.StatusComplete || r.Metrics["systems.0.auc"] != tr.Value || r.Kind != registry.KindTrial {
			t.Fatalf("registry trial %d: %s %v %s", i, r.Status, r.Metrics["systems.0.auc"], r.Kind)
		}
		if lr, _ := tr.Params.Get("train.lr"); lr.(float64) < 0.001 || lr.(float64) > 0.03 {
			t.Fatalf("trial %d: lr %v", i, lr)
		}
		if len(tr.Intermediate) != 3 {
			t.Fatalf("trial %d: intermediate values %v", i, tr.Intermediate)
		}
	}
	f, err := os.Open(filepath.Join(out, "trials.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 5 || recs[0][5] != "model.hidden" && recs[0][5] != "train.lr" {
		t.Fatalf("trials.csv: %v %v", recs, err)
	}
	best, ok := sweep.Best(trials, sweep.Maximize)
	got, err := reg.Best(context.Background(), registry.Filter{SweepID: st.SweepID}, "systems.0.auc", true)
	if !ok || err != nil || got.TrialNumber != best.Number {
		t.Fatalf("best: registry trial %d, sweep %d (%v)", got.TrialNumber, best.Number, err)
	}
}

// A sweep killed while a trial ran resumes: finished trials are kept, the
// interrupted trial is recorded failed and run again in its own folder,
// and the budget (raised on the second invocation) counts it once.
func TestSweepResumes(t *testing.T) {
	reg := openRegistry(t)
	out := t.TempDir()
	ctx := context.Background()
	first, err := Run(ctx, testSpec(t, "budget: {trials: 2}\n"), Options{Out: out, Registry: reg, Load: load})
	if err != nil || len(first) != 2 {
		t.Fatalf("%d trials, %v", len(first), err)
	}
	// What a killed sweep leaves: trial 2 claimed and running, its point
	// written, no metrics.
	var st state
	b, _ := os.ReadFile(filepath.Join(out, "sweep.json"))
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "trial-0002")
	pt := sweep.Point{{Key: "model.hidden", Value: 8}, {Key: "train.lr", Value: 0.005}}
	pb, _ := json.Marshal(pt)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "point.json"), pb, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	if _, err := reg.AddTrial(ctx, st.SweepID, 2, registry.RunInfo{Name: "tiny_sweep", OutDir: abs}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := reg.ClaimTrial(ctx, st.SweepID, 2, "killed-host"); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	trials, err := Run(ctx, testSpec(t, "budget: {trials: 4}\n"), Options{Out: out, Registry: reg, Load: load})
	if err != nil {
		t.Fatal(err)
	}
	states := []sweep.State{sweep.Complete, sweep.Complete, sweep.Failed, sweep.Complete, sweep.Complete}
	if len(trials) != len(states) {
		t.Fatalf("%d trials, want %d", len(trials), len(states))
	}
	for i, s := range states {
		if trials[i].State != s {
			t.Fatalf("trial %d: %s, want %s (%s)", i, trials[i].State, s, trials[i].Error)
		}
	}
	for i := range first {
		if !trials[i].Params.Equal(first[i].Params) || trials[i].Value != first[i].Value {
			t.Fatalf("trial %d changed on resume", i)
		}
	}
	if !trials[3].Params.Equal(pt) {
		t.Fatalf("trial 3 %s, want the retried point %s", trials[3].Params, pt)
	}
	rows, _ := reg.SweepTrials(ctx, st.SweepID)
	if rows[2].Status != registry.StatusFailed || !strings.Contains(rows[2].Error, "stopped") || rows[3].OutDir != abs {
		t.Fatalf("registry: trial 2 %s %q, trial 3 in %s", rows[2].Status, rows[2].Error, rows[3].OutDir)
	}
	// Another space in the same folder is refused.
	other := testSpec(t, "budget: {trials: 4}\n")
	other.Space["model.latent"] = map[string]any{"choice": []any{2, 4}}
	if _, err := Run(ctx, other, Options{Out: out, Registry: reg, Load: load}); err == nil || !strings.Contains(err.Error(), "another spec") {
		t.Fatalf("another spec: %v", err)
	}
}

// ASHA stops trials whose first-epoch validation loss is not in the best
// third: pruned trials end pruned in the registry after fewer epochs.
func TestSweepPrunes(t *testing.T) {
	reg := openRegistry(t)
	trials, err := Run(context.Background(), testSpec(t, "budget: {trials: 6}\npruner: asha\n"), Options{Out: t.TempDir(), Registry: reg, Load: load})
	if err != nil {
		t.Fatal(err)
	}
	pruned := 0
	for _, tr := range trials {
		if tr.State == sweep.Pruned {
			pruned++
			if last, _ := tr.LastStep(); last >= 3 {
				t.Fatalf("trial %d pruned after its last epoch: %v", tr.Number, tr.Intermediate)
			}
		}
	}
	if pruned == 0 {
		t.Fatalf("no trial pruned: %+v", trials)
	}
	runs, _ := reg.ListRuns(context.Background(), registry.Filter{Status: registry.StatusPruned})
	if len(runs) != pruned {
		t.Fatalf("%d pruned in the registry, %d in the sweep", len(runs), pruned)
	}
}

// Spec errors name the key; a space key the config lacks fails before
// any trial runs.
func TestSpecErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"name: x\nbase: tiny\nspace: {train.lr: {float: [1, 0]}}\nobjective: {metric: a}\nbudget: {trials: 1}\n", "train.lr"},
		{"name: x\nbase: tiny\nspace: {train.lr: {choice: [1]}}\nobjective: {metric: a}\n", "budget"},
		{"name: x\nbase: tiny\nspace: {train.lr: {choice: [1]}}\nbudget: {trials: 1}\n", "objective.metric"},
		{"name: x\nbase: tiny\nspace: {train.lr: {choice: [1]}}\nobjective: {metric: a}\nbudget: {trials: 1}\nsampler: bayes\n", "sampler"},
		{"name: x\nbase: tiny\nspace: {train.lr: {choice: [1]}}\nobjective: {metric: a}\nbudget: {trials: 1, time: soon}\n", "budget.time"},
		{"name: x\nbase: tiny\nspace: {train.lr: {choice: [1]}}\nobjective: {metric: a}\nbudget: {trials: 1}\nworkerz: 2\n", "workerz"},
	} {
		if _, err := ParseSpec([]byte(c.yaml)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error naming %s", c.yaml, err, c.want)
		}
	}
	s := testSpec(t, "budget: {trials: 1}\n")
	s.Space["model.no_such_key"] = map[string]any{"choice": []any{1, 2}}
	_, err := Run(context.Background(), s, Options{Out: t.TempDir(), Registry: openRegistry(t), Load: load})
	if err == nil || !strings.Contains(err.Error(), "no_such_key") {
		t.Fatalf("unknown key: %v", err)
	}
}
