package checkpoints

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sampleCheckpoint(step int) *Checkpoint {
	return &Checkpoint{
		Meta: Meta{
			Step:      step,
			Epoch:     step / 4,
			Config:    json.RawMessage(`{"model":"ae","layers":[8,4]}`),
			Optimizer: OptimizerMeta{Name: "adam", Step: step, Hyper: map[string]float64{"lr": 1e-3, "beta1": 0.9}},
			RNG:       "AAECAw==",
			Metrics:   map[string]float64{"loss": 0.125},
		},
		Tensors: append(sampleTensors(), Tensor{Name: "optim/m/b", Shape: []int{3}, Data: []float32{float32(step), 0, 1}}),
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c := sampleCheckpoint(123)
	path, err := Save(dir, c, 0)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "step-000000123" {
		t.Errorf("path %s", path)
	}
	if c.Meta.WeightsSHA256 != "" || !c.Meta.Created.IsZero() {
		t.Error("Save modified its argument")
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sameTensors(t, got.Tensors, c.Tensors)
	m := got.Meta
	if m.FormatVersion != FormatVersion || m.Step != 123 || m.Epoch != 30 || m.RNG != c.Meta.RNG || m.Metrics["loss"] != 0.125 {
		t.Errorf("meta = %+v", m)
	}
	if m.Optimizer.Name != "adam" || m.Optimizer.Step != 123 || m.Optimizer.Hyper["lr"] != 1e-3 || m.Optimizer.Hyper["beta1"] != 0.9 {
		t.Errorf("optimizer = %+v", m.Optimizer)
	}
	var cfg struct {
		Model  string
		Layers []int
	}
	if err := json.Unmarshal(m.Config, &cfg); err != nil || cfg.Model != "ae" || len(cfg.Layers) != 2 || cfg.Layers[1] != 4 {
		t.Errorf("config %s (%v)", m.Config, err)
	}
	if len(m.WeightsSHA256) != 64 || time.Since(m.Created) > time.Hour || m.Created.Nanosecond() != 0 {
		t.Errorf("sha %q created %v", m.WeightsSHA256, m.Created)
	}
	raw, err := os.ReadFile(filepath.Join(path, MetaFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"format_version": 1`, `"lr": 0.001`, `"name": "adam"`, `"weights_sha256"`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("meta.json lacks %s:\n%s", key, raw)
		}
	}
	latest, ok, err := Latest(dir)
	if err != nil || !ok || latest != path {
		t.Errorf("Latest = %q %v %v, want %q", latest, ok, err, path)
	}
}

func TestLoadDetectsFlippedByte(t *testing.T) {
	dir := t.TempDir()
	path, err := Save(dir, sampleCheckpoint(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	wpath := filepath.Join(path, WeightsFile)
	data, err := os.ReadFile(wpath)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int{len(data) - 1, 12} { // a data byte, a header byte
		bad := append([]byte(nil), data...)
		bad[at] ^= 0x01
		if err := os.WriteFile(wpath, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), "sha256") || !strings.Contains(err.Error(), wpath) {
			t.Errorf("flip at %d: error %v, want a sha256 mismatch naming %s", at, err, wpath)
		}
	}
}

func TestLoadTruncatedWeightsFails(t *testing.T) {
	dir := t.TempDir()
	path, err := Save(dir, sampleCheckpoint(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	wpath := filepath.Join(path, WeightsFile)
	data, err := os.ReadFile(wpath)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(data); n++ {
		if err := os.WriteFile(wpath, data[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), wpath) {
			t.Fatalf("truncated to %d bytes: error %v", n, err)
		}
	}
}

func TestLoadRejectsBadMeta(t *testing.T) {
	dir := t.TempDir()
	path, err := Save(dir, sampleCheckpoint(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	mpath := filepath.Join(path, MetaFile)
	for _, content := range []string{`{"format_version": 2, "weights_sha256": "x"}`, `{"format_version": 1`, ``} {
		if err := os.WriteFile(mpath, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), mpath) {
			t.Errorf("meta %q: error %v", content, err)
		}
	}
}

func TestSaveKeepsNewestN(t *testing.T) {
	dir := t.TempDir()
	for _, step := range []int{3, 6, 9, 12, 15} {
		if _, err := Save(dir, sampleCheckpoint(step), 2); err != nil {
			t.Fatal(err)
		}
	}
	steps, err := listSteps(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || steps[0].step != 12 || steps[1].step != 15 {
		t.Fatalf("kept %v, want steps 12 and 15", steps)
	}
	// A save of an older step never deletes itself.
	if _, err := Save(dir, sampleCheckpoint(1), 2); err != nil {
		t.Fatal(err)
	}
	steps, _ = listSteps(dir)
	if len(steps) != 2 || steps[0].step != 1 || steps[1].step != 15 {
		t.Fatalf("kept %v, want steps 1 and 15", steps)
	}
	if p, _, _ := Latest(dir); filepath.Base(p) != "step-000000001" {
		t.Errorf("Latest = %s, want the last saved", p)
	}
}

func TestSaveReplacesSameStep(t *testing.T) {
	dir := t.TempDir()
	if _, err := Save(dir, sampleCheckpoint(5), 0); err != nil {
		t.Fatal(err)
	}
	c := sampleCheckpoint(5)
	c.Meta.Metrics["loss"] = 0.5
	path, err := Save(dir, c, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Meta.Metrics["loss"] != 0.5 {
		t.Errorf("loss %v, want the replacement's 0.5", got.Meta.Metrics["loss"])
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("dir holds %d entries, want step dir and latest", len(entries))
	}
}

func TestLatestIgnoresInterruptedSave(t *testing.T) {
	dir := t.TempDir()
	good, err := Save(dir, sampleCheckpoint(4), 0)
	if err != nil {
		t.Fatal(err)
	}
	// A crash during a later save leaves its temporary directory behind,
	// possibly complete but never renamed.
	tmp := filepath.Join(dir, ".step-tmp-123")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, WeightsFile), []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A step directory without metadata, and a stale pointer, are skipped too.
	if err := os.Mkdir(filepath.Join(dir, StepDirName(8)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, LatestFile), []byte("step-000000008\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, ok, err := Latest(dir)
	if err != nil || !ok || p != good {
		t.Fatalf("Latest = %q %v %v, want %q", p, ok, err, good)
	}
	// A newer valid directory wins even without the pointer.
	newer, err := Save(dir, sampleCheckpoint(10), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, LatestFile)); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := Latest(dir); p != newer {
		t.Errorf("Latest = %q, want %q", p, newer)
	}
	// A pointer escaping the directory is not followed.
	if err := os.WriteFile(filepath.Join(dir, LatestFile), []byte("../elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := Latest(dir); p != newer {
		t.Errorf("Latest = %q, want %q", p, newer)
	}
}

func TestLatestEmpty(t *testing.T) {
	if _, ok, err := Latest(filepath.Join(t.TempDir(), "missing")); ok || err != nil {
		t.Errorf("missing dir: ok=%v err=%v", ok, err)
	}
	if _, ok, err := Latest(t.TempDir()); ok || err != nil {
		t.Errorf("empty dir: ok=%v err=%v", ok, err)
	}
}

func TestSaveRejectsUnwritableMeta(t *testing.T) {
	dir := t.TempDir()
	c := sampleCheckpoint(1)
	c.Meta.Metrics["loss"] = math.NaN()
	if _, err := Save(dir, c, 0); err == nil {
		t.Error("NaN metric accepted")
	}
	c = sampleCheckpoint(1)
	c.Meta.Config = json.RawMessage(`{not json`)
	if _, err := Save(dir, c, 0); err == nil {
		t.Error("invalid config JSON accepted")
	}
	c = sampleCheckpoint(1)
	c.Tensors = append(c.Tensors, Tensor{Name: "bad", Shape: []int{5}, Data: []float32{1}})
	if _, err := Save(dir, c, 0); err == nil {
		t.Error("inconsistent tensor accepted")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed saves left %d entries behind", len(entries))
	}
}
