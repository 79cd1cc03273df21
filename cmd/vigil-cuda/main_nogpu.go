//go:build !gpu

package main

import (
	"fmt"
	"os"
)

// Without the gpu tag this command has nothing to do; it exists so that
// `go build ./...` works in the default build.
func main() {
	fmt.Fprintln(os.Stderr, "vigil-cuda: built without -tags gpu; build it with `make cuda`")
	os.Exit(2)
}
