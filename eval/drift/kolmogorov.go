package drift

import "math"

// kolmogorovCutover is where KolmogorovSF switches series, as in Cephes and
// scipy.special.kolmogorov.
const kolmogorovCutover = 0.82

// KolmogorovSF returns Q(x) = P(K > x) for the limiting Kolmogorov
// distribution K = sup |B(t)| of a Brownian bridge:
//
//	Q(x) = 2 Σ_{k>=1} (-1)^(k-1) exp(-2 k² x²)                      (x >= 0.82)
//	Q(x) = 1 - (sqrt(2π)/x) Σ_{k>=1} exp(-(2k-1)² π² / (8 x²))      (0 < x < 0.82)
//
// Each series is summed until its terms stop changing the sum. It returns 1
// for x <= 0 and NaN for NaN; the result underflows to 0 near x = 19.4.
// This matches scipy.special.kolmogorov.
func KolmogorovSF(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return math.NaN()
	case x <= 0:
		return 1
	case x < kolmogorovCutover:
		w := math.Pi * math.Pi / (8 * x * x)
		var sum float64
		for k := 1; k < 100; k++ {
			odd := float64(2*k - 1)
			term := math.Exp(-odd * odd * w)
			sum += term
			if term <= sum*1e-17 {
				break
			}
		}
		return max(0, 1-math.Sqrt(2*math.Pi)/x*sum)
	default:
		var sum float64
		sign := 1.0
		for k := 1; k < 100; k++ {
			kf := float64(k)
			term := math.Exp(-2 * kf * kf * x * x)
			sum += sign * term
			if term <= math.Abs(sum)*1e-17 {
				break
			}
			sign = -sign
		}
		return min(1, max(0, 2*sum))
	}
}
