package sweep

import (
	"math"
	"math/rand/v2"
	"slices"
)

const eps = 1e-12

// mixture is a truncated Gaussian mixture, TPE's Parzen estimator.
type mixture struct {
	weights, mus, sigmas []float64
}

// parzen fits Optuna's univariate Parzen estimator to obs (oldest first)
// on [lo, hi]: a component per observation, its width the larger gap to
// its sorted neighbours (or to lo and hi), plus the prior N((lo+hi)/2,
// hi-lo); widths clipped to [(hi-lo)/min(100, 1+k) (magic clip), hi-lo].
func (s *TPE) parzen(obs []float64, lo, hi float64) mixture {
	considerPrior := s.ConsiderPrior || len(obs) == 0
	weights := s.Weights(len(obs))
	order := make([]int, len(obs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case obs[a] < obs[b]:
			return -1
		case obs[a] > obs[b]:
			return 1
		}
		return 0
	})
	var m mixture
	priorMu, priorSigma := 0.5*(lo+hi), hi-lo
	priorPos := -1
	for _, i := range order {
		if considerPrior && priorPos < 0 && obs[i] >= priorMu { // numpy searchsorted, side left
			priorPos = len(m.mus)
			m.mus = append(m.mus, priorMu)
			m.weights = append(m.weights, s.PriorWeight)
		}
		m.mus = append(m.mus, obs[i])
		m.weights = append(m.weights, weights[i])
	}
	if considerPrior && priorPos < 0 {
		priorPos = len(m.mus)
		m.mus = append(m.mus, priorMu)
		m.weights = append(m.weights, s.PriorWeight)
	}
	k := len(m.mus)
	m.sigmas = make([]float64, k)
	if len(obs) > 0 {
		ext := append(append([]float64{lo}, m.mus...), hi)
		for i := 1; i <= k; i++ {
			m.sigmas[i-1] = math.Max(ext[i]-ext[i-1], ext[i+1]-ext[i])
		}
		if !s.ConsiderEndpoints { // k = 1: the second line wins, as in Optuna
			m.sigmas[0] = ext[2] - ext[1]
			m.sigmas[k-1] = ext[k] - ext[k-1]
		}
	}
	sum := 0.0
	for _, w := range m.weights {
		sum += w
	}
	for i := range m.weights {
		m.weights[i] /= sum
	}
	minSigma := eps
	if s.ConsiderMagicClip {
		minSigma = (hi - lo) / math.Min(100, 1+float64(k))
	}
	for i := range m.sigmas {
		m.sigmas[i] = math.Max(minSigma, math.Min(hi-lo, m.sigmas[i]))
	}
	if considerPrior {
		m.sigmas[priorPos] = priorSigma
	}
	return m
}

// sample draws from the mixture truncated to [lo, hi), rounded to a
// multiple of q when q > 0.
func (m mixture) sample(rng *rand.Rand, lo, hi, q float64) float64 {
	j := drawIndex(m.weights, rng)
	x := truncNormal(rng, m.mus[j], m.sigmas[j], lo, hi)
	if q > 0 {
		x = math.Round(x/q) * q
	}
	return x
}

// truncNormal draws N(mu, sigma) restricted to [lo, hi) by inverting the CDF
// (in the lower tail, where it is accurate).
func truncNormal(rng *rand.Rand, mu, sigma, lo, hi float64) float64 {
	a, b := (lo-mu)/sigma, (hi-mu)/sigma
	flip := a > 0
	if flip {
		a, b = -b, -a
	}
	pa, pb := phi(a), phi(b)
	z := -math.Sqrt2 * math.Erfcinv(2*(pa+rng.Float64()*(pb-pa)))
	if flip {
		z = -z
	}
	x := mu + sigma*z
	if math.IsNaN(x) || x < lo {
		x = lo
	}
	if x >= hi {
		x = math.Nextafter(hi, lo)
	}
	return x
}

// phi is the standard normal CDF.
func phi(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// logPDF is the log density of the truncated mixture at x, or with q > 0
// the log probability of the bin [x-q/2, x+q/2] ∩ [lo, hi].
func (m mixture) logPDF(x, lo, hi, q float64) float64 {
	accept := 0.0
	for j := range m.mus {
		accept += m.weights[j] * (phi((hi-m.mus[j])/m.sigmas[j]) - phi((lo-m.mus[j])/m.sigmas[j]))
	}
	if q > 0 {
		up, down := math.Min(x+q/2, hi), math.Max(x-q/2, lo)
		p := 0.0
		for j := range m.mus {
			p += m.weights[j] * (phi((up-m.mus[j])/m.sigmas[j]) - phi((down-m.mus[j])/m.sigmas[j]))
		}
		return math.Log(p+eps) - math.Log(accept+eps)
	}
	terms := make([]float64, len(m.mus))
	for j := range m.mus {
		d := (x - m.mus[j]) / math.Max(m.sigmas[j], eps)
		terms[j] = -0.5*d*d + math.Log(m.weights[j]/(math.Sqrt(2*math.Pi)*m.sigmas[j]*accept))
	}
	return logSumExp(terms)
}

func logSumExp(x []float64) float64 {
	m := slices.Max(x)
	if math.IsInf(m, 0) {
		return m
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}
