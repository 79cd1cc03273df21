package linear

import (
	"math/rand/v2"

	"github.com/vigil-ml/vigil/models"
)

// rows converts examples to Fit's rows and labels.
func rows(ex models.Examples) ([][]float64, []bool) {
	x := make([][]float64, ex.N)
	y := make([]bool, ex.N)
	for i := range x {
		for _, v := range ex.FloatAt(i) {
			x[i] = append(x[i], float64(v))
		}
		y[i] = ex.IntAt(i)[0] == 1
	}
	return x, y
}

// separable is n examples of d standard normal features labelled by a
// random hyperplane through (0.3, 0.3, ...), those within 0.2 of it left
// out: linearly separable with a margin.
func separable(n, d int, rng *rand.Rand) models.Examples {
	w := make([]float64, d)
	for j := range w {
		w[j] = rng.NormFloat64()
	}
	ex := models.Examples{Input: models.Input{FloatShape: []int{d}, IntShape: []int{1}, Vocab: 2}}
	x := make([]float32, d)
	for ex.N < n {
		s := 0.0
		for j := range x {
			x[j] = float32(rng.NormFloat64())
			s += w[j] * (float64(x[j]) - 0.3)
		}
		if s > -0.2 && s < 0.2 {
			continue
		}
		ex.Float = append(ex.Float, x...)
		if s > 0 {
			ex.Int = append(ex.Int, 1)
		} else {
			ex.Int = append(ex.Int, 0)
		}
		ex.N++
	}
	return ex
}

// imbalanced is nNeg negatives ~ N(0, I) and nPos positives ~ N(mu, I) in
// d dimensions, mu = shift on every axis: overlapping classes, the
// positives first.
func imbalanced(nPos, nNeg, d int, shift float64, rng *rand.Rand) models.Examples {
	ex := models.Examples{Input: models.Input{FloatShape: []int{d}, IntShape: []int{1}, Vocab: 2}, N: nPos + nNeg}
	for i := range ex.N {
		pos := i < nPos
		for range d {
			v := rng.NormFloat64()
			if pos {
				v += shift
			}
			ex.Float = append(ex.Float, float32(v))
		}
		if pos {
			ex.Int = append(ex.Int, 1)
		} else {
			ex.Int = append(ex.Int, 0)
		}
	}
	return ex
}

func seq(lo, hi int) []int {
	var out []int
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}
