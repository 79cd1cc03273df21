//go:build gpu

package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/cuda"
)

// listGPUs asks the CUDA driver loaded in this process; no GPU is an error,
// so that the pure-Go build's probe sees a non-zero exit and the reason.
func listGPUs(cmd *cobra.Command) error {
	devs, err := cuda.Devices()
	if err != nil {
		return fmt.Errorf("no usable GPU: %w", err)
	}
	for _, d := range devs {
		major, minor, err := cuda.ComputeCapability(d.Index)
		if err != nil {
			return fmt.Errorf("cuda:%d: %w", d.Index, err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "cuda:%d: %s (sm_%d%d)\n", d.Index, d.Name, major, minor)
	}
	return nil
}
