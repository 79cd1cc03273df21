package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

func newDevicesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "devices",
		Short: "List the compute devices vigil can use",
		Long: `List the CPU and the GPUs. The pure-Go build asks the GPU build (vigil-cuda,
built by make cuda) in a child process; the GPU build asks the CUDA driver,
runs a numerical self-test on each GPU (a GPU is usable only when it passes)
and exits non-zero when no GPU is usable.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "cpu: %d cores (%s/%s)\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
			return listGPUs(cmd)
		},
	}
}
