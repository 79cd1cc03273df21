package logins

import (
	"math"
	"math/rand/v2"
)

// gammaDraw draws from Gamma(shape, 1) (Marsaglia and Tsang, 2000).
func gammaDraw(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaDraw(rng, shape+1) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// betaDraw draws from Beta(a, b).
func betaDraw(rng *rand.Rand, a, b float64) float64 {
	x := gammaDraw(rng, a)
	y := gammaDraw(rng, b)
	if x+y == 0 {
		return 0.5
	}
	return x / (x + y)
}

// paretoDraw draws from a Pareto (type I) distribution with minimum scale.
func paretoDraw(rng *rand.Rand, scale, shape float64) float64 {
	u := 1 - rng.Float64() // in (0, 1]
	return scale * math.Pow(u, -1/shape)
}

// weighted draws indices in proportion to weights.
type weighted struct {
	cum []float64
	ids []int
}

func newWeighted(ids []int, weight func(int) float64) *weighted {
	w := &weighted{ids: ids, cum: make([]float64, len(ids))}
	total := 0.0
	for k, i := range ids {
		total += weight(i)
		w.cum[k] = total
	}
	return w
}

func (w *weighted) draw(rng *rand.Rand) int {
	x := rng.Float64() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return w.ids[lo]
}
