package svm

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// ulpDiff is |a − b| in units in the last place of b (b normal, > 0).
func ulpDiff(a, b float64) float64 {
	_, e := math.Frexp(b)
	return math.Abs(a-b) / math.Ldexp(1, e-53)
}

// bigExp is e^x to about 200 bits: the Taylor series of e^(x/2^s), squared
// s times.
func bigExp(x float64) *big.Float {
	const prec = 256
	s := 0
	for math.Abs(x) > 1.0/1024 {
		x /= 2 // exact
		s++
	}
	xf := new(big.Float).SetPrec(prec).SetFloat64(x)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); n < 40; n++ {
		term.Mul(term, xf)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(n))
		sum.Add(sum, term)
	}
	for range s {
		sum.Mul(sum, sum)
	}
	return sum
}

// TestExpNonPos bounds expNonPos's error over [expNonPosMin, 0]: within
// 0.55 ulp of a 256-bit reference at 20,000 random points, within 2.5 ulp
// of math.Exp on a grid of 2 million points (math.Exp's own amd64 code is
// off by up to about 1.5 ulp), exact at 0, and math.Exp's value outside the
// range.
func TestExpNonPos(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var worst float64
	for i := range 20000 {
		x := -rng.Float64() * 20
		if i%4 == 0 {
			x = -rng.Float64() * -expNonPosMin
		}
		if i%8 == 1 {
			x = -rng.Float64() * 1e-3
		}
		exact := bigExp(x)
		want, _ := exact.Float64()
		got := expNonPos(x)
		diff, _ := new(big.Float).Sub(new(big.Float).SetFloat64(got), exact).Float64()
		_, e := math.Frexp(want)
		u := math.Abs(diff) / math.Ldexp(1, e-53)
		worst = max(worst, u)
		if u > 0.55 {
			t.Fatalf("expNonPos(%v) = %v, exact %v: %.3f ulp", x, got, want, u)
		}
	}
	t.Logf("largest error against the 256-bit reference: %.3f ulp", worst)

	worst = 0
	const n = 2_000_000
	for i := range n + 1 {
		x := expNonPosMin * float64(i) / n
		got, want := expNonPos(x), math.Exp(x)
		u := ulpDiff(got, want)
		worst = max(worst, u)
		if u > 2.5 {
			t.Fatalf("expNonPos(%v) = %v, math.Exp %v: %.3f ulp apart", x, got, want, u)
		}
	}
	t.Logf("largest difference from math.Exp over %d grid points: %.3f ulp", n+1, worst)

	if got := expNonPos(0); got != 1 {
		t.Errorf("expNonPos(0) = %v", got)
	}
	if got := expNonPos(math.Copysign(0, -1)); got != 1 {
		t.Errorf("expNonPos(-0) = %v", got)
	}
	for _, x := range []float64{expNonPosMin - 1e-9, -708.5, -745, -746, -1e300, math.Inf(-1), 1e-300, 0.5, 700, math.NaN()} {
		got, want := expNonPos(x), math.Exp(x)
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("expNonPos(%v) = %v, math.Exp %v", x, got, want)
		}
	}
}

// TestExpScaledMatchesScalar: the vector path (AVX2 where the CPU has it)
// gives expNonPos's values bit for bit, at every length, with arguments out
// of range among them.
func TestExpScaledMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 70 {
		src := make([]float64, n)
		for j := range src {
			src[j] = rng.Float64() * 800
			switch rng.IntN(20) {
			case 0:
				src[j] = -src[j] // a positive argument
			case 1:
				src[j] = math.NaN()
			case 2:
				src[j] = 0
			case 3:
				src[j] = math.Inf(1)
			}
		}
		for _, scale := range []float64{-1, -0.0123, -1e-6} {
			dst := make([]float64, n)
			expScaled(dst, src, scale)
			for j, v := range src {
				want := expNonPos(scale * v)
				if math.Float64bits(dst[j]) != math.Float64bits(want) && !(math.IsNaN(dst[j]) && math.IsNaN(want)) {
					t.Fatalf("n %d scale %v: exp(%v) = %v, expNonPos %v", n, scale, scale*v, dst[j], want)
				}
			}
		}
	}
}
