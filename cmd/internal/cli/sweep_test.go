package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `vigil sweep` runs a sweep file's trials from a base config file and
// records them, where `vigil runs` finds them; --registry off is refused.
func TestSweepCommand(t *testing.T) {
	dir := t.TempDir()
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
model: {kind: lstm, embedding: 8, hidden: 12}
train: {epochs: 2, batch_size: 16, workers: 1}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "sweep.yaml")
	if err := os.WriteFile(spec, []byte(`
name: cli_sweep
base: `+base+`
space: {train.lr: {choice: [0.003, 0.01]}}
sampler: grid
objective: {metric: systems.0.auc}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := filepath.Join(dir, "registry.db")
	out, err := execute(t, "sweep", spec, "--out", filepath.Join(dir, "sweep"), "--registry", reg)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "2 trials: 2 complete") || !strings.Contains(out, "train.lr=0.003") {
		t.Fatalf("summary:\n%s", out)
	}
	ls, err := execute(t, "runs", "ls", "--kind", "trial", "--registry", reg)
	if err != nil || strings.Count(ls, "cli_sweep") != 2 {
		t.Fatalf("runs ls: %v\n%s", err, ls)
	}
	if _, err := execute(t, "sweep", spec, "--registry", "off"); err == nil || !strings.Contains(err.Error(), "registry") {
		t.Fatalf("--registry off: %v", err)
	}
}
