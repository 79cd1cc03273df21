//go:build gpu

package convvae

import (
	"testing"

	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/trainers"
)

// BenchmarkGPUConvVAEStepBatch16 times one training step of the seed model
// on GPU 0 as the trainer runs it with device: cuda (parameters and Adam
// moments held by the GPU, dropout masks drawn there, the schedule
// replayed as a CUDA graph, the loss read back every step), batch 16, the
// configuration of torch_convvae.py; it reports samples/s.
func BenchmarkGPUConvVAEStepBatch16(b *testing.B) {
	d := device.OpenForTest(b) // skips without a GPU, fails with VIGIL_EXPECT_GPU=1
	task, rng := benchTask(b, exec.Factory(func() (exec.Backend, error) { return exec.NewGPUBackend(d) }))
	defer task.Close()
	opt := trainers.NewAdam(trainers.AdamConfig{LR: 1e-3})
	idx := allIdx(benchBatch)
	step := func() {
		u, err := opt.NextUpdate(task.Params())
		if err != nil {
			b.Fatal(err)
		}
		if _, ok, _, err := task.DeviceStep(idx, rng, u); err != nil || !ok {
			b.Fatalf("step: applied %v, %v", ok, err)
		}
		opt.Advance()
	}
	for range 3 { // warm-up: kernel lookups, cuBLAS, the CUDA graph
		step()
	}
	if err := task.Train.Program.(*exec.Runner).Executor().RecordErr; err != nil {
		b.Logf("running call by call: %v", err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	if err := task.SyncParams(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(benchBatch*b.N)/b.Elapsed().Seconds(), "samples/s")
}
