package experiments

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/vigil-ml/vigil/cuda"
)

// resolveDevice maps the config's device to the one this process trains on.
// A GPU is usable only once the GPU build has passed cuda/selftest on it.
// The GPU build (vigil-cuda) runs the self-test in-process (gpuSelect). The
// pure-Go build probes the GPU build in a child process, so a missing driver
// or GPU never crashes a run, and where a usable GPU is found returns a
// *cuda.UseGPUBuildError so the command line re-runs itself under the GPU
// build. Without a usable GPU, auto trains on the CPU with one log line
// saying why, and cuda or cuda:N fail with one sentence.
func resolveDevice(ctx context.Context, device string, log *slog.Logger) (string, error) {
	if device == "cpu" {
		return "cpu", nil
	}
	var why error
	if gpuSelect != nil {
		dev, err := gpuSelect(device)
		if err == nil {
			if device == "auto" {
				log.Info("training on the GPU", "device", dev, "reason", "it passed the self-test")
			}
			return dev, nil
		}
		why = err
	} else {
		probe := cuda.ProbeGPU(ctx)
		if probe.Err == nil {
			return "", &cuda.UseGPUBuildError{Helper: probe.Helper, Devices: probe.Devices}
		}
		why = probe.Err
	}
	if device == "auto" {
		log.Info("training on the CPU", "reason", "no usable GPU: "+why.Error())
		return "cpu", nil
	}
	return "", fmt.Errorf("device %s requested but no usable GPU: %v; use --set device=cpu or device=auto", device, why)
}
