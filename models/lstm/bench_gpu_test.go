//go:build gpu

package lstm

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/trainers"
)

// BenchmarkGPULSTMLMTrainStep is BenchmarkLSTMLMTrainStep on GPU 0 as the
// trainer runs it with device: cuda (parameters and Adam moments held by
// the GPU, the update applied there, the loss read back every step); it
// reports tokens/s.
func BenchmarkGPULSTMLMTrainStep(b *testing.B) {
	d := device.OpenForTest(b) // skips without a GPU, fails with VIGIL_EXPECT_GPU=1
	m, ex, idx := benchWindows(b)
	factory := exec.Factory(func() (exec.Backend, error) { return exec.NewGPUBackend(d) })
	tt, err := m.TrainTask(ex, idx, nil, benchBatch, benchBatch, factory)
	if err != nil {
		b.Fatal(err)
	}
	defer tt.Close()
	task, ok := tt.(trainers.DeviceTask)
	if !ok || !task.OnDevice() {
		b.Fatal("the LSTM's train task does not run on the device")
	}
	opt := trainers.NewAdam(trainers.AdamConfig{LR: 1e-3})
	rng := rand.New(rand.NewPCG(3, 3))
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
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	if err := task.SyncParams(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(benchBatch*benchSteps*b.N)/b.Elapsed().Seconds(), "tokens/s")
}
