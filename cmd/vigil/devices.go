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
		Short: "List the compute devices this build can use",
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "cpu: %d cores (%s/%s)\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
			devs, err := cuda.Devices()
			if err != nil {
				fmt.Fprintf(cmd.OutOrStdout(), "cuda: none (%v)\n", err)
				return nil
			}
			for _, d := range devs {
				fmt.Fprintf(cmd.OutOrStdout(), "cuda:%d: %s\n", d.Index, d.Name)
			}
			return nil
		},
	}
}
