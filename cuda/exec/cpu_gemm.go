package exec

import (
	"fmt"
	"math"
)

var negInf = math.Inf(-1)

// Gemm is SGEMM, row-major (see Backend.Gemm), accumulating in float32.
func (c *CPUBackend) Gemm(tA, tB bool, m, n, k int, alpha float32, a Buf, lda int, b Buf, ldb int, beta float32, cm Buf, ldc int) error {
	return c.GemmStridedBatched(tA, tB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, cm, ldc, 0, 1)
}

// need is the number of values a matrix of rows×cols with leading
// dimension ld spans.
func need(rows, cols, ld int) int { return (rows-1)*ld + cols }

// GemmStridedBatched is batch SGEMMs on strided matrices.
func (c *CPUBackend) GemmStridedBatched(tA, tB bool, m, n, k int, alpha float32, a Buf, lda, strideA int, b Buf, ldb, strideB int, beta float32, cm Buf, ldc, strideC, batch int) error {
	if m < 1 || n < 1 || k < 1 || batch < 1 || strideA < 0 || strideB < 0 || strideC < 0 {
		return fmt.Errorf("gemm: m=%d n=%d k=%d batch %d strides %d %d %d", m, n, k, batch, strideA, strideB, strideC)
	}
	ar, ac := m, k
	if tA {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB {
		br, bc = n, k
	}
	if lda < ac || ldb < bc || ldc < n {
		return fmt.Errorf("gemm: leading dimensions %d %d %d below %d %d %d", lda, ldb, ldc, ac, bc, n)
	}
	av, err := c.view(a, (batch-1)*strideA+need(ar, ac, lda))
	if err != nil {
		return err
	}
	bv, err := c.view(b, (batch-1)*strideB+need(br, bc, ldb))
	if err != nil {
		return err
	}
	cv, err := c.view(cm, (batch-1)*strideC+need(m, n, ldc))
	if err != nil {
		return err
	}
	acc := make([]float32, n)
	for bt := range batch {
		A, B, C := av[bt*strideA:], bv[bt*strideB:], cv[bt*strideC:]
		for i := range m {
			clear(acc)
			if tB { // B stored n×k: dot products of rows
				for j := range n {
					var s float32
					for p := range k {
						s += aAt(A, tA, lda, i, p) * B[j*ldb+p]
					}
					acc[j] = s
				}
			} else {
				for p := range k {
					aip := aAt(A, tA, lda, i, p)
					row := B[p*ldb : p*ldb+n]
					for j, bv := range row {
						acc[j] += aip * bv
					}
				}
			}
			crow := C[i*ldc : i*ldc+n]
			for j := range crow {
				if beta == 0 {
					crow[j] = alpha * acc[j]
				} else {
					crow[j] = alpha*acc[j] + beta*crow[j]
				}
			}
		}
	}
	return nil
}

// aAt is op(A)[i, p] for A stored m×k (or k×m with tA) with leading
// dimension lda.
func aAt(A []float32, tA bool, lda, i, p int) float32 {
	if tA {
		return A[p*lda+i]
	}
	return A[i*lda+p]
}
