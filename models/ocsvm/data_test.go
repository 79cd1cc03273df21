package ocsvm

import "github.com/vigil-ml/vigil/models/svm"

// The test datasets, generated exactly as testdata/make_golden.py does.

// lcg is Knuth's MMIX linear congruential generator; next returns the top
// 31 bits of the state.
type lcg struct{ s uint64 }

func (r *lcg) next() int {
	r.s = r.s*6364136223846793005 + 1442695040888963407
	return int(r.s >> 33)
}

func (r *lcg) intn(n int) int { return r.next() % n }

// cents is v hundredths, rounded once as Python's v / 100.
func cents(v int) float64 { return float64(v) / 100 }

// sessionData is make_golden.py's sessions: an elongated blob of inliers
// around (1, −0.5), then nOut outliers over [−6, 6]².
func sessionData(seed uint64, n, nOut int) [][]float64 {
	r := &lcg{seed}
	var x [][]float64
	for range n - nOut {
		a := 100 + r.intn(201) + r.intn(201) - 200
		b := -50 + r.intn(101) + r.intn(101) - 100
		x = append(x, []float64{cents(a), cents(b)})
	}
	for range nOut {
		a := cents(r.intn(1201) - 600)
		b := cents(r.intn(1201) - 600)
		x = append(x, []float64{a, b})
	}
	return x
}

// gridData is make_golden.py's grid of query points.
func gridData() [][]float64 {
	var q [][]float64
	for i := range 6 {
		for j := range 5 {
			q = append(q, []float64{cents(-500 + 200*i), cents(-400 + 200*j)})
		}
	}
	return q
}

type goldenCase struct {
	name         string
	seed         uint64
	n, nOut      int
	nu           float64
	shrinking    bool
	kernel       svm.Kernel
	gamma        float64
	support      []int
	dualCoef     []float64
	offset       float64
	intercept    float64
	nIter        int
	decision     []float64
	scoreSamples []float64
	predict      []int
}
