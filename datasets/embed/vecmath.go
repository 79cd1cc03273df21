package embed

// The kernels are unrolled by four; dim is small (about 50), so they are
// called very often and stay in plain Go for portability.

// dot returns the inner product of a and b (len(b) >= len(a)).
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// add sets dst += src (len(src) >= len(dst)).
func add(dst, src []float32) {
	src = src[:len(dst)]
	i := 0
	for ; i+4 <= len(dst); i += 4 {
		dst[i] += src[i]
		dst[i+1] += src[i+1]
		dst[i+2] += src[i+2]
		dst[i+3] += src[i+3]
	}
	for ; i < len(dst); i++ {
		dst[i] += src[i]
	}
}

// scale sets v *= a.
func scale(v []float32, a float32) {
	for i := range v {
		v[i] *= a
	}
}

// gradStep is one negative-sampling update of output row o against hidden
// vector h with step alpha: grad += alpha*o and o += alpha*h, both with the
// old o (fastText's order). len(grad), len(h) >= len(o).
func gradStep(o, h, grad []float32, alpha float32) {
	h = h[:len(o)]
	grad = grad[:len(o)]
	i := 0
	for ; i+4 <= len(o); i += 4 {
		o0, o1, o2, o3 := o[i], o[i+1], o[i+2], o[i+3]
		grad[i] += alpha * o0
		grad[i+1] += alpha * o1
		grad[i+2] += alpha * o2
		grad[i+3] += alpha * o3
		o[i] = o0 + alpha*h[i]
		o[i+1] = o1 + alpha*h[i+1]
		o[i+2] = o2 + alpha*h[i+2]
		o[i+3] = o3 + alpha*h[i+3]
	}
	for ; i < len(o); i++ {
		x := o[i]
		grad[i] += alpha * x
		o[i] = x + alpha*h[i]
	}
}
