// Package cli is vigil's command line, shared by the pure-Go vigil binary
// and its GPU build vigil-cuda.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Main runs the command line with os.Args and returns the exit status.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := NewRootCmd().ExecuteContext(ctx); err != nil {
		if code, handled := handOver(ctx, err); handled {
			return code
		}
		var st exitStatus
		if errors.As(err, &st) {
			if st.msg != "" {
				fmt.Fprintln(os.Stderr, "vigil:", st.msg)
			}
			return st.code
		}
		fmt.Fprintln(os.Stderr, "vigil:", err)
		return 1
	}
	return 0
}
