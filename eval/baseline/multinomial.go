package baseline

import "math"

// multinomial is a smoothed categorical distribution over vocabulary slots:
// P(i) = (counts[i] + alpha) / (total + alpha*len(counts)).
type multinomial struct {
	counts []float64
	alpha  float64
	logDen float64
}

func newMultinomial(counts []float64, alpha float64) multinomial {
	total := 0.0
	for _, n := range counts {
		total += n
	}
	return multinomial{
		counts: counts,
		alpha:  alpha,
		logDen: math.Log(total + alpha*float64(len(counts))),
	}
}

// logProb returns log P(i) in nats.
func (m multinomial) logProb(i int) float64 {
	return math.Log(m.counts[i]+m.alpha) - m.logDen
}

// without returns the model refit with sub removed from its counts; sub must
// be a part of the counts, so no count goes negative.
func (m multinomial) without(sub []float64) multinomial {
	c := make([]float64, len(m.counts))
	for i := range c {
		c[i] = m.counts[i] - sub[i]
	}
	return newMultinomial(c, m.alpha)
}
