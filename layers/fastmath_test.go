package layers

import (
	"math"
	"testing"
)

// TestFastMath bounds the error of expf, sigmoidf and tanhf against
// float64 math on a dense grid, with the edges of every branch.
func TestFastMath(t *testing.T) {
	check := func(name string, f func(float32) float32, ref func(float64) float64, lo, hi float64, maxRel float64) {
		t.Helper()
		worst, at := 0.0, 0.0
		for i := 0; i <= 200000; i++ {
			x := float32(lo + (hi-lo)*float64(i)/200000)
			got, want := float64(f(x)), ref(float64(x))
			rel := math.Abs(got-want) / math.Max(math.Abs(want), math.SmallestNonzeroFloat32)
			if want == 0 && got == 0 {
				rel = 0
			}
			if rel > worst || math.IsNaN(got) {
				worst, at = rel, float64(x)
			}
		}
		if !(worst <= maxRel) {
			t.Errorf("%s: relative error %.3g at %v, want at most %.3g", name, worst, at, maxRel)
		}
	}
	const ulps4 = 4.0 / (1 << 23)
	check("expf", expf, math.Exp, -87, 88, ulps4)
	check("expf top", expf, math.Exp, 87.5, 88.72, ulps4)
	for _, x := range []float32{-87.5, -100, -120} {
		if got, want := expf(x), float32(math.Exp(float64(x))); got != want {
			t.Errorf("expf(%v) = %v, want %v", x, got, want)
		}
	}
	// Below -87 the result is subnormal in float32; sigmoidf flushes it to 0.
	check("sigmoidf", sigmoidf, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, -87, 90, ulps4)
	check("tanhf", tanhf, math.Tanh, -12, 12, ulps4)
	check("tanhf small", tanhf, math.Tanh, -1e-3, 1e-3, ulps4)
	if !math.IsNaN(float64(expf(float32(math.NaN())))) || !math.IsNaN(float64(tanhf(float32(math.NaN())))) {
		t.Error("NaN is not propagated")
	}
	if expf(float32(math.Inf(-1))) != 0 || !math.IsInf(float64(expf(float32(math.Inf(1)))), 1) {
		t.Error("exp of ±Inf")
	}
}

// TestVMath checks the block functions (SIMD where the CPU has it, with a
// partial last block) against float64 math, and the scalar path too.
func TestVMath(t *testing.T) {
	refs := []struct {
		name   string
		f      func([]float32)
		ref    func(float64) float64
		lo, hi float64
	}{
		{"vexp", vexp, math.Exp, -87, 88.3},
		{"vsigmoid", vsigmoid, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, -87, 90},
		{"vtanh", vtanh, math.Tanh, -12, 12},
		{"vtanh small", vtanh, math.Tanh, -0.7, 0.7},
	}
	const n = 100003 // not a multiple of 8
	saved := useVMath
	defer func() { useVMath = saved }()
	for _, kern := range []struct {
		name string
		simd bool
	}{{"simd", true}, {"scalar", false}} {
		if kern.simd && !saved {
			continue
		}
		useVMath = kern.simd
		for _, r := range refs {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(r.lo + (r.hi-r.lo)*float64(i)/(n-1))
			}
			y := append([]float32(nil), x...)
			r.f(y)
			worst, at := 0.0, 0.0
			for i, v := range x {
				want := r.ref(float64(v))
				rel := math.Abs(float64(y[i])-want) / math.Max(math.Abs(want), math.SmallestNonzeroFloat32)
				if !(rel <= worst) {
					worst, at = rel, float64(v)
				}
			}
			if worst > 4.0/(1<<23) {
				t.Errorf("%s %s: relative error %.3g at %v", kern.name, r.name, worst, at)
			}
		}
		special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0, -1e-30}
		// exp saturates (see fastmath.go): +Inf gives at least exp(88.3).
		for op, want := range [][]float64{
			{math.NaN(), math.Inf(1), 0, 1, 1},
			{math.NaN(), 1, 0, 0.5, 0.5},
			{math.NaN(), 1, -1, 0, -1e-30},
		} {
			y := append([]float32(nil), special...)
			vmath(op, y)
			for i, w := range want {
				g := float64(y[i])
				ok := g == w || math.IsNaN(g) && math.IsNaN(w) || math.Abs(g-w) <= 1e-37 && !math.IsInf(w, 0) ||
					op == vmathExp && math.IsInf(w, 1) && g >= 2.2e38
				if !ok {
					t.Errorf("%s op %d of %v = %v, want %v", kern.name, op, special[i], g, w)
				}
			}
		}
	}
}
