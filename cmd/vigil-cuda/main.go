//go:build gpu

// Command vigil-cuda is the GPU build of vigil (built with -tags gpu, see
// `make cuda`). For now it lists the GPUs the CUDA driver reports and exits
// non-zero when there is none; the device executor that will train on them
// is not part of it yet.
//
// It links against libcuda.so.1, the driver library: on a host without the
// NVIDIA driver it does not start (the dynamic loader cannot find the
// library), and where the driver cannot initialise it exits with status 1
// from gorgonia.org/cu's package initialisation, before main runs. The plain
// vigil binary is the one to run on machines that may have no GPU.
package main

import (
	"fmt"
	"os"

	"github.com/vigil-ml/vigil/cuda"
)

func main() {
	devs, err := cuda.Devices()
	if err != nil {
		fmt.Fprintf(os.Stderr, "vigil-cuda: no usable GPU: %v\n", err)
		os.Exit(1)
	}
	v := cuda.DriverVersion()
	fmt.Printf("vigil-cuda: %d GPU(s), driver supports CUDA %d.%d\n", len(devs), v/1000, v%1000/10)
	for _, d := range devs {
		major, minor, err := cuda.ComputeCapability(d.Index)
		if err != nil {
			fmt.Fprintf(os.Stderr, "vigil-cuda: cuda:%d: %v\n", d.Index, err)
			os.Exit(1)
		}
		fmt.Printf("cuda:%d: %s (sm_%d%d)\n", d.Index, d.Name, major, minor)
	}
}
