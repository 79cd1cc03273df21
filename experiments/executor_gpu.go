//go:build gpu

package experiments

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
)

// gpuDevices are the GPUs opened by this process, by index; they stay open
// until it exits.
var gpuDevices = struct {
	sync.Mutex
	open map[int]*device.Device
}{open: map[int]*device.Device{}}

func init() {
	gpuFactory = func(dev string) (graph.RunnerFactory, error) {
		index := 0
		if s, ok := strings.CutPrefix(dev, "cuda:"); ok {
			i, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("device %q: %w", dev, err)
			}
			index = i
		} else if dev != "cuda" {
			return nil, fmt.Errorf("device %q is not a GPU", dev)
		}
		gpuDevices.Lock()
		defer gpuDevices.Unlock()
		d := gpuDevices.open[index]
		if d == nil {
			var err error
			if d, err = device.Open(index); err != nil {
				return nil, err
			}
			gpuDevices.open[index] = d
		}
		return exec.Factory(func() (exec.Backend, error) { return exec.NewGPUBackend(d) }), nil
	}
}
