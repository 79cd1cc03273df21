package layers

import "math"

// Single-precision exp, sigmoid and tanh for the recurrent and softmax ops,
// after Cephes' expf and tanhf: within a few float32 ulps of the exact
// values and several times faster than going through float64 math.Exp.

// expf is e^x in float32. Arguments beyond the range where 2^n scaling is
// exact (and NaN) go to math.Exp.
func expf(x float32) float32 {
	if !(x > -87 && x < 88) {
		return float32(math.Exp(float64(x)))
	}
	z := x * math.Log2E
	var n int32
	if z >= 0 {
		n = int32(z + 0.5)
	} else {
		n = int32(z - 0.5)
	}
	fn := float32(n)
	// x - n·ln2 in two parts: 0.693359375 has few mantissa bits, so fn·C1
	// is exact.
	r := x - fn*0.693359375 - fn*-2.12194440e-4
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	y := p*r*r + r + 1
	return y * math.Float32frombits(uint32(n+127)<<23)
}

// sigmoidf is 1/(1+e^-x) in float32.
func sigmoidf(x float32) float32 { return 1 / (1 + expf(-x)) }

// tanhf is tanh x in float32: an odd polynomial for |x| < 0.625, where
// 1 - 2/(e^2x + 1) would cancel, else that formula.
func tanhf(x float32) float32 {
	a := x
	if a < 0 {
		a = -a
	}
	if a < 0.625 {
		z := x * x
		p := float32(-5.70498872745e-3)
		p = p*z + 2.06390887954e-2
		p = p*z - 5.37397155531e-2
		p = p*z + 1.33314422036e-1
		p = p*z - 3.33332819422e-1
		return p*z*x + x
	}
	if a > 10 {
		// |tanh| rounds to 1 in float32.
		return float32(math.Copysign(1, float64(x)))
	}
	t := 1 - 2/(expf(a+a)+1)
	if x < 0 {
		return -t
	}
	return t
}

// Operations of vmath.
const (
	vmathExp = iota
	vmathSigmoid
	vmathTanh
)

// Where useVMath is set, vmathBlocks applies a vmath operation to n (a
// multiple of 8) values in place with SIMD instructions (see
// fastmath_amd64.go). Its exp
// clamps arguments to [-87.3, 88.3]: it saturates at about 2.2e38 instead
// of overflowing and gives about 1.2e-38 for smaller arguments, which the
// softmax (arguments at most 0), sigmoid and tanh never notice.
// vmath applies op to every value of x in place: in 8-value blocks with
// vmathBlocks where useVMath is set (a partial last block through a padded
// copy, so every value gets the same arithmetic), else with the scalar
// functions.
func vmath(op int, x []float32) {
	if !useVMath {
		f := expf
		switch op {
		case vmathSigmoid:
			f = sigmoidf
		case vmathTanh:
			f = tanhf
		}
		for i, v := range x {
			x[i] = f(v)
		}
		return
	}
	n := len(x) &^ 7
	if n > 0 {
		vmathBlocks(op, &x[0], n)
	}
	if rest := x[n:]; len(rest) > 0 {
		var buf [8]float32
		copy(buf[:], rest)
		vmathBlocks(op, &buf[0], 8)
		copy(rest, buf[:])
	}
}

// vexp replaces every value of x by its exp.
func vexp(x []float32) { vmath(vmathExp, x) }

// vsigmoid replaces every value of x by its sigmoid.
func vsigmoid(x []float32) { vmath(vmathSigmoid, x) }

// vtanh replaces every value of x by its tanh.
func vtanh(x []float32) { vmath(vmathTanh, x) }
