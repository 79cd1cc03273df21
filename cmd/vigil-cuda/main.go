//go:build gpu

// Command vigil-cuda is the GPU build of vigil (built with -tags gpu, see
// `make cuda`): the same command line, with runs on device cuda or cuda:N
// executed by cuda/exec's GPU backend. `vigil-cuda devices` lists the GPUs
// and exits non-zero when there is none; the pure-Go vigil runs it to probe
// a machine, and hands runs with device=cuda over to it.
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
