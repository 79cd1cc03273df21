package experiments

import (
	"fmt"

	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
)

// gpuFactory returns the runner factory of a GPU device ("cuda" or
// "cuda:N"); only a gpu build sets it.
var gpuFactory func(device string) (graph.RunnerFactory, error)

// runnerFactory returns how the model graphs of cfg run on device: nil for
// gorgonia's tape machine (executor tape), cuda/exec otherwise (executor
// program): its CPU backend on the CPU, the GPU backend of a gpu build on
// a GPU.
func runnerFactory(cfg Config, device string) (graph.RunnerFactory, error) {
	switch cfg.Executor {
	case "", "tape":
		return nil, nil
	case "program":
	default:
		return nil, fmt.Errorf("executor: %q is not tape or program", cfg.Executor)
	}
	if device == "cpu" {
		return exec.CPUFactory(), nil
	}
	if gpuFactory == nil {
		return nil, fmt.Errorf("executor program on device %s needs the gpu build", device)
	}
	return gpuFactory(device)
}
