package svm

import (
	"math"
	"testing"
)

// SolveDual on the classification dual in Train's sample order (the false
// class first, labelled +1; p = −1; bounds C; from α = 0) runs Train's
// iterations to Train's solution: ρ = b and α_t = |coef| of each support
// vector.
func TestSolveDualIsTrainsSolver(t *testing.T) {
	x, y := imbalancedData()
	cfg := Config{Kernel: Kernel{Type: Linear}, C: 2}
	m, err := Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var perm []int
	for _, want := range []bool{false, true} {
		for i, v := range y {
			if v == want {
				perm = append(perm, i)
			}
		}
	}
	d := len(x[0])
	var flat []float64
	labels, p, c := make([]bool, len(y)), make([]float64, len(y)), make([]float64, len(y))
	for t, i := range perm {
		flat = append(flat, x[i]...)
		labels[t], p[t], c[t] = !y[i], -1, 2
	}
	s := SolveDual(cfg.Kernel, flat, d, labels, p, c, nil, DualOptions{Tol: DefaultTol, CacheEntries: 1 << 20})
	if s.Iter != m.Iterations() || !s.Converged || math.Abs(s.Rho-m.Bias()) > 1e-15 {
		t.Fatalf("iterations %d (Train %d), ρ %v (Train's b %v)", s.Iter, m.Iterations(), s.Rho, m.Bias())
	}
	coef := map[int]float64{}
	for k, row := range m.SupportVectors() {
		coef[row] = math.Abs(m.DualCoef()[k])
	}
	n := 0
	for pos, a := range s.Alpha {
		if a > 0 {
			n++
			if coef[perm[pos]] != a {
				t.Fatalf("row %d: α %v, Train %v", perm[pos], a, coef[perm[pos]])
			}
		}
	}
	if n != len(coef) {
		t.Fatalf("%d support vectors, Train %d", n, len(coef))
	}
}
