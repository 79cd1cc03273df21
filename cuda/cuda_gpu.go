//go:build gpu

package cuda

import (
	"errors"
	"fmt"

	"gorgonia.org/cu"
)

// ErrNoDevice says the driver is loaded but reports no GPU.
var ErrNoDevice = errors.New("the CUDA driver reports no GPU")

// Device describes one GPU.
type Device struct {
	Index int
	Name  string
}

// Devices lists the GPUs the CUDA driver reports. The driver itself was
// initialised when the process started (gorgonia.org/cu exits the process
// when cuInit fails), so an error here means no GPU or a failed query.
func Devices() ([]Device, error) {
	n, err := cu.NumDevices()
	if err != nil {
		return nil, fmt.Errorf("cuDeviceGetCount: %w", err)
	}
	if n == 0 {
		return nil, ErrNoDevice
	}
	devs := make([]Device, 0, n)
	for i := 0; i < n; i++ {
		d, err := cu.GetDevice(i)
		if err != nil {
			return nil, fmt.Errorf("cuDeviceGet(%d): %w", i, err)
		}
		name, err := d.Name()
		if err != nil {
			return nil, fmt.Errorf("device %d: %w", i, err)
		}
		devs = append(devs, Device{Index: i, Name: name})
	}
	return devs, nil
}

// ComputeCapability returns the compute capability of GPU index (8, 0 for
// an A100).
func ComputeCapability(index int) (major, minor int, err error) {
	d, err := cu.GetDevice(index)
	if err != nil {
		return 0, 0, fmt.Errorf("cuDeviceGet(%d): %w", index, err)
	}
	return d.ComputeCapability()
}

// DriverVersion is the CUDA version the installed driver supports, as
// major*1000 + minor*10 (12040 for CUDA 12.4).
func DriverVersion() int { return cu.Version() }
