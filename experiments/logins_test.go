package experiments

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/experiments/tasks/logins"
)

// tinyLogins is an IP Insights run on generated logins of a second or two.
func tinyLogins(t *testing.T, sets ...string) Config {
	t.Helper()
	cfg, err := Parse([]byte(`
version: 1
name: tiny_logins
task: logins
seed: 4
data:
  synthetic: {users: 80, networks: 60, days: 4, login_scale: 20, max_logins: 100}
  train_days: 3
model: {kind: ipinsights, num_entity_vectors: 160, vector_dim: 16, ip_hash_buckets: 1024}
train: {epochs: 6, batch_size: 128, lr: 0.02, checkpoint_every: 5}
`), sets)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestLoginsRunEvalAndResume: an IP Insights run writes its metrics and
// report (with the entity scatter), vigil eval reproduces them from the
// saved model, and a run interrupted mid-training and resumed ends with
// the uninterrupted run's losses and scores.
func TestLoginsRunEvalAndResume(t *testing.T) {
	cfg := tinyLogins(t)
	out := t.TempDir()
	res, err := Run(context.Background(), cfg, RunOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics.(*logins.Metrics)
	if m.DiscriminatorAUC < 0.8 || len(m.Attacks) != 2 || m.Attacks[1].Attack == 0 {
		t.Fatalf("metrics: discriminator AUC %v, %d attack sets", m.DiscriminatorAUC, len(m.Attacks))
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"roc_attacks_1pct.png", "embedding.png", "subnet"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	re, err := Evaluate(context.Background(), out, RunOptions{Out: filepath.Join(out, "re")})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := re.Metrics.(*logins.Metrics).Attacks[1].Systems[0].AUC, m.Attacks[1].Systems[0].AUC; a != b {
		t.Fatalf("eval from the saved model: AUC %v, run %v", a, b)
	}

	interruptAndResume(t, cfg, out)
}

// interruptAndResume runs cfg again, cancels it once its first checkpoint
// exists, resumes it, and checks that it ends as the uninterrupted run in
// out did (losses and scores).
func interruptAndResume(t *testing.T, cfg Config, out string) {
	t.Helper()
	cut := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		for range 2000 {
			if m, _ := filepath.Glob(filepath.Join(cut, "checkpoints", "all", "step-*")); len(m) > 0 {
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	if _, err := Run(ctx, cfg, RunOptions{Out: cut}); err == nil {
		t.Log("the run finished before the interruption")
	}
	cancel()
	if _, err := Run(context.Background(), cfg, RunOptions{Out: cut}); err != nil {
		t.Fatal(err)
	}
	if a, b := unitResult(t, out), unitResult(t, cut); a != b {
		t.Fatalf("resumed run differs from the uninterrupted one:\n%.300s\n%.300s", b, a)
	}
}

// unitResult is the unit file of a logins run without its checkpoint path.
func unitResult(t *testing.T, out string) string {
	t.Helper()
	units := unitLosses(t, out)
	units[0].Checkpoint = ""
	b, err := json.Marshal(units)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
