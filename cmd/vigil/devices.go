package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/cuda"
)

func newDevicesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "devices",
		Short: "List the compute devices vigil can use",
		Long: `List the CPU and, by running the GPU build (vigil-cuda, built by make cuda)
in a child process, the GPUs the CUDA driver reports.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "cpu: %d cores (%s/%s)\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
			p := cuda.ProbeGPU(cmd.Context())
			if p.Err != nil {
				fmt.Fprintf(out, "cuda: none (%v)\n", p.Err)
				return nil
			}
			for _, d := range p.Devices {
				fmt.Fprintln(out, d)
			}
			fmt.Fprintf(out, "(reported by %s; training on the GPU is not available in this version yet)\n", p.Helper)
			return nil
		},
	}
}
