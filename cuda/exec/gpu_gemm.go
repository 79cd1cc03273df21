//go:build gpu

package exec

import "github.com/vigil-ml/vigil/cuda/device"

// Gemm is cublasSgemm_v2 through device.Blas (contiguous matrices only).
func (g *GPUBackend) Gemm(tA, tB bool, m, n, k int, alpha float32, a Buf, lda int, b Buf, ldb int, beta float32, c Buf, ldc int) error {
	if err := packed(tA, tB, m, n, k, lda, ldb, ldc); err != nil {
		return err
	}
	v, err := g.gemmBufs(m, n, k, a, 0, b, 0, c, 0, 1)
	if err != nil {
		return err
	}
	return g.Blas.Gemm(g.S, device.Gemm{M: m, N: n, K: k, TransA: tA, TransB: tB, Alpha: alpha, Beta: beta}, v[0], v[1], v[2])
}

// GemmStridedBatched is cublasSgemmStridedBatched (contiguous matrices).
func (g *GPUBackend) GemmStridedBatched(tA, tB bool, m, n, k int, alpha float32, a Buf, lda, strideA int, b Buf, ldb, strideB int, beta float32, c Buf, ldc, strideC, batch int) error {
	if err := packed(tA, tB, m, n, k, lda, ldb, ldc); err != nil {
		return err
	}
	v, err := g.gemmBufs(m, n, k, a, strideA, b, strideB, c, strideC, batch)
	if err != nil {
		return err
	}
	gm := device.Gemm{M: m, N: n, K: k, TransA: tA, TransB: tB, Alpha: alpha, Beta: beta}
	return g.Blas.GemmStridedBatched(g.S, gm, v[0], strideA, v[1], strideB, v[2], strideC, batch)
}

// gemmBufs returns the spans of a, b and c that batch strided products read.
func (g *GPUBackend) gemmBufs(m, n, k int, a Buf, sa int, b Buf, sb int, c Buf, sc, batch int) ([]device.Buffer, error) {
	out := make([]device.Buffer, 3)
	for i, o := range []struct {
		b            Buf
		size, stride int
	}{{a, m * k, sa}, {b, k * n, sb}, {c, m * n, sc}} {
		d, err := g.buf(o.b, (batch-1)*o.stride+o.size)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}
