package cli

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// `vigil retrain` ends with status 3 when a planted drift keeps the
// champion and 0 when a clean window promotes, pushes its outcome to the
// Pushgateway, and `vigil promote --rollback` restores the champion.
func TestRetrainCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hids.yaml")
	if err := os.WriteFile(cfg, []byte(`
version: 1
name: nightly
task: syscalls
seed: 3
data:
  kind: synthetic
  synthetic: {seed: 11, train: 40, validation: 15, test_normal: 20, test_attack: 20, min_calls: 60, max_calls: 120}
windows: {length: 12, stride: 6, score_context: 4}
model: {kind: lstm, embedding: 8, hidden: 16}
train: {epochs: 1, batch_size: 32, lr: 0.003, workers: 1}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	served := filepath.Join(dir, "served")
	if out, err := execute(t, "run", cfg, "--out", served); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var mu sync.Mutex
	var pushed []string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		pushed = append(pushed, r.Method+" "+r.URL.Path+"\n"+string(b))
		mu.Unlock()
	}))
	defer gw.Close()
	common := []string{"retrain", "--champion", served, "--metric", "systems.1.auc", "--margin", "0.01",
		"--set", "data.synthetic.seed=12", "--set", "train.epochs=8", "--pushgateway", gw.URL}
	out, err := execute(t, append(common, "--set", "data.synthetic.min_calls=240", "--set", "data.synthetic.max_calls=480",
		"--out", filepath.Join(dir, "drifted"))...)
	var st exitStatus
	if !errors.As(err, &st) || st.code != exitKept || !strings.Contains(out, "kept: drift alarm") {
		t.Fatalf("drifted window: %v\n%s", err, out)
	}
	if out, err = execute(t, common...); err != nil || !strings.Contains(out, "promoted:") {
		t.Fatalf("clean window: %v\n%s", err, out)
	}
	mu.Lock()
	if len(pushed) != 2 || !strings.HasPrefix(pushed[1], "PUT /metrics/job/vigil_retrain/model/served") ||
		!strings.Contains(pushed[1], "vigil_retrain_promoted 1") || !strings.Contains(pushed[0], "vigil_retrain_promoted 0") {
		t.Fatalf("pushed: %q", pushed)
	}
	mu.Unlock()
	if out, err = execute(t, "promote", served, "--rollback"); err != nil || !strings.Contains(out, "initial") {
		t.Fatalf("rollback: %v\n%s", err, out)
	}
	if out, err = execute(t, "runs", "ls", "--kind", "retrain"); err != nil || strings.Count(out, "nightly") != 2 {
		t.Fatalf("runs ls: %v\n%s", err, out)
	}
}

// --test and --alpha reach the retraining, which refuses an unknown test
// or a level outside (0, 1) before anything trains.
func TestRetrainTestFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--test", "t-test"}, `unknown test "t-test"`},
		{[]string{"--test", "delong", "--alpha", "1.5"}, "alpha 1.5"},
	} {
		out, err := execute(t, append([]string{"retrain", "--champion", dir, "--metric", "model.auc"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v\n%s", c.args, err, out)
		}
	}
}
