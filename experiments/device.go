package experiments

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/vigil-ml/vigil/cuda"
)

// autoNote says why device auto stays on the CPU where a GPU exists.
const autoNote = "device auto trains on the CPU until GPU training is verified; set device=cuda to use the GPU"

// resolveDevice maps the config's device to the one this process trains on.
// In the GPU build (vigil-cuda) cuda and cuda:N are taken as they are (the
// driver is loaded in-process; opening the device reports what is wrong).
// The pure-Go build probes the GPU in a child process, so a missing driver
// or GPU never crashes a run: auto falls back to the CPU with one log line
// saying why, and cuda either fails with one sentence or, where a GPU is
// found, returns a *cuda.UseGPUBuildError so the command line re-runs
// itself under the GPU build.
func resolveDevice(ctx context.Context, device string, log *slog.Logger) (string, error) {
	if device == "cpu" {
		return "cpu", nil
	}
	if gpuFactory != nil {
		if device == "auto" {
			log.Info("training on the CPU", "reason", autoNote)
			return "cpu", nil
		}
		return device, nil
	}
	probe := cuda.ProbeGPU(ctx)
	if device == "auto" {
		reason := autoNote + " (found " + strings.Join(probe.Devices, "; ") + ")"
		if probe.Err != nil {
			reason = "no usable GPU: " + probe.Err.Error()
		}
		log.Info("training on the CPU", "reason", reason)
		return "cpu", nil
	}
	if probe.Err != nil {
		return "", fmt.Errorf("device %s requested but no usable GPU: %s; use --set device=cpu or device=auto", device, probe.Err)
	}
	return "", &cuda.UseGPUBuildError{Helper: probe.Helper, Devices: probe.Devices}
}
