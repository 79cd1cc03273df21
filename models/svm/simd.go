package svm

import "math"

// The inner loops of training and Decision, with AVX2 code (simd_amd64.s)
// where the CPU has AVX2 and FMA and Go loops elsewhere (and with -tags
// purego):
//
//   - the row kernels, dot products or squared distances of one vector with
//     every row of a row-major matrix (a kernel column, or the support
//     vectors against a point). The AVX2 code sums each value in one fixed
//     order whatever the row's position in the matrix, so a kernel value does
//     not depend on which column, or which part of a column, computes it, and
//     Kernel.Eval gives it bit for bit;
//   - expScaled, expNonPos over a column, four lanes at a time, bit for bit
//     the scalar function;
//   - gradStep, the gradient update of an SMO step, bit for bit the scalar
//     loop.
//
// The AVX2 row kernels use fused multiply-adds and eight partial sums, the
// Go ones four partial sums, so kernel values (and the models trained from
// them) may differ in their last bits between CPUs with and without AVX2;
// the float32 columns of Q almost never see it.

// dotRows sets out[r] = x·m[r·d : (r+1)·d] for r < len(out), d = len(x).
func dotRows(x, m, out []float64) {
	n, d := len(out), len(x)
	if n == 0 {
		return
	}
	if d == 0 {
		clear(out)
		return
	}
	_ = m[n*d-1]
	if useAVX2 {
		dotRowsAVX2(&x[0], &m[0], d, n, &out[0])
		return
	}
	for r := range out {
		out[r] = dot(x, m[r*d:(r+1)*d])
	}
}

// sqDistRows sets out[r] = ‖x − m[r·d : (r+1)·d]‖² for r < len(out),
// d = len(x).
func sqDistRows(x, m, out []float64) {
	n, d := len(out), len(x)
	if n == 0 {
		return
	}
	if d == 0 {
		clear(out)
		return
	}
	_ = m[n*d-1]
	if useAVX2 {
		sqDistRowsAVX2(&x[0], &m[0], d, n, &out[0])
		return
	}
	for r := range out {
		out[r] = sqDist(x, m[r*d:(r+1)*d])
	}
}

// expScaled sets dst[j] = expNonPos(scale·src[j]) for j < len(src), four
// at a time with AVX2 where it can (the same values bit for bit).
func expScaled(dst, src []float64, scale float64) {
	dst = dst[:len(src)]
	m := 0
	if useAVX2 && len(src) >= 4 {
		m = len(src) &^ 3
		if expScaledAVX2(&src[0], &dst[0], m, scale, &exp2Table[0][0]) {
			for j, v := range src[:m] {
				if x := float64(scale * v); !(x >= expNonPosMin && x <= 0) {
					dst[j] = math.Exp(x)
				}
			}
		}
	}
	for j := m; j < len(src); j++ {
		dst[j] = expNonPos(float64(scale * src[j]))
	}
}

// gradStep adds an SMO step's change to the gradient: g[k] += qi[k]·dI +
// qj[k]·dJ for k < len(g), four at a time with AVX2 where it can (the same
// roundings: no fused multiply-add).
func gradStep(g []float64, qi, qj []float32, dI, dJ float64) {
	qi, qj = qi[:len(g)], qj[:len(g)]
	m := 0
	if useAVX2 && len(g) >= 4 {
		m = len(g) &^ 3
		gradStepAVX2(&g[0], &qi[0], &qj[0], m, dI, dJ)
	}
	for k := m; k < len(g); k++ {
		g[k] += float64(float64(qi[k])*dI) + float64(float64(qj[k])*dJ)
	}
}

// dot is u·v with four partial sums (len(v) ≥ len(u)).
func dot(u, v []float64) float64 {
	v = v[:len(u)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(u); i += 4 {
		s0 += u[i] * v[i]
		s1 += u[i+1] * v[i+1]
		s2 += u[i+2] * v[i+2]
		s3 += u[i+3] * v[i+3]
	}
	for ; i < len(u); i++ {
		s0 += u[i] * v[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sqDist is ‖u − v‖² with four partial sums (len(v) ≥ len(u)).
func sqDist(u, v []float64) float64 {
	v = v[:len(u)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(u); i += 4 {
		d0, d1, d2, d3 := u[i]-v[i], u[i+1]-v[i+1], u[i+2]-v[i+2], u[i+3]-v[i+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(u); i++ {
		d := u[i] - v[i]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}
