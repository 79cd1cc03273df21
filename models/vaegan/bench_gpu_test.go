//go:build gpu

package vaegan

import (
	"testing"

	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
)

// BenchmarkGPUVAEGANTrainStep is BenchmarkVAEGANTrainStep on GPU 0 as the
// phased trainer runs it with device: cuda: both updates' nets on the GPU,
// the Adam updates on the host. It reports windows/s.
func BenchmarkGPUVAEGANTrainStep(b *testing.B) {
	d := device.OpenForTest(b) // skips without a GPU, fails with VIGIL_EXPECT_GPU=1
	benchTrainStep(b, exec.Factory(func() (exec.Backend, error) { return exec.NewGPUBackend(d) }))
}
