package experiments

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/trainers"
)

func openTestRegistry(t *testing.T) *registry.Registry {
	t.Helper()
	reg, err := registry.Open(filepath.Join(t.TempDir(), "registry.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return reg
}

// A recorded run's row holds its config, device and output directory,
// every epoch's losses as curves, the metrics of metrics.json and its
// artefacts, and ends complete.
func TestRunIsRecorded(t *testing.T) {
	reg := openTestRegistry(t)
	out := t.TempDir()
	cfg := tinyVAEGAN(t)
	if _, err := Run(context.Background(), cfg, RunOptions{Out: out, Registry: reg}); err != nil {
		t.Fatal(err)
	}
	runs, err := reg.ListRuns(context.Background(), registry.Filter{Name: cfg.Name})
	if err != nil || len(runs) != 1 {
		t.Fatalf("%d runs, %v", len(runs), err)
	}
	r, err := reg.GetRun(context.Background(), runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != registry.StatusComplete || r.Device != "cpu" || r.OutDir == "" || !strings.Contains(string(r.ConfigJSON), `"vaegan"`) {
		t.Fatalf("run %+v", r)
	}
	u := unitLosses(t, out)[0]
	val, err := reg.Curve(context.Background(), r.ID, u.Name+"/val_loss")
	if err != nil || len(val) != len(u.ValLoss) {
		t.Fatalf("%d val_loss points for %d epochs (%v)", len(val), len(u.ValLoss), err)
	}
	for i, p := range val {
		if p.Value != u.ValLoss[i] || p.Epoch != int64(i+1) {
			t.Fatalf("point %d: %+v, want epoch %d value %v", i, p, i+1, u.ValLoss[i])
		}
	}
	if gen, _ := reg.Curve(context.Background(), r.ID, u.Name+"/loss_discriminator"); len(gen) != len(u.ValLoss) {
		t.Fatalf("%d discriminator loss points", len(gen))
	}
	var auc bool
	for k := range r.Metrics {
		auc = auc || strings.HasSuffix(k, ".auc")
	}
	if !auc {
		t.Fatalf("no AUC among the recorded metrics %v", r.Metrics)
	}
	names := map[string]bool{}
	for _, a := range r.Artifacts {
		names[a.Name] = true
	}
	for _, want := range []string{"metrics.json", "report.html", "models", "tensorboard"} {
		if !names[want] {
			t.Errorf("artefact %s not recorded (%v)", want, r.Artifacts)
		}
	}
}

// A run stopped by OnEpoch ends failed with that error; one whose
// context is cancelled ends killed; a row the caller started (RunID) is
// left for the caller to finish.
func TestRecordedRunOutcomes(t *testing.T) {
	reg := openTestRegistry(t)
	ctx := context.Background()
	stop := errors.New("pruned at epoch 2")
	cfg := tinyVAEGAN(t)
	_, err := Run(ctx, cfg, RunOptions{Out: t.TempDir(), Registry: reg, OnEpoch: func(unit string, e trainers.EpochInfo) error {
		if e.Epoch == 1 {
			return stop
		}
		return nil
	}})
	if !errors.Is(err, stop) {
		t.Fatalf("run: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	_, err = Run(cctx, cfg, RunOptions{Out: t.TempDir(), Registry: reg, OnEpoch: func(string, trainers.EpochInfo) error {
		cancel()
		return nil
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v", err)
	}
	id, err := reg.StartRun(ctx, registry.RunInfo{Name: "adopted"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, cfg, RunOptions{Out: t.TempDir(), Registry: reg, RunID: id}); err != nil {
		t.Fatal(err)
	}
	runs, err := reg.ListRuns(ctx, registry.Filter{})
	if err != nil || len(runs) != 3 {
		t.Fatalf("%d runs, %v", len(runs), err)
	}
	want := []registry.Status{registry.StatusFailed, registry.StatusKilled, registry.StatusRunning}
	for i, r := range runs {
		if r.Status != want[i] {
			t.Errorf("run %d (%s): %s, want %s (%s)", r.ID, r.Name, r.Status, want[i], r.Error)
		}
	}
	if !strings.Contains(runs[0].Error, "pruned at epoch 2") {
		t.Errorf("error %q", runs[0].Error)
	}
	if r, _ := reg.GetRun(ctx, id); len(r.Metrics) == 0 {
		t.Error("the adopted row got no metrics")
	}
}
