//go:build gpu

package experiments

import (
	"context"
	"testing"
)

// On a GPU (the emulated one in `make test`), the VAE-GAN's two updates
// and its scoring graph run through the GPU backend as through the CPU
// backend of the same lowered programs; the updates are applied on the
// host. The noise is drawn on the host by both (executor program). A
// smaller learning rate than the CPU tests' keeps the adversarial
// dynamics from amplifying float32 summation-order differences beyond
// 1e-4 over the run.
func TestGPUVAEGANRunMatchesTheCPUProgram(t *testing.T) {
	cfg := tinyVAEGAN(t, "train.lr=0.002")
	cfg.Executor = "program"
	cpuOut, gpuOut := t.TempDir(), t.TempDir()
	if _, err := Run(context.Background(), cfg, RunOptions{Out: cpuOut}); err != nil {
		t.Fatal(err)
	}
	cfg.Device = "cuda"
	if _, err := Run(context.Background(), cfg, RunOptions{Out: gpuOut}); err != nil {
		t.Fatal(err)
	}
	worst := compareLosses(t, "on the GPU", unitLosses(t, gpuOut), unitLosses(t, cpuOut), 1e-4)
	g, c := unitLosses(t, gpuOut)[0].UpdateLoss, unitLosses(t, cpuOut)[0].UpdateLoss
	for name, want := range c {
		for e := range want {
			if d := (g[name][e] - want[e]) / want[e]; d > 1e-4 || d < -1e-4 {
				t.Fatalf("%s loss of epoch %d: %v on the GPU, %v on the CPU", name, e, g[name][e], want[e])
			}
		}
	}
	t.Logf("largest relative training-loss difference %.2g", worst)
}
