//go:build gpu

package selftest

import (
	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
)

// GPU runs Check on d through cuda/exec's GPU backend.
func GPU(d *device.Device) error {
	return Check(func() (exec.Backend, error) {
		b, err := exec.NewGPUBackend(d)
		if err != nil {
			return nil, err
		}
		return b, nil
	})
}
