//go:build amd64 && !purego

package svm

import "golang.org/x/sys/cpu"

// useAVX2 says whether the row kernels, expScaled, gradStep and the WSS
// scans run the AVX2 code of simd_amd64.s.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dotRowsAVX2 sets out[r] = Σ_k x[k]·m[r·d+k] for r < n (d, n ≥ 1).
//
//go:noescape
func dotRowsAVX2(x, m *float64, d, n int, out *float64)

// sqDistRowsAVX2 sets out[r] = Σ_k (x[k] − m[r·d+k])² for r < n (d, n ≥ 1).
//
//go:noescape
func sqDistRowsAVX2(x, m *float64, d, n int, out *float64)

// expScaledAVX2 sets dst[j] = expNonPos(scale·src[j]) for j < n (n a
// positive multiple of 4; tab is &exp2Table[0][0]) and reports whether some
// argument was outside [expNonPosMin, 0] or NaN, whose results it leaves
// wrong.
//
//go:noescape
func expScaledAVX2(src, dst *float64, n int, scale float64, tab *uint64) (bad bool)

// wssMaxAVX2 runs wssMax's scan over t < n (n a positive multiple of 4),
// lane l taking t ≡ l mod 4, from the lane state in st and back into it.
//
//go:noescape
func wssMaxAVX2(grad, upMul *float64, n int, st *wssLanes)

// wssMinAVX2 runs wssMin's scan likewise.
//
//go:noescape
func wssMinAVX2(grad, lowMul, qd *float64, qi *float32, n int, gmax, qdi, twoYi float64, st *wssLanes)

// gradStepAVX2 runs gradStep over k < n (n a positive multiple of 4).
//
//go:noescape
func gradStepAVX2(grad *float64, qi, qj *float32, n int, dI, dJ float64)
