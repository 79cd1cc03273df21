package retrain

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/eval/drift"
	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/registry"
)

// champion is a briefly trained next-call LSTM on synthetic traces.
const champion = `
version: 1
name: nightly
task: syscalls
seed: 3
data:
  kind: synthetic
  synthetic: {seed: 11, train: 40, validation: 15, test_normal: 20, test_attack: 20, min_calls: 60, max_calls: 120}
windows: {length: 12, stride: 6, score_context: 4}
model: {kind: lstm, embedding: 8, hidden: 16}
train: {epochs: 1, batch_size: 32, lr: 0.003, workers: 1}
eval: {batch_size: 64}
`

func trainChampion(t *testing.T, dir string) {
	t.Helper()
	cfg, err := experiments.Parse([]byte(champion), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.Run(context.Background(), cfg, experiments.RunOptions{Out: dir}); err != nil {
		t.Fatal(err)
	}
}

func opts(t *testing.T, served string, reg *registry.Registry, sets ...string) Options {
	return Options{Champion: served, Sets: sets, Metric: "systems.1.auc", Margin: 0.01, Registry: reg}
}

// A clean new window (other traces from the same programs) and a longer
// training promote the challenger: the served link points at its run,
// whose VERSION file tells `vigil serve` to reload, and the registry holds
// the decision. Running the same night again changes nothing; a rollback
// restores the first release.
func TestCleanWindowPromotes(t *testing.T) {
	dir := t.TempDir()
	served := filepath.Join(dir, "served")
	trainChampion(t, served)
	reg, err := registry.Open(filepath.Join(dir, "registry.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	o := opts(t, served, reg, "data.synthetic.seed=12", "train.epochs=8")
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Drift {
		t.Logf("drift %s %s %.4f p=%.3g %s", d.Feature, d.Test, d.Value, d.P, d.Level)
	}
	if rep.Decision != Promoted {
		t.Fatalf("%s: %s", rep.Decision, rep.Reason)
	}
	cur, err := Current(served)
	if err != nil || cur != rep.ChallengerDir && !strings.HasSuffix(cur, filepath.Base(rep.ChallengerDir)) {
		t.Fatalf("served %s, challenger %s (%v)", cur, rep.ChallengerDir, err)
	}
	if _, err := os.Stat(filepath.Join(served, "VERSION")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(served, "models", "all")); err != nil {
		t.Fatalf("the served directory holds no model: %v", err)
	}
	abs, _ := filepath.Abs(served)
	ps, err := reg.Promotions(context.Background(), abs)
	if err != nil || len(ps) != 1 || ps[0].Action != registry.ActionPromote || ps[0].RunID == 0 {
		t.Fatalf("promotions %+v (%v)", ps, err)
	}
	again, err := Run(context.Background(), o)
	if err != nil || again.Decision != Kept || !strings.Contains(again.Reason, "already serves") {
		t.Fatalf("second run: %s %q %v", again.Decision, again.Reason, err)
	}
	prev, err := Rollback(served)
	if err != nil || filepath.Base(prev) != "initial" {
		t.Fatalf("rollback to %s: %v", prev, err)
	}
	if cur, _ := Current(served); cur != prev {
		t.Fatalf("served %s after the rollback", cur)
	}
}

// Traces four times as long (a planted drift of the inputs) raise a PSI
// alarm, which keeps the champion whatever the challenger scores.
func TestDriftBlocksPromotion(t *testing.T) {
	dir := t.TempDir()
	served := filepath.Join(dir, "served")
	trainChampion(t, served)
	o := opts(t, served, nil, "data.synthetic.seed=12", "data.synthetic.min_calls=240", "data.synthetic.max_calls=480", "train.epochs=8")
	o.Margin = -1 // the challenger would be promoted on its metric alone
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Decision != Kept || !strings.Contains(rep.Reason, "drift alarm on input trace_length") {
		t.Fatalf("%s: %s", rep.Decision, rep.Reason)
	}
	alarm := false
	for _, d := range rep.Drift {
		alarm = alarm || d.Feature == "input trace_length" && d.Test == "psi" && d.Level == drift.LevelAlarm
	}
	if !alarm {
		t.Fatalf("no PSI alarm on the trace length: %+v", rep.Drift)
	}
	if fi, err := os.Lstat(served); err != nil || fi.Mode()&os.ModeSymlink != 0 {
		t.Fatalf("the champion's directory was touched: %v %v", fi.Mode(), err)
	}
}

// A change of the model is refused before anything trains.
func TestRetrainRefusesModelChanges(t *testing.T) {
	_, err := Run(context.Background(), Options{Champion: t.TempDir(), Metric: "x", Sets: []string{"model.hidden=32"}})
	if err == nil || !strings.Contains(err.Error(), "changes the model") {
		t.Fatalf("%v", err)
	}
}
