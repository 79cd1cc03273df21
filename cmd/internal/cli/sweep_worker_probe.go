//go:build !gpu

package cli

import (
	"context"
	"fmt"

	"github.com/vigil-ml/vigil/cuda"
)

// checkWorkerDevice runs before a worker claims its trial. The pure-Go
// build cannot drive a GPU: where the GPU build finds a usable one, it
// returns the *cuda.UseGPUBuildError that makes Main re-run the command
// under vigil-cuda; where there is none, a worker asked for cuda fails
// here, leaving the trial pending for another node ("auto" trains on the
// CPU).
func checkWorkerDevice(ctx context.Context, device string) error {
	if device == "cpu" {
		return nil
	}
	p := cuda.ProbeGPU(ctx)
	if p.Err == nil {
		return &cuda.UseGPUBuildError{Helper: p.Helper, Devices: p.Devices}
	}
	if device == "auto" {
		return nil
	}
	return fmt.Errorf("device %s requested but no usable GPU: %w", device, p.Err)
}
