package forest

// The test datasets, generated exactly as testdata/make_golden.py does.

// lcg is Knuth's MMIX linear congruential generator; next returns the top
// 31 bits of the state.
type lcg struct{ s uint64 }

func (r *lcg) next() int {
	r.s = r.s*6364136223846793005 + 1442695040888963407
	return int(r.s >> 33)
}

func (r *lcg) intn(n int) int { return r.next() % n }

// tri is triangular noise in hundredths of half-width half.
func (r *lcg) tri(half int) int { return r.intn(half+1) + r.intn(half+1) - half }

// cents is v hundredths, rounded once as Python's v / 100.
func cents(v int) float64 { return float64(v) / 100 }

// minerData is make_golden.py's miner: x0 and x1 informative, x2 a small
// integer count (weak, many ties), x3…x5 uniform noise.
func minerData(seed uint64, n, posPer100 int) ([][]float64, []bool) {
	r := &lcg{seed}
	x := make([][]float64, 0, n)
	y := make([]bool, 0, n)
	for range n {
		lab := r.intn(100) < posPer100
		c0, c1, c2 := 3500, 250, 0
		if lab {
			c0, c1, c2 = 6000, 450, 2
		}
		row := []float64{
			cents(c0 + r.tri(2500)),
			cents(c1 + r.tri(300)),
			float64(r.intn(8) + c2),
			cents(r.intn(10001)),
			cents(r.intn(10001)),
			cents(r.intn(10001)),
		}
		x = append(x, row)
		y = append(y, lab)
	}
	return x, y
}

// blobData is make_golden.py's blobs: inliers around (0, 0) and (3, 3),
// then nOut outliers spread over [−8, 8]².
func blobData(seed uint64, n, nOut int) [][]float64 {
	r := &lcg{seed}
	var x [][]float64
	for i := range n - nOut {
		c := 0
		if i%2 == 1 {
			c = 300
		}
		a := cents(c + r.tri(150))
		b := cents(c + r.tri(150))
		x = append(x, []float64{a, b})
	}
	for range nOut {
		a := cents(r.intn(1601) - 800)
		b := cents(r.intn(1601) - 800)
		x = append(x, []float64{a, b})
	}
	return x
}

// tiesData is make_golden.py's ties: small integers, many ties, features
// constant within nodes.
func tiesData(seed uint64, n int) ([][]float64, []bool) {
	r := &lcg{seed}
	var x [][]float64
	var y []bool
	for range n {
		a, b, c, d := r.intn(3), r.intn(2), r.intn(4), r.intn(5)
		x = append(x, []float64{float64(a), float64(b), float64(c), float64(d) / 2})
		y = append(y, 2*a+b+r.intn(3) >= 4)
	}
	return x, y
}

type goldenTree struct {
	left, right, feature []int
	threshold, impurity  []float64
	nSamples             []int
	weightedN            []float64
	value0, value1       []float64
}

type goldenTreeCase struct {
	name        string
	ties        bool
	seed        uint32
	classWeight ClassWeight
	sqrt        bool
	maxDepth    int
	minLeaf     int
	treeSeed    uint32
	tree        goldenTree
}

type goldenForestCase struct {
	name        string
	seed        uint32
	classWeight ClassWeight
	nEstimators int
	maxDepth    int
	minSplit    int
	nodeCounts  []int
	proba       []float64
	importances []float64
	oobScore    float64
	oobProba    []float64
}

type goldenIsolationCase struct {
	name              string
	seed              uint32
	nEstimators       int
	maxSamples        int
	maxFeatures       int
	contamination     float64
	nodeCounts        []int
	offset            float64
	scoreSamples      []float64
	trainScoreSamples []float64
}
