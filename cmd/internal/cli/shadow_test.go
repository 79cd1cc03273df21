package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `vigil shadow` keeps a champion that a worse candidate cannot beat
// (status 3, naming the test) and refuses to run without a paired test.
func TestShadowCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "miner.yaml")
	if err := os.WriteFile(cfg, []byte(`
version: 1
name: shadow
task: miner
seed: 2
data: {programs: 40, miner_fraction: 0.2, duration: 40m, window: 10m, seed: 21}
protocol: {pipelines: [rf, iforest], outer_folds: 3, inner_folds: 2, repeats: 1, resamples: 200, holdout: 0.25, target_precision: 0.9}
rf: {trees: 30}
iforest: {trees: 30}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	served, cand := filepath.Join(dir, "served"), filepath.Join(dir, "candidate")
	if out, err := execute(t, "run", cfg, "--out", served, "--registry", "off"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, err := execute(t, "run", cfg, "--out", cand, "--registry", "off", "--set", "protocol.deploy=iforest"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := execute(t, "shadow", "--champion", served, "--candidate", cand, "--metric", "deployed.holdout.pr_auc.point"); err == nil {
		t.Error("a shadow comparison without --test ran")
	}
	out, err := execute(t, "shadow", "--champion", served, "--candidate", cand, "--metric", "deployed.holdout.pr_auc.point",
		"--test", "delong", "--registry", "off", "--out", filepath.Join(dir, "shadow"))
	var st exitStatus
	if !errors.As(err, &st) || st.code != exitKept || !strings.Contains(out, "kept:") || !strings.Contains(out, "DeLong") {
		t.Fatalf("a worse candidate: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "shadow", "shadow.json")); err != nil {
		t.Error(err)
	}
}
