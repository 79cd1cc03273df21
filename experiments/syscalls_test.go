package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ds "github.com/vigil-ml/vigil/datasets/syscalls"
	"github.com/vigil-ml/vigil/experiments/tasks/syscalls"
)

// hidsConfig is a syscalls run of a second or two, with sets applied.
func hidsConfig(t *testing.T, sets ...string) Config {
	t.Helper()
	cfg, err := Parse([]byte(`
version: 1
name: hids_tiny
task: syscalls
seed: 2
device: cpu
data: {kind: synthetic, synthetic: {train: 60, validation: 20, test_normal: 30, test_attack: 30, min_calls: 100, max_calls: 200}}
windows: {length: 16, stride: 8, score_context: 8}
model: {embedding: 8, hidden: 16}
train: {epochs: 6, batch_size: 32, lr: 0.01, patience: 0}
eval: {batch_size: 64, stide_n: [6, 3]}
`), sets)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func hids(r *Result) *syscalls.Metrics { return r.Metrics.(*syscalls.Metrics) }

// TestSyscallsRunAndEval: a synthetic run trains the LSTM (its loss falls),
// scores the model's two trace scores and STIDE's, writes the report, and
// eval reproduces every AUC from the saved model.
func TestSyscallsRunAndEval(t *testing.T) {
	cfg := hidsConfig(t)
	if cfg.Kind != "lstm" {
		t.Fatalf("the syscalls task's default family is %q", cfg.Kind)
	}
	out := t.TempDir()
	res, err := Run(context.Background(), cfg, RunOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	m := hids(res)
	if m.Data.Train != 60 || m.Data.TestAttack != 30 || len(m.Data.Families) != 5 || m.Parameters <= 0 {
		t.Fatalf("data summary %+v, %d parameters", m.Data, m.Parameters)
	}
	names := []string{}
	for _, s := range m.Systems {
		names = append(names, s.Name)
		if !(s.AUC >= 0 && s.AUC <= 1) || len(s.AtFalseAlarm) != 3 {
			t.Fatalf("%s: AUC %v, %d operating points", s.Name, s.AUC, len(s.AtFalseAlarm))
		}
	}
	if got := strings.Join(names, ","); got != "lstm max(1-p),lstm mean NLL,STIDE n=6,STIDE n=6 mismatch rate,STIDE n=3" {
		t.Fatalf("systems %s", got)
	}
	if len(m.LIDDS) != 2 || m.LIDDS[0].ExploitCount != 30 {
		t.Fatalf("LID-DS metrics on timed synthetic traces: %+v", m.LIDDS)
	}
	scores, err := os.ReadFile(filepath.Join(out, "units", "all.json"))
	if err != nil || !strings.Contains(string(scores), `"one_minus_p"`) {
		t.Fatalf("unit scores: %v", err)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"roc.png", "scores_1.png", "loss.png", "STIDE n=6", "Kim et al", "LID-DS metrics"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	re, err := Evaluate(context.Background(), out, RunOptions{Out: filepath.Join(out, "re")})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range hids(re).Systems {
		if s.AUC != m.Systems[i].AUC {
			t.Fatalf("%s: eval AUC %v, run %v", s.Name, s.AUC, m.Systems[i].AUC)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "re", "loss.png")); err != nil {
		t.Fatalf("eval's report has no loss curves (the run's training history): %v", err)
	}
}

// TestSyscallsOnUNMFiles: UNM-format files (PID SYSCALL lines, processes
// interleaved) in normal/ and attack/ run end to end.
func TestSyscallsOnUNMFiles(t *testing.T) {
	dir := t.TempDir()
	traces := ds.Synthetic(ds.SyntheticConfig{Train: 30, Validation: 10, TestNormal: 10, TestAttack: 12, MinCalls: 60, MaxCalls: 120}, rand.New(rand.NewPCG(7, 7)))
	for _, sub := range []string{"normal", "attack"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]*strings.Builder{}
	for i, tr := range traces {
		sub := "normal"
		if tr.Label == ds.Attack {
			sub = "attack"
		}
		name := filepath.Join(dir, sub, fmt.Sprintf("host%d.int", i%3))
		if files[name] == nil {
			files[name] = &strings.Builder{}
		}
		for _, n := range tr.Syscalls() {
			fmt.Fprintf(files[name], "%d %d \n", 1000+i, n)
		}
	}
	for name, b := range files {
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := hidsConfig(t, "data.kind=unm", "data.path="+dir, "train.epochs=2")
	res, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d := hids(res).Data
	if d.TestAttack != 12 || d.Train+d.Validation+d.TestNormal != 50 || len(hids(res).LIDDS) != 0 {
		t.Fatalf("UNM splits %+v", d)
	}
}

// TestSyscallsEnsemble: an ensemble trains one unit per model and scores
// traces by the mean of the models' scores, reported beside each model.
func TestSyscallsEnsemble(t *testing.T) {
	cfg := hidsConfig(t, "ensemble.size=2", "train.epochs=2")
	res, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range hids(res).Systems {
		names = append(names, s.Name)
	}
	got := strings.Join(names, ",")
	want := "lstm max(1-p), ensemble of 2,lstm mean NLL, ensemble of 2,STIDE n=6,STIDE n=6 mismatch rate,STIDE n=3,lstm mean NLL, model 1,lstm mean NLL, model 2"
	if got != want {
		t.Fatalf("systems %s\nwant %s", got, want)
	}
	if _, err := Parse([]byte("version: 1\nname: x\ntask: syscalls\ndata: {kind: synthetic}\nensemble: {size: 0}\n"), nil); err == nil || !strings.Contains(err.Error(), "ensemble.size") {
		t.Fatalf("ensemble size 0: %v", err)
	}
}
