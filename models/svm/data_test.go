package svm

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

func separableData() ([][]float64, []bool) {
	r := &lcg{1}
	var x [][]float64
	var y []bool
	for i := range 24 {
		lab := i%2 == 1
		c := -150
		if lab {
			c = 150
		}
		a := cents(c + r.intn(241) - 120)
		b := cents(c + r.intn(241) - 120)
		x = append(x, []float64{a, b})
		y = append(y, lab)
	}
	return x, y
}

func imbalancedData() ([][]float64, []bool) {
	r := &lcg{2}
	var x [][]float64
	var y []bool
	for i := range 60 {
		lab := i%6 == 0
		c := -50
		if lab {
			c = 100
		}
		row := make([]float64, 2)
		for j := range row {
			u := r.intn(201)
			v := r.intn(201)
			row[j] = cents(c + u + v - 200)
		}
		x = append(x, row)
		y = append(y, lab)
	}
	return x, y
}

func ringData() ([][]float64, []bool) {
	r := &lcg{3}
	var x [][]float64
	var y []bool
	k := 0
	for len(x) < 80 {
		a := r.intn(301) - 150
		b := r.intn(301) - 150
		r2 := a*a + b*b
		var lab bool
		switch {
		case r2 < 3600:
			lab = false
		case 8100 < r2 && r2 < 19600:
			lab = true
		default:
			continue
		}
		if k%11 == 5 {
			lab = !lab
		}
		k++
		x = append(x, []float64{cents(a), cents(b)})
		y = append(y, lab)
	}
	return x, y
}

var datasets = map[string]func() ([][]float64, []bool){
	"separable":  separableData,
	"imbalanced": imbalancedData,
	"ring":       ringData,
	"overlap":    overlapData,
}

// checksum is make_golden.py's order-sensitive sum.
func checksum(x [][]float64, y []bool) float64 {
	var s float64
	for i, row := range x {
		lab := 0.0
		if y[i] {
			lab = 1
		}
		s += float64(i+1) * (row[0] + 2*row[1] + 3*lab)
	}
	return s
}

func overlapData() ([][]float64, []bool) {
	r := &lcg{4}
	var x [][]float64
	var y []bool
	for i := range 300 {
		lab := i%4 == 0
		c := -20
		if lab {
			c = 60
		}
		row := make([]float64, 2)
		for j := range row {
			u := r.intn(201)
			v := r.intn(201)
			row[j] = cents(c + u + v - 200)
		}
		x = append(x, row)
		y = append(y, lab)
	}
	return x, y
}
