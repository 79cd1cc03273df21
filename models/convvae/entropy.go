package convvae

import "math"

// InputEntropy returns, per window idx, the mean binary entropy of its
// values: H(x) = -mean(x log x + (1-x) log(1-x)), with 0 log 0 = 0. A
// window's reconstruction BCE is H(x) + KL(x || reconstruction), so
// BCE - H(x) ("excess BCE") measures reconstruction error alone, without the
// part fixed by which commands the window holds.
func InputEntropy(w Windows, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		var s float64
		for _, v := range w.Window(i) {
			x := float64(v)
			if x > 0 && x < 1 {
				s -= x*math.Log(x) + (1-x)*math.Log(1-x)
			}
		}
		out[k] = s / float64(w.Size)
	}
	return out
}
