package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/vigil-ml/vigil/cuda"
)

// handedOverEnv marks a process started by a hand-over, so that a GPU build
// that cannot take the run never hands it on again.
const handedOverEnv = "VIGIL_HANDED_OVER"

// handOver re-runs this command line under the GPU build when err asks for
// it, passing standard streams through; it returns the child's exit status.
func handOver(ctx context.Context, err error) (int, bool) {
	var use *cuda.UseGPUBuildError
	if !errors.As(err, &use) {
		return 0, false
	}
	if os.Getenv(handedOverEnv) != "" {
		fmt.Fprintln(os.Stderr, "vigil: the GPU build handed the run back:", err)
		return 1, true
	}
	fmt.Fprintf(os.Stderr, "vigil: %v\n", use)
	cmd := exec.CommandContext(ctx, use.Helper, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), handedOverEnv+"=1")
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), true
		}
		fmt.Fprintln(os.Stderr, "vigil:", err)
		return 1, true
	}
	return 0, true
}
