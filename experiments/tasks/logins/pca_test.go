package logins

import (
	"math"
	"testing"
)

func TestPCA(t *testing.T) {
	s := 1 / math.Sqrt(2)
	u := []float64{s, s, 0, 0}  // the long axis
	w := []float64{0, 0, -s, s} // the short one
	var rows [][]float32
	var as, bs []float64
	// A full grid: the coordinates along u and w are uncorrelated.
	for _, a := range []float64{-3, -1.5, 0, 1.5, 3} {
		for _, b := range []float64{-1, 0, 1} {
			as, bs = append(as, a), append(bs, b)
			r := make([]float32, 4)
			for j := range r {
				r[j] = float32(a*u[j] + b*w[j] + float64(j+1))
			}
			rows = append(rows, r)
		}
	}
	p, err := fitPCA(rows)
	if err != nil {
		t.Fatal(err)
	}
	if c := math.Abs(dot(p.axes[0], u)); c < 0.9999 {
		t.Errorf("first axis %v, |cos| with %v = %v", p.axes[0], u, c)
	}
	if c := math.Abs(dot(p.axes[1], w)); c < 0.9999 {
		t.Errorf("second axis %v, |cos| with %v = %v", p.axes[1], w, c)
	}
	if math.Abs(dot(p.axes[0], p.axes[1])) > 1e-6 {
		t.Error("axes not orthogonal")
	}
	for k, want := range []float64{variance(as), variance(bs)} {
		if math.Abs(p.variance[k]-want) > 1e-4*want {
			t.Errorf("variance %d = %v, want %v", k, p.variance[k], want)
		}
	}
	ma, mb := mean(as), mean(bs)
	sx, sy := sign(dot(p.axes[0], u)), sign(dot(p.axes[1], w))
	for i, r := range rows {
		x, y := p.project(r)
		if math.Abs(x-sx*(as[i]-ma)) > 1e-4 || math.Abs(y-sy*(bs[i]-mb)) > 1e-4 {
			t.Fatalf("row %d projects to (%v, %v), want ±(%v, %v)", i, x, y, as[i]-ma, bs[i]-mb)
		}
	}
	// The sign rule: each axis's largest component is positive.
	for k, ax := range p.axes {
		big := 0.0
		for _, v := range ax {
			if math.Abs(v) > math.Abs(big) {
				big = v
			}
		}
		if big <= 0 {
			t.Errorf("axis %d %v: largest component not positive", k, ax)
		}
	}
	if _, err := fitPCA(nil); err == nil {
		t.Error("PCA of nothing")
	}
	if _, err := fitPCA([][]float32{{1, 2}, {1}}); err == nil {
		t.Error("PCA of ragged rows")
	}
}

func TestPCAOneDimension(t *testing.T) {
	p, err := fitPCA([][]float32{{1}, {3}, {5}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(p.variance[0]-8.0/3) > 1e-9 || p.variance[1] > 1e-9 {
		t.Errorf("variances %v, want 8/3 and 0", p.variance)
	}
	if x, _ := p.project([]float32{5}); math.Abs(x-2) > 1e-9 {
		t.Errorf("5 projects to %v, want 2", x)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// variance is the population variance.
func variance(xs []float64) float64 {
	m, s := mean(xs), 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs))
}

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}
