//go:build gpu

package cli

import "context"

// checkWorkerDevice has nothing to check in the GPU build: the trial's
// run selects and self-tests its GPU.
func checkWorkerDevice(context.Context, string) error { return nil }
