package cert

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/datasets/cert"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/tabular"
)

func quick(t *testing.T, edit func(m map[string]any)) map[string]any {
	t.Helper()
	m := sections()
	d := m["data"].(*Data)
	d.Users, d.Days, d.Scenario1, d.Scenario2, d.Scenario3 = 60, 60, 4, 4, 3
	p := m["protocol"].(*tabular.Protocol)
	p.Pipelines = []string{"gsmote+biased-svm", "smote+rf"}
	p.OuterFolds, p.InnerFolds, p.Resamples, p.Holdout = 2, 2, 200, 0.25
	m["svm"].(*tabular.SVM).C = []float64{10}
	m["rf"].(*tabular.RF).Trees = 30
	if edit != nil {
		edit(m)
	}
	return m
}

func env(dir string) tasks.Env {
	return tasks.Env{Name: "t", Seed: 5, Out: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestConfigErrorsNameKeys(t *testing.T) {
	m := quick(t, func(m map[string]any) {
		m["data"].(*Data).Users = 5
		m["features"].(*Features).Ops = "most"
		m["protocol"].(*tabular.Protocol).TargetPrecision = 2
	})
	_, err := New().Input(m)
	for _, key := range []string{"data.users", "features.ops", "protocol.target_precision"} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("error %v does not name %s", err, key)
		}
	}
	m = quick(t, func(m map[string]any) { m["data"].(*Data).Source = "dir" })
	if _, err := New().Input(m); err == nil || !strings.Contains(err.Error(), "data.dir") {
		t.Errorf("dir source without dir: %v", err)
	}
}

// The generated insiders are found, one row of 168 features per user.
func TestFitFindsGeneratedInsiders(t *testing.T) {
	ev, err := New().Fit(context.Background(), quick(t, nil), env(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	m := ev.Metrics.(*tabular.Metrics)
	if m.Rows != 60 || m.Positives != 11 || m.Features != 168 {
		t.Fatalf("%d rows, %d positive, %d features; want 60, 11, 168", m.Rows, m.Positives, m.Features)
	}
	for name, r := range m.Pipelines {
		if r.PRAUC.Point < 0.8 {
			t.Errorf("%s: PR-AUC %.3f", name, r.PRAUC.Point)
		}
	}
}

// A release on disk with a malformed row fails naming the file and line.
func TestMalformedReleaseNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	if _, err := cert.Generate(dir, cert.GenConfig{Users: 20, Days: 50}, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "logon.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 4)
	lines[2] = "{X1},13/45/2010 99:00:00,ABC0001,PC-1,Logon"
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	m := quick(t, func(m map[string]any) { d := m["data"].(*Data); d.Source, d.Dir = "dir", dir })
	_, err = New().Fit(context.Background(), m, env(t.TempDir()))
	if err == nil || !strings.Contains(err.Error(), "logon.csv") || !strings.Contains(err.Error(), "3") {
		t.Fatalf("want an error naming logon.csv and line 3, got %v", err)
	}
}
