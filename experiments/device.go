package experiments

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/vigil-ml/vigil/cuda"
)

// resolveDevice maps the config's device to the one this process trains on.
// The GPU is probed in a child process (the GPU build, vigil-cuda), so a
// missing driver or GPU never crashes a run. auto falls back to the CPU with
// one log line saying why; an explicit cuda request that cannot be met is an
// error of one sentence.
func resolveDevice(ctx context.Context, device string, log *slog.Logger) (string, error) {
	if device == "cpu" {
		return "cpu", nil
	}
	probe := cuda.ProbeGPU(ctx)
	reason := ""
	if probe.Err != nil {
		reason = "no usable GPU: " + probe.Err.Error()
	} else {
		reason = "found " + strings.Join(probe.Devices, "; ") + ", but this version of vigil does not train on the GPU yet"
	}
	if device == "auto" {
		log.Info("training on the CPU", "reason", reason)
		return "cpu", nil
	}
	return "", fmt.Errorf("device %s requested but %s; use --set device=cpu or device=auto", device, reason)
}
