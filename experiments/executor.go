package experiments

import (
	"fmt"
	"log/slog"

	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
)

// gpuFactory returns the runner factory of a GPU device ("cuda" or
// "cuda:N"); only a gpu build sets it.
var gpuFactory func(device string, log *slog.Logger) (graph.RunnerFactory, error)

// gpuSelect returns the GPU to train on for device auto (the first that
// passes cuda/selftest, "cuda:N"), or device itself ("cuda", "cuda:N") when
// that GPU passes; the error says why there is none. Only a gpu build sets
// it.
var gpuSelect func(device string) (string, error)

// runnerFactory returns how the model graphs of cfg run on device: on a GPU
// the GPU backend of cuda/exec (gpu build only); on the CPU nil for
// gorgonia's tape machine (executor tape) or cuda/exec's CPU backend
// (executor program).
func runnerFactory(cfg Config, device string, log *slog.Logger) (graph.RunnerFactory, error) {
	if device != "cpu" {
		// The tape machine runs on the CPU only: a GPU always executes the
		// lowered program, whatever the executor key says.
		if gpuFactory == nil {
			return nil, fmt.Errorf("device %s needs the gpu build", device)
		}
		return gpuFactory(device, log)
	}
	switch cfg.Executor {
	case "", "tape":
		return nil, nil
	case "program":
	default:
		return nil, fmt.Errorf("executor: %q is not tape or program", cfg.Executor)
	}
	// The CPU program executor exists to check the lowered path against the
	// tape machine, so it draws the tape's noise (a GPU draws its own masks).
	return exec.CPUFactory(exec.HostNoise()), nil
}
