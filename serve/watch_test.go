package serve

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// promote writes content to dir/name through a temporary file and an
// atomic rename, as Watch's protocol asks.
func promote(t *testing.T, dir, name, content string) {
	t.Helper()
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// waitVersion polls until the server serves version.
func waitVersion(t *testing.T, s *Server, version string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if m := s.Model(); m != nil && m.Version() == version {
			return
		}
	}
	t.Fatalf("still serving %v, want %q", s.Model(), version)
}

// waitMetric polls /metrics until it has the sample line.
func waitMetric(t *testing.T, s *Server, line string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if strings.Contains(get(s.Handler(), "/metrics").Body.String(), line+"\n") {
			return
		}
	}
	t.Fatalf("metrics lack %q", line)
}

// startWatch runs Watch until the test ends and checks it returns nil.
func startWatch(t *testing.T, s *Server, dir string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx, dir, 2*time.Millisecond) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	})
}

func TestWatchVersionFile(t *testing.T) {
	dir := t.TempDir()
	load := func() (Model, error) {
		b, err := os.ReadFile(filepath.Join(dir, "VERSION"))
		if err != nil {
			return nil, err
		}
		if string(b) == "broken" {
			return nil, errors.New("bad checkpoint")
		}
		return fitIPModel(t, string(b), trainPairs...), nil
	}
	promote(t, dir, "model.bin", "weights 1")
	promote(t, dir, "VERSION", "v1")
	s, err := New(load, Config{})
	if err != nil {
		t.Fatal(err)
	}
	startWatch(t, s, dir)
	waitVersion(t, s, "v1")

	promote(t, dir, "model.bin", "weights 2")
	promote(t, dir, "VERSION", "v2")
	waitVersion(t, s, "v2")

	promote(t, dir, "VERSION", "broken")
	waitMetric(t, s, `vigil_model_reloads_total{result="error"} 1`)
	if v := s.Model().Version(); v != "v2" {
		t.Errorf("serving %q after a failed reload, want v2", v)
	}
	promote(t, dir, "VERSION", "v3")
	waitVersion(t, s, "v3")
}

func TestWatchNewestEntry(t *testing.T) {
	dir := t.TempDir()
	newest := func() (Model, error) {
		sig, err := modelSignal(dir)
		return fitIPModel(t, sig, trainPairs...), err
	}
	promote(t, dir, "model-1.bin", "weights 1")
	first, err := modelSignal(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(newest, Config{})
	if err != nil {
		t.Fatal(err)
	}
	startWatch(t, s, dir)
	waitVersion(t, s, first)

	time.Sleep(10 * time.Millisecond)
	if text := get(s.Handler(), "/metrics").Body.String(); !strings.Contains(text, `vigil_model_reloads_total{result="ok"} 1`+"\n") {
		t.Fatalf("reloaded without a change:\n%s", text)
	}
	promote(t, dir, "model-2.bin", "weights 2")
	later := time.Now().Add(time.Hour) // beat coarse file-system clocks
	if err := os.Chtimes(filepath.Join(dir, "model-2.bin"), later, later); err != nil {
		t.Fatal(err)
	}
	sig, err := modelSignal(dir)
	if err != nil {
		t.Fatal(err)
	}
	waitVersion(t, s, sig)
}

func TestWatchRejectsBadArguments(t *testing.T) {
	s := loadedServer(t, errModel{}, Config{})
	ctx := context.Background()
	if err := s.Watch(ctx, t.TempDir(), 0); err == nil {
		t.Error("zero interval accepted")
	}
	if err := s.Watch(ctx, filepath.Join(t.TempDir(), "missing"), time.Second); err == nil {
		t.Error("missing directory accepted")
	}
}
