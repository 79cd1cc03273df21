//go:build gpu

package selftest

import (
	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
)

// GPU runs Check on d through cuda/exec's GPU backend.
func GPU(d *device.Device) error { return Check(gpuBackend(d)) }

// MeasureGPU runs Measure on d through cuda/exec's GPU backend.
func MeasureGPU(d *device.Device) (Report, error) { return Measure(gpuBackend(d)) }

func gpuBackend(d *device.Device) func() (exec.Backend, error) {
	return func() (exec.Backend, error) {
		b, err := exec.NewGPUBackend(d)
		if err != nil {
			return nil, err
		}
		return b, nil
	}
}
