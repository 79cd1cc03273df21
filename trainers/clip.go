package trainers

import "math"

// ClipGradNorm scales grads in place so that their global 2-norm (over all
// parameters) is at most maxNorm, and returns the norm before clipping.
// maxNorm 0 leaves them as they are.
func ClipGradNorm(grads [][]float32, maxNorm float64) float64 {
	var sum float64
	for _, g := range grads {
		for _, v := range g {
			sum += float64(v) * float64(v)
		}
	}
	norm := math.Sqrt(sum)
	if maxNorm <= 0 || norm <= maxNorm {
		return norm
	}
	scale := float32(maxNorm / (norm + 1e-6))
	for _, g := range grads {
		for i := range g {
			g[i] *= scale
		}
	}
	return norm
}

// clipRows is ClipGradNorm over the dense gradients and the values of the
// row gradients together.
func clipRows(grads [][]float32, rows []*RowGrad, maxNorm float64) float64 {
	if len(rows) == 0 {
		return ClipGradNorm(grads, maxNorm)
	}
	all := make([][]float32, 0, len(grads)+len(rows))
	all = append(all, grads...)
	for _, r := range rows {
		if r != nil {
			all = append(all, r.Values)
		}
	}
	return ClipGradNorm(all, maxNorm)
}
