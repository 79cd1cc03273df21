package experiments

import (
	"fmt"
	"log/slog"

	"github.com/vigil-ml/vigil/cuda"
)

// resolveDevice maps the config's device to the one this process trains on.
// auto falls back to the CPU with one log line saying why; an explicit cuda
// request that cannot be met is an error.
func resolveDevice(device string, log *slog.Logger) (string, error) {
	switch device {
	case "cpu":
		return "cpu", nil
	case "auto":
		if _, err := cuda.Devices(); err != nil {
			log.Info("training on the CPU", "reason", err.Error())
			return "cpu", nil
		}
		return "cpu", nil
	default:
		_, err := cuda.Devices()
		if err == nil {
			err = fmt.Errorf("GPU execution is not available in this build")
		}
		return "", fmt.Errorf("device %s requested but no usable GPU: %w; use --set device=cpu or device=auto", device, err)
	}
}
