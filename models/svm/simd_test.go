package svm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRowKernels checks dotRows and sqDistRows (AVX2 where the CPU has it)
// for every d up to 19 and every row count up to 13: each value equals the
// one-row call on that row bit for bit (so a kernel value does not depend
// on where its row sits), the squared distance is symmetric bit for bit,
// and both are within 1e−14 of the plain sums, relative to Σ|terms|.
func TestRowKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for d := 1; d < 20; d++ {
		for n := range 14 {
			x := make([]float64, d)
			m := make([]float64, n*d)
			for k := range x {
				x[k] = rng.NormFloat64() * 3
			}
			for k := range m {
				m[k] = rng.NormFloat64() * 3
				if rng.IntN(4) == 0 {
					m[k] = x[k%d] // equal features
				}
			}
			dots, dists := make([]float64, n), make([]float64, n)
			dotRows(x, m, dots)
			sqDistRows(x, m, dists)
			for r := range n {
				row := m[r*d : (r+1)*d]
				var one [1]float64
				dotRows(x, row, one[:])
				if one[0] != dots[r] {
					t.Fatalf("d %d n %d row %d: dot %v alone, %v among %d rows", d, n, r, one[0], dots[r], n)
				}
				sqDistRows(x, row, one[:])
				if one[0] != dists[r] {
					t.Fatalf("d %d n %d row %d: distance %v alone, %v among %d rows", d, n, r, one[0], dists[r], n)
				}
				sqDistRows(row, x, one[:])
				if one[0] != dists[r] {
					t.Fatalf("d %d n %d row %d: distance not symmetric: %v, %v", d, n, r, one[0], dists[r])
				}
				var dot, dist, absDot float64
				for k := range d {
					dot += x[k] * row[k]
					absDot += math.Abs(x[k] * row[k])
					dist += (x[k] - row[k]) * (x[k] - row[k])
				}
				if math.Abs(dots[r]-dot) > 1e-14*absDot || math.Abs(dists[r]-dist) > 1e-14*dist {
					t.Fatalf("d %d n %d row %d: dot %v distance %v, plain sums %v %v", d, n, r, dots[r], dists[r], dot, dist)
				}
			}
		}
	}
}

// TestEvalFormulas: Eval is each kernel's formula within rounding, and the
// RBF kernel of a point with itself is exactly 1.
func TestEvalFormulas(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for d := 1; d < 30; d += 3 {
		u, v := make([]float64, d), make([]float64, d)
		for k := range u {
			u[k], v[k] = rng.NormFloat64(), rng.NormFloat64()
		}
		var dot, dist float64
		for k := range u {
			dot += u[k] * v[k]
			dist += (u[k] - v[k]) * (u[k] - v[k])
		}
		for _, c := range []struct {
			k    Kernel
			want float64
		}{
			{Kernel{Type: RBF, Gamma: 0.3}, math.Exp(-0.3 * dist)},
			{Kernel{Type: Linear}, dot},
			{Kernel{Type: Poly, Gamma: 0.5, Degree: 3, Coef0: 1}, math.Pow(0.5*dot+1, 3)},
		} {
			if got := c.k.Eval(u, v); math.Abs(got-c.want) > 1e-12*max(1, math.Abs(c.want)) {
				t.Errorf("d %d %v: Eval = %v, formula %v", d, c.k.Type, got, c.want)
			}
		}
		if got := (Kernel{Type: RBF, Gamma: 7}).Eval(u, u); got != 1 {
			t.Errorf("d %d: K(u, u) = %v", d, got)
		}
	}
}
