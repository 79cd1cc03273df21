//go:build gpu

package experiments

import (
	"context"
	"math"
	"testing"
)

// On a GPU (the emulated one in `make test`), the LSTM of a syscalls run
// trains through the GPU backend as through the CPU backend on the same
// lowered program. Dropout is off so that neither draws masks: the two
// differ in float32 summation order, the embedding gradient's atomic adds
// and the kernels' math functions.
func TestGPULSTMRunMatchesTheCPUProgram(t *testing.T) {
	cfg := tinySyscalls(t, "model.dropout=0")
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
	worst := compareLosses(t, "on the GPU", unitLosses(t, gpuOut), unitLosses(t, cpuOut), 1e-4)
	if d := math.Abs(lstmAUC(t, gpu) - lstmAUC(t, cpu)); !(d <= 1e-3) {
		t.Fatalf("AUC %v on the GPU, %v on the CPU", lstmAUC(t, gpu), lstmAUC(t, cpu))
	}
	t.Logf("largest relative training-loss difference %.2g; AUC GPU %v, CPU program %v", worst, lstmAUC(t, gpu), lstmAUC(t, cpu))
}
