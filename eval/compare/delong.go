package compare

import (
	"fmt"
	"math"
	"slices"
)

// DeLong tests whether the challenger's ROC AUC exceeds the champion's on
// the same rows (labels true = anomaly, higher scores more anomalous),
// by the method of DeLong, DeLong & Clarke-Pearson (1988).
//
// With m positives X_i and n negatives Y_j, ψ(x, y) = 1 when x > y, 1/2
// on a tie and 0 otherwise. Each model's placement values (structural
// components) are V10_i = (1/n) Σ_j ψ(X_i, Y_j) for each positive and
// V01_j = (1/m) Σ_i ψ(X_i, Y_j) for each negative; its AUC is the mean
// of either. With D10 and D01 the challenger's placements minus the
// champion's, row by row,
//
//	Var(AUC_challenger - AUC_champion) = s²(D10)/m + s²(D01)/n,
//
// s² the sample variance (denominator m-1 or n-1): the contrast
// (-1, 1) of DeLong's covariance S10/m + S01/n. z = difference/SE is
// referred to the standard normal. The placements come from midranks
// (Sun & Xu 2014): with T_Z the midrank of a score among all rows, T_X
// among the positives and T_Y among the negatives, V10_i = (T_Z - T_X)/n
// and V01_j = 1 - (T_Z - T_Y)/m, so the test costs O(N log N).
//
// The interval is difference ± z_{0.975}·SE (Alpha 0.05; see WithAlpha).
// Errors: lengths differ, a score not finite, or fewer than 2 positives or
// 2 negatives (the variances need two of each).
func DeLong(champion, challenger []float64, labels []bool) (Result, error) {
	pos, neg, err := checkPaired(champion, challenger, labels)
	if err != nil {
		return Result{}, err
	}
	if pos < 2 || neg < 2 {
		return Result{}, fmt.Errorf("compare: DeLong's test needs at least 2 positives and 2 negatives, got %d and %d", pos, neg)
	}
	a10, a01, aucA := placements(champion, labels, pos, neg)
	b10, b01, aucB := placements(challenger, labels, pos, neg)
	for i := range a10 {
		b10[i] -= a10[i]
	}
	for j := range a01 {
		b01[j] -= a01[j]
	}
	v := sampleVar(b10)/float64(pos) + sampleVar(b01)/float64(neg)
	r := Result{Test: TestDeLong, Champion: aucA, Challenger: aucB, Difference: aucB - aucA,
		SE: math.Sqrt(math.Max(v, 0)), Alpha: DefaultAlpha, N: len(labels), Positives: pos, Negatives: neg}
	r.Statistic, r.P, r.PTwoSided = zTest(r.Difference, r.SE)
	r.CILo, r.CIHi = normalInterval(r.Difference, r.SE, r.Alpha)
	return r, nil
}

// delongCov returns the AUC of each score vector and DeLong's covariance
// matrix of the AUCs, S10/m + S01/n; the labels need 2 of each class.
func delongCov(scores [][]float64, labels []bool) (aucs []float64, cov [][]float64) {
	pos := 0
	for _, l := range labels {
		if l {
			pos++
		}
	}
	neg := len(labels) - pos
	k := len(scores)
	v10, v01 := make([][]float64, k), make([][]float64, k)
	aucs = make([]float64, k)
	for r, s := range scores {
		v10[r], v01[r], aucs[r] = placements(s, labels, pos, neg)
	}
	cov = make([][]float64, k)
	for a := range k {
		cov[a] = make([]float64, k)
		for b := range k {
			cov[a][b] = sampleCov(v10[a], v10[b])/float64(pos) + sampleCov(v01[a], v01[b])/float64(neg)
		}
	}
	return aucs, cov
}

// placements returns the placement values of scores, V10 for each
// positive and V01 for each negative in row order, and the AUC, by
// midranks.
func placements(scores []float64, labels []bool, pos, neg int) (v10, v01 []float64, auc float64) {
	x := make([]float64, 0, pos)
	y := make([]float64, 0, neg)
	for i, s := range scores {
		if labels[i] {
			x = append(x, s)
		} else {
			y = append(y, s)
		}
	}
	tx, ty, tz := midranks(x), midranks(y), midranks(append(slices.Clone(x), y...))
	m, n := float64(pos), float64(neg)
	v10 = make([]float64, pos)
	rankSum := 0.0
	for i := range x {
		v10[i] = (tz[i] - tx[i]) / n
		rankSum += tz[i]
	}
	v01 = make([]float64, neg)
	for j := range y {
		v01[j] = 1 - (tz[pos+j]-ty[j])/m
	}
	auc = (rankSum - m*(m+1)/2) / (m * n)
	return v10, v01, auc
}

// midranks returns the 1-based rank of each value among values, tied
// values sharing the mean of their ranks.
func midranks(values []float64) []float64 {
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case values[a] < values[b]:
			return -1
		case values[a] > values[b]:
			return 1
		}
		return 0
	})
	ranks := make([]float64, len(values))
	for i := 0; i < len(order); {
		j := i
		for j < len(order) && values[order[j]] == values[order[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of ranks i+1 .. j
		for k := i; k < j; k++ {
			ranks[order[k]] = mid
		}
		i = j
	}
	return ranks
}

// sampleVar is the variance with denominator len-1.
func sampleVar(x []float64) float64 { return sampleCov(x, x) }

// sampleCov is the covariance with denominator len-1, computed about the
// means (two passes).
func sampleCov(x, y []float64) float64 {
	mx, my := 0.0, 0.0
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	s := 0.0
	for i := range x {
		s += (x[i] - mx) * (y[i] - my)
	}
	return s / float64(len(x)-1)
}
