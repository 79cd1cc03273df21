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
