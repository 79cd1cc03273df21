package experiments

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/syscalls"
)

// tinySyscalls is a synthetic system-call run of the LSTM of a few seconds.
func tinySyscalls(t *testing.T, sets ...string) Config {
	t.Helper()
	cfg, err := Parse([]byte(`
version: 1
name: tiny_hids
task: syscalls
seed: 2
device: cpu
data:
  kind: synthetic
  synthetic: {train: 40, validation: 10, test_normal: 10, test_attack: 10, min_calls: 60, max_calls: 120}
windows: {length: 12, stride: 12, score_context: 4}
model: {kind: lstm, embedding: 8, hidden: 16, layers: 2, dropout: 0.1}
train: {epochs: 6, batch_size: 16, lr: 0.01, clip_norm: 5}
eval: {batch_size: 32}
`), sets)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// unitLosses reads the training losses of every unit of a run.
func unitLosses(t *testing.T, out string) []tasks.Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "scores.json"))
	if err != nil {
		t.Fatal(err)
	}
	var units []tasks.Result
	if err := json.Unmarshal(b, &units); err != nil {
		t.Fatal(err)
	}
	if len(units) == 0 {
		t.Fatal("no units in scores.json")
	}
	return units
}

// lstmAUC is the model's trace-level AUC of a syscalls run.
func lstmAUC(t *testing.T, r *Result) float64 {
	t.Helper()
	m, ok := r.Metrics.(*syscalls.Metrics)
	if !ok || len(m.Systems) == 0 {
		t.Fatalf("metrics %T without systems", r.Metrics)
	}
	return m.Systems[0].AUC
}

// compareLosses checks that two runs' final training losses agree within
// tol relative and returns the largest difference.
func compareLosses(t *testing.T, what string, got, want []tasks.Result, tol float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d units %s, %d on the reference", len(got), what, len(want))
	}
	worst := 0.0
	for i, u := range got {
		g, w := u.TrainLoss, want[i].TrainLoss
		if len(g) == 0 || len(g) != len(w) {
			t.Fatalf("%s: %d epochs %s, %d on the reference", u.Name, len(g), what, len(w))
		}
		for e := range g {
			d := math.Abs(g[e]-w[e]) / w[e]
			worst = math.Max(worst, d)
			if !(d <= tol) {
				t.Errorf("%s: epoch %d training loss %v %s, %v on the reference (relative %.2g)", u.Name, e+1, g[e], what, w[e], d)
			}
		}
		t.Logf("%s: training losses %.6g %s, reference %.6g", u.Name, g, what, w)
	}
	return worst
}

// The LSTM trains through the lowered program on the CPU backend as on the
// tape machine: the same noise from the same seed, float32 sums in another
// order (the backend's and the tape's GEMMs, the tape's SIMD exp and tanh).
func TestProgramExecutorTrainsTheLSTMAsTheTape(t *testing.T) {
	cfg := tinySyscalls(t)
	tapeOut, progOut := t.TempDir(), t.TempDir()
	tape, err := Run(context.Background(), cfg, RunOptions{Out: tapeOut})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Executor = "program"
	prog, err := Run(context.Background(), cfg, RunOptions{Out: progOut})
	if err != nil {
		t.Fatal(err)
	}
	worst := compareLosses(t, "with executor program", unitLosses(t, progOut), unitLosses(t, tapeOut), 1e-3)
	if d := math.Abs(lstmAUC(t, prog) - lstmAUC(t, tape)); !(d <= 0.02) {
		t.Fatalf("AUC with executor program %v, tape %v", lstmAUC(t, prog), lstmAUC(t, tape))
	}
	t.Logf("largest relative training-loss difference %.2g; AUC program %v, tape %v", worst, lstmAUC(t, prog), lstmAUC(t, tape))
}
