//go:build gpu

package experiments

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-ml/vigil/cuda"
	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/cuda/selftest"
	"github.com/vigil-ml/vigil/graph"
)

// gpu is one GPU opened and self-tested by this process: d is nil when err
// says why it is not usable.
type gpu struct {
	d   *device.Device
	err error
}

// gpus are the GPUs this process has tried, by index; usable ones stay
// open until it exits.
var gpus = struct {
	sync.Mutex
	tried map[int]gpu
}{tried: map[int]gpu{}}

func init() {
	gpuSelect = selectGPU
	gpuFactory = func(dev string, log *slog.Logger) (graph.RunnerFactory, error) {
		index, err := gpuIndex(dev)
		if err != nil {
			return nil, err
		}
		d, err := openGPU(index)
		if err != nil {
			return nil, err
		}
		// A failed capture is not an error (the schedule runs call by
		// call), but it costs speed: say so once per program.
		warn := exec.OnRecordErr(func(err error) {
			log.Warn("the training step runs without a CUDA graph", "device", dev, "reason", err.Error())
		})
		return exec.Factory(func() (exec.Backend, error) { return exec.NewGPUBackend(d) }, warn), nil
	}
}

// selectGPU implements gpuSelect.
func selectGPU(dev string) (string, error) {
	if dev != "auto" {
		index, err := gpuIndex(dev)
		if err == nil {
			_, err = openGPU(index)
		}
		return dev, err
	}
	devs, err := cuda.Devices()
	if err != nil {
		return "", err
	}
	var failed []string
	for _, d := range devs {
		if _, err := openGPU(d.Index); err != nil {
			failed = append(failed, err.Error())
			continue
		}
		return fmt.Sprintf("cuda:%d", d.Index), nil
	}
	return "", errors.New(strings.Join(failed, "; "))
}

// gpuIndex parses "cuda" (GPU 0) and "cuda:N".
func gpuIndex(dev string) (int, error) {
	s, ok := strings.CutPrefix(dev, "cuda:")
	if !ok {
		if dev != "cuda" {
			return 0, fmt.Errorf("device %q is not a GPU", dev)
		}
		return 0, nil
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("device %q: %w", dev, err)
	}
	return i, nil
}

// openGPU opens GPU index and runs cuda/selftest on it, once per process.
func openGPU(index int) (*device.Device, error) {
	gpus.Lock()
	defer gpus.Unlock()
	if g, ok := gpus.tried[index]; ok {
		return g.d, g.err
	}
	d, err := device.Open(index)
	if err != nil {
		err = fmt.Errorf("cuda:%d: %w", index, err)
	} else if err = selftest.GPU(d, Probes()...); err != nil {
		err = fmt.Errorf("cuda:%d: %s (sm_%d%d): %w", index, d.Name, d.Major, d.Minor, err)
		_ = d.Close()
		d = nil
	}
	gpus.tried[index] = gpu{d, err}
	return d, err
}
