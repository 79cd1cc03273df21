//go:build amd64 && !purego

package layers

import "golang.org/x/sys/cpu"

// microKernel is the AVX2/FMA kernel where the CPU supports it, else nil
// (gemm then falls back to gonum).
var microKernel kernelFunc

func init() {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		microKernel = kernelAVX2
	}
}

// kernelAVX2 checks the slice bounds and runs the assembly kernel.
func kernelAVX2(k int, a, b, c []float32, ldc int) {
	_ = a[k*gemmMR-1]
	_ = b[k*gemmNR-1]
	_ = c[(gemmMR-1)*ldc+gemmNR-1]
	kernel6x16AVX2(k, &a[0], &b[0], &c[0], ldc)
}

// kernel6x16AVX2 adds the product of packed panels a (k×6) and b (k×16) to
// the 6×16 tile at c with row stride ldc (in elements). k must be positive.
//
//go:noescape
func kernel6x16AVX2(k int, a, b, c *float32, ldc int)
