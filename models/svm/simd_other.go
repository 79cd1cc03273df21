//go:build !amd64 || purego

package svm

// useAVX2 is false: everything runs in Go.
var useAVX2 = false

// dotRowsAVX2 is not called where useAVX2 is false.
func dotRowsAVX2(x, m *float64, d, n int, out *float64) { panic("svm: no AVX2 row kernel") }

// sqDistRowsAVX2 is not called where useAVX2 is false.
func sqDistRowsAVX2(x, m *float64, d, n int, out *float64) { panic("svm: no AVX2 row kernel") }

// expScaledAVX2 is not called where useAVX2 is false.
func expScaledAVX2(src, dst *float64, n int, scale float64, tab *uint64) bool {
	panic("svm: no AVX2 exp")
}

// wssMaxAVX2 is not called where useAVX2 is false.
func wssMaxAVX2(grad, upMul *float64, n int, st *wssLanes) { panic("svm: no AVX2 scan") }

// wssMinAVX2 is not called where useAVX2 is false.
func wssMinAVX2(grad, lowMul, qd *float64, qi *float32, n int, gmax, qdi, twoYi float64, st *wssLanes) {
	panic("svm: no AVX2 scan")
}

// gradStepAVX2 is not called where useAVX2 is false.
func gradStepAVX2(grad *float64, qi, qj *float32, n int, dI, dJ float64) { panic("svm: no AVX2 step") }
