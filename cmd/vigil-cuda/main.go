//go:build gpu

// Command vigil-cuda is the GPU build of vigil (built with -tags gpu, see
// `make cuda`): the same command line, with runs on a GPU (device auto, cuda
// or cuda:N) executed by cuda/exec's GPU backend once the GPU has passed
// cuda/selftest.
// `vigil-cuda devices` lists and self-tests the GPUs and exits non-zero when
// none is usable (the output is described at cuda.ProbeGPU); the pure-Go
// vigil runs it to probe a machine, and hands runs with device auto, cuda
// or cuda:N over to it when a GPU is usable.
//
// It links against libcuda.so.1, the driver library: on a host without the
// NVIDIA driver it does not start, and where the driver cannot initialise it
// exits with status 1 from gorgonia.org/cu's package initialisation, before
// main runs. The plain vigil binary is the one to run on machines that may
// have no GPU.
package main

import (
	"os"

	"github.com/vigil-ml/vigil/cmd/internal/cli"
)

func main() { os.Exit(cli.Main()) }
