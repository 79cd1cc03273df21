package miner

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/datasets/miner"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/tabular"
)

func quick(edit func(m map[string]any)) map[string]any {
	m := sections()
	d := m["data"].(*Data)
	d.Programs, d.MinerFraction, d.Duration = 40, 0.2, 40*time.Minute
	p := m["protocol"].(*tabular.Protocol)
	p.Pipelines = []string{"rf", "iforest"}
	p.OuterFolds, p.InnerFolds, p.Repeats, p.Resamples, p.Holdout = 3, 2, 1, 200, 0.25
	m["rf"].(*tabular.RF).Trees = 30
	m["iforest"].(*tabular.IForest).Trees = 30
	if edit != nil {
		edit(m)
	}
	return m
}

func env(dir string) tasks.Env {
	return tasks.Env{Name: "t", Seed: 7, Out: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestConfigErrorsNameKeys(t *testing.T) {
	_, err := New().Input(quick(func(m map[string]any) {
		d := m["data"].(*Data)
		d.Programs, d.MinerFraction, d.Window = 3, 0.7, time.Second
		m["rf"].(*tabular.RF).ClassWeight = "heavy"
	}))
	for _, key := range []string{"data.programs", "data.miner_fraction", "data.window", "rf.class_weight"} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("error %v does not name %s", err, key)
		}
	}
}

// The supervised forest finds the generated miners, and beats the
// one-class isolation forest, as in the system it follows.
func TestForestBeatsIsolationForest(t *testing.T) {
	ev, err := New().Fit(context.Background(), quick(nil), env(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	m := ev.Metrics.(*tabular.Metrics)
	rf, iso := m.Pipelines["rf"].PRAUC.Point, m.Pipelines["iforest"].PRAUC.Point
	if rf < 0.9 || rf <= iso {
		t.Errorf("PR-AUC: rf %.3f, iforest %.3f", rf, iso)
	}
	if m.Features != int(miner.NumFeatures) {
		t.Errorf("%d features, want %d", m.Features, miner.NumFeatures)
	}
}

// Window features written as CSV and read back give the same table as
// the events they came from.
func TestFeatureCSVSource(t *testing.T) {
	ds, err := miner.Generate(miner.Config{Programs: 20, MinerFraction: 0.2, Duration: 30 * time.Minute}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	var events []miner.Event
	for ev := range ds.Events() {
		events = append(events, ev)
	}
	rows := miner.Windows(events, miner.WindowConfig{Length: 10 * time.Minute})
	path := filepath.Join(t.TempDir(), "features.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := miner.WriteFeatureCSV(f, rows); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, tab, _, err := load(context.Background(), quick(func(m map[string]any) {
		d := m["data"].(*Data)
		d.Source, d.Path = "features", path
	}), env(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.X) != len(rows) {
		t.Fatalf("%d rows read, %d written", len(tab.X), len(rows))
	}
	for i, r := range rows {
		if tab.Y[i] != r.Miner || tab.Groups[i] != r.Program || tab.X[i][3] != r.Values[3] {
			t.Fatalf("row %d differs", i)
		}
	}
}
