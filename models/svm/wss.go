package svm

import "math"

// The two scans of the working-set selection (WSS2, selectWorkingSet),
// branch-free so that they run four variables at a time with AVX2
// (simd_amd64.s) where the CPU has it. Membership in I_up and I_low is
// folded into per-variable multipliers kept by the solver:
//
//	upMul_t  = −y_t where t ∈ I_up,  else NaN (so −y_t ∇_t, or NaN)
//	lowMul_t = y_t  where t ∈ I_low, else NaN (so y_t ∇_t, or NaN)
//
// NaN never passes the comparisons, so a variable outside the set is never
// picked. Each scan returns what LIBSVM's loops return: the last index
// reaching the extremum (its comparisons are ≥ and ≤), and the same
// floating-point values, bit for bit (y_t = ±1 makes every product exact),
// except possibly the sign of a zero maximum, which no caller can see.

// wssLanes is the state of a scan's four lanes: their extremum, its index
// (−1: none yet) and, for wssMin, the lane's maximum of y_t ∇_t over I_low.
type wssLanes struct {
	val [4]float64
	idx [4]int64
	aux [4]float64
}

// wssMax returns max over t of g_t·upMul_t and the last t reaching it, or
// (−Inf, −1) when every product is NaN.
func wssMax(g, upMul []float64) (float64, int) {
	upMul = upMul[:len(g)]
	best, at := math.Inf(-1), -1
	m := 0
	if useAVX2 && len(g) >= 4 {
		m = len(g) &^ 3
		st := wssLanes{val: [4]float64{best, best, best, best}, idx: [4]int64{-1, -1, -1, -1}}
		wssMaxAVX2(&g[0], &upMul[0], m, &st)
		for l := range 4 {
			if i := int(st.idx[l]); i >= 0 && (st.val[l] > best || st.val[l] == best && i > at) {
				best, at = st.val[l], i
			}
		}
	}
	for t := m; t < len(g); t++ {
		if v := g[t] * upMul[t]; v >= best {
			best, at = v, t
		}
	}
	return best, at
}

// wssMin is WSS2's second scan for the variable i chosen by wssMax (gmax
// = −y_i ∇_i, qdi = Q_ii, twoYi = 2y_i, qi its column): over the t with
// y_t ∇_t defined (I_low) it returns gmax2 = max y_t ∇_t and the last t
// minimizing −b²/a over those with b = gmax + y_t ∇_t > 0, where a =
// Q_ii + Q_tt − 2 y_i y_t Q_it (τ where that is not positive); −1 if none.
func wssMin(g, lowMul, qd []float64, qi []float32, gmax, qdi, twoYi float64) (gmax2 float64, jmin int) {
	n := len(g)
	lowMul, qd, qi = lowMul[:n], qd[:n], qi[:n]
	gmax2 = math.Inf(-1)
	best, at := math.Inf(1), -1
	m := 0
	if useAVX2 && n >= 4 {
		m = n &^ 3
		inf := math.Inf(1)
		st := wssLanes{
			val: [4]float64{inf, inf, inf, inf},
			idx: [4]int64{-1, -1, -1, -1},
			aux: [4]float64{-inf, -inf, -inf, -inf},
		}
		wssMinAVX2(&g[0], &lowMul[0], &qd[0], &qi[0], m, gmax, qdi, twoYi, &st)
		for l := range 4 {
			gmax2 = max(gmax2, st.aux[l])
			if i := int(st.idx[l]); i >= 0 && (st.val[l] < best || st.val[l] == best && i > at) {
				best, at = st.val[l], i
			}
		}
	}
	for t := m; t < n; t++ {
		yg := g[t] * lowMul[t]
		if yg >= gmax2 {
			gmax2 = yg
		}
		gd := gmax + yg
		if !(gd > 0) {
			continue
		}
		quad := qdi + qd[t] - twoYi*lowMul[t]*float64(qi[t])
		if !(quad > 0) {
			quad = tau
		}
		if od := -(gd * gd) / quad; od <= best {
			best, at = od, t
		}
	}
	return gmax2, at
}
