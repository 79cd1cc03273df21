//go:build gpu

package selftest

import (
	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
)

// GPU runs Check of probes on d through cuda/exec's GPU backend.
func GPU(d *device.Device, probes ...graph.Probe) error { return Check(gpuBackend(d), probes...) }

// MeasureGPU runs Measure of probes on d through cuda/exec's GPU backend.
func MeasureGPU(d *device.Device, probes ...graph.Probe) (Report, error) {
	return Measure(gpuBackend(d), probes...)
}

func gpuBackend(d *device.Device) func() (exec.Backend, error) {
	return func() (exec.Backend, error) {
		b, err := exec.NewGPUBackend(d)
		if err != nil {
			return nil, err
		}
		return b, nil
	}
}
