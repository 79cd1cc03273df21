//go:build gpu

package experiments

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

// trainLosses reads the per-user training losses of a run.
func trainLosses(t *testing.T, out string) []tasks.Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "scores.json"))
	if err != nil {
		t.Fatal(err)
	}
	var users []tasks.Result
	if err := json.Unmarshal(b, &users); err != nil {
		t.Fatal(err)
	}
	return users
}

// On a GPU (the emulated one in `make test`), a run with device cuda trains
// through cuda/exec's GPU backend and must match the CPU backend running the
// same lowered program. Dropout is off so that both draw no masks (the GPU
// draws its own, the CPU program the tape's): the two then differ only in
// float32 summation order and the kernels' math functions.
func TestGPURunMatchesTheCPUProgram(t *testing.T) {
	cfg := tinyConfig(t, "model.dropouts=[0, 0]")
	cfg.Executor = "program"
	cpuOut, gpuOut := t.TempDir(), t.TempDir()
	cpu, err := Run(context.Background(), cfg, RunOptions{Out: cpuOut})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Device = "cuda"
	gpu, err := Run(context.Background(), cfg, RunOptions{Out: gpuOut})
	if err != nil {
		t.Fatal(err)
	}
	gu, cu := trainLosses(t, gpuOut), trainLosses(t, cpuOut)
	if len(gu) != len(cu) || len(gu) == 0 {
		t.Fatalf("%d users on the GPU, %d on the CPU", len(gu), len(cu))
	}
	for i, u := range gu {
		g, c := u.TrainLoss, cu[i].TrainLoss
		if len(g) == 0 || len(g) != len(c) {
			t.Fatalf("%s: %d epochs on the GPU, %d on the CPU", u.Name, len(g), len(c))
		}
		// Losses after the last epoch agree to 1e-4 relative: float32 sums
		// in another order drift by about 1e-6 per step (see cuda/selftest).
		last := len(g) - 1
		if d := math.Abs(g[last]-c[last]) / c[last]; !(d <= 1e-4) {
			t.Errorf("%s: final loss %v on the GPU, %v on the CPU (relative %.2g)", u.Name, g[last], c[last], d)
		}
		t.Logf("%s: final training loss GPU %v, CPU %v", u.Name, g[last], c[last])
	}
	if d := math.Abs(sea(gpu).Model.AUC - sea(cpu).Model.AUC); !(d <= 1e-3) {
		t.Fatalf("AUC %v on the GPU, %v on the CPU", sea(gpu).Model.AUC, sea(cpu).Model.AUC)
	}
	t.Logf("AUC GPU %v, CPU program %v", sea(gpu).Model.AUC, sea(cpu).Model.AUC)
}

// Device auto picks a GPU that passes the self-test.
func TestGPUAutoPicksTheGPU(t *testing.T) {
	dev, err := resolveDevice(context.Background(), "auto", slog.New(slog.DiscardHandler))
	if err != nil || dev != "cuda:0" {
		t.Fatalf("auto: %q, %v", dev, err)
	}
}
