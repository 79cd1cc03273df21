//go:build !gpu

package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/cuda"
)

// listGPUs asks the GPU build in a child process.
func listGPUs(cmd *cobra.Command) error {
	out := cmd.OutOrStdout()
	p := cuda.ProbeGPU(cmd.Context())
	if p.Err != nil {
		fmt.Fprintf(out, "cuda: none usable (%v)\n", p.Err)
		return nil
	}
	for _, d := range p.Devices {
		fmt.Fprintln(out, d)
	}
	for _, d := range p.Unusable {
		fmt.Fprintln(out, cuda.UnusablePrefix+d)
	}
	fmt.Fprintf(out, "(reported by %s; runs with device=auto, cuda or cuda:N continue there)\n", p.Helper)
	return nil
}
