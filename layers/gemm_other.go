//go:build !amd64 || purego

package layers

// microKernel is nil without the assembly kernel: gemm uses gonum.
var microKernel kernelFunc
