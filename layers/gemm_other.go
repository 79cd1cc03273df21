//go:build !amd64 || purego

package layers

// kernels returns the portable micro-kernel only.
func kernels() []gemmKernel { return []gemmKernel{goKernel} }
