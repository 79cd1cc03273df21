//go:build !gpu

// Package cuda is the GPU execution path. This default build has none: every
// entry point returns ErrNotBuilt, and callers fall back to the CPU.
package cuda

import "errors"

// ErrNotBuilt says this binary was built without the gpu tag.
var ErrNotBuilt = errors.New("this vigil build has no GPU support (the GPU path is built with -tags gpu)")

// Device describes one GPU.
type Device struct {
	Index int
	Name  string
}

// Devices lists usable GPUs.
func Devices() ([]Device, error) { return nil, ErrNotBuilt }
