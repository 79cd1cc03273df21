//go:build gpu

package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/cuda"
	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/selftest"
	"github.com/vigil-ml/vigil/experiments"
)

// listGPUs asks the CUDA driver loaded in this process and runs the
// self-test on each GPU, printing the lines cuda.ProbeGPU reads. No usable
// GPU is an error, so that the probe sees a non-zero exit and the reason.
func listGPUs(cmd *cobra.Command) error {
	devs, err := cuda.Devices()
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	var failed []string
	for _, d := range devs {
		desc := fmt.Sprintf("cuda:%d: %s", d.Index, d.Name)
		if major, minor, err := cuda.ComputeCapability(d.Index); err == nil {
			desc += fmt.Sprintf(" (sm_%d%d)", major, minor)
		}
		if err := selfTest(d.Index); err != nil {
			failed = append(failed, desc+": "+err.Error())
			fmt.Fprintln(out, cuda.UnusablePrefix+failed[len(failed)-1])
			continue
		}
		fmt.Fprintln(out, desc, "self-test ok")
	}
	if len(failed) == len(devs) {
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

// selfTest opens GPU index, runs cuda/selftest on it and closes it.
func selfTest(index int) (err error) {
	d, err := device.Open(index)
	if err != nil {
		return err
	}
	defer func() {
		if e := d.Close(); err == nil {
			err = e
		}
	}()
	return selftest.GPU(d, experiments.Probes()...)
}
