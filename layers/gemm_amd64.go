//go:build amd64 && !purego

package layers

import "golang.org/x/sys/cpu"

var (
	avx2Kernel   = gemmKernel{"avx2", 6, kernelAVX2}
	avx512Kernel = gemmKernel{"avx512", 8, kernelAVX512}
)

// kernels returns the micro-kernels this CPU can run, fastest first.
func kernels() []gemmKernel {
	var ks []gemmKernel
	if cpu.X86.HasAVX512F {
		ks = append(ks, avx512Kernel)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
	}
	return append(ks, goKernel)
}

func init() { kernel = kernels()[0] }

// kernelAVX2 checks the slice bounds and runs the 6×16 AVX2 kernel.
func kernelAVX2(k int, a, b, c []float32, ldb, ldc int) {
	_ = a[k*6-1]
	_ = b[(k-1)*ldb+gemmNR-1]
	_ = c[5*ldc+gemmNR-1]
	kernel6x16AVX2(k, &a[0], &b[0], &c[0], ldb, ldc)
}

// kernelAVX512 checks the slice bounds and runs the 8×16 AVX-512 kernel.
func kernelAVX512(k int, a, b, c []float32, ldb, ldc int) {
	_ = a[k*8-1]
	_ = b[(k-1)*ldb+gemmNR-1]
	_ = c[7*ldc+gemmNR-1]
	kernel8x16AVX512(k, &a[0], &b[0], &c[0], ldb, ldc)
}

// kernel6x16AVX2 adds the product of a packed A panel (k×6) and 16 columns
// of b (k rows, ldb elements apart) to the 6×16 tile at c (rows ldc
// elements apart). k must be positive.
//
//go:noescape
func kernel6x16AVX2(k int, a, b, c *float32, ldb, ldc int)

// kernel8x16AVX512 adds the product of a packed A panel (k×8) and 16
// columns of b (k rows, ldb elements apart) to the 8×16 tile at c (rows ldc
// elements apart). k must be positive.
//
//go:noescape
func kernel8x16AVX512(k int, a, b, c *float32, ldb, ldc int)
