package compare

import (
	"fmt"
	"math"
	"math/big"
)

// McNemar tests whether the challenger's decisions are right more often
// than the champion's on the same rows, by McNemar's exact test. A
// decision is right when the model alarms on an anomaly (labels true) or
// stays silent on a normal row. Only discordant rows carry information:
// b rows where the challenger alone is right (ChallengerOnly) and c where
// the champion alone is (ChampionOnly). Under H0 (equal accuracy) b given
// b + c is Binomial(b + c, 1/2), so the one-sided p-value is
// P(B >= b) = Σ_{k>=b} C(b+c, k) / 2^(b+c), and the two-sided one
// min(1, 2·min(P(B >= b), P(B <= b))). Without discordant rows both are 1.
//
// Champion and Challenger are the accuracies and Difference = (b - c)/N.
// The interval of Difference is Agresti & Min's (2005) adjusted Wald
// interval for matched proportions (0.5 added to each cell of the 2×2
// table), clipped to [-1, 1]; SE is the unadjusted paired standard error
// sqrt((b + c) - (b - c)²/N)/N.
//
// Accuracy weighs a missed anomaly and a false alarm alike; on imbalanced
// data it is dominated by the normal rows. Errors: lengths differ, no rows.
func McNemar(championAlarm, challengerAlarm []bool, labels []bool) (Result, error) {
	n := len(labels)
	if len(championAlarm) != n || len(challengerAlarm) != n {
		return Result{}, fmt.Errorf("compare: %d champion decisions, %d challenger decisions, %d labels: want one of each per row",
			len(championAlarm), len(challengerAlarm), n)
	}
	if n == 0 {
		return Result{}, fmt.Errorf("compare: McNemar's test on no rows")
	}
	r := Result{Test: TestMcNemar, Alpha: DefaultAlpha, N: n}
	rightA, rightB := 0, 0
	for i, l := range labels {
		if l {
			r.Positives++
		}
		a, b := championAlarm[i] == l, challengerAlarm[i] == l
		if a {
			rightA++
		}
		if b {
			rightB++
		}
		switch {
		case b && !a:
			r.ChallengerOnly++
		case a && !b:
			r.ChampionOnly++
		}
	}
	r.Negatives = n - r.Positives
	b, c := r.ChallengerOnly, r.ChampionOnly
	r.Champion, r.Challenger = float64(rightA)/float64(n), float64(rightB)/float64(n)
	r.Difference = float64(b-c) / float64(n)
	r.SE = math.Sqrt(math.Max(0, float64(b+c)-float64(b-c)*float64(b-c)/float64(n))) / float64(n)
	if b+c > 0 {
		r.Statistic = float64(b-c) / math.Sqrt(float64(b+c))
	}
	r.P = binomHalfUpper(b+c, b)
	r.PTwoSided = math.Min(1, 2*math.Min(r.P, binomHalfUpper(b+c, c)))
	r.CILo, r.CIHi = agrestiMin(b, c, n, r.Alpha)
	return r, nil
}

// exactTailMax is the largest n for which binomHalfUpper sums exact
// binomial coefficients.
const exactTailMax = 10000

// binomHalfUpper returns P(B >= k) for B ~ Binomial(n, 1/2): exactly (to
// the float64 rounding of the result) from integer binomial coefficients
// when n <= exactTailMax, else by summing the probabilities in log space,
// where log-gamma's rounding bounds the relative error by about
// 1e-16·n·ln n (1e-9 at n = 100000).
func binomHalfUpper(n, k int) float64 {
	if k <= 0 {
		return 1
	}
	if k > n {
		return 0
	}
	if n <= exactTailMax {
		return binomHalfUpperExact(n, k)
	}
	return binomHalfUpperLog(n, k)
}

// binomHalfUpperExact is binomHalfUpper from integer coefficients, for
// 0 < k <= n.
func binomHalfUpperExact(n, k int) float64 {
	sum, c := new(big.Int), big.NewInt(1) // c = C(n, j), from j = n down
	for j := n; j >= k; j-- {
		sum.Add(sum, c)
		c.Mul(c, big.NewInt(int64(j)))
		c.Quo(c, big.NewInt(int64(n-j+1)))
	}
	f := new(big.Float).SetInt(sum)
	p, _ := f.SetMantExp(f, -n).Float64()
	return p
}

// binomHalfUpperLog is binomHalfUpper in log space, for 0 < k <= n.
func binomHalfUpperLog(n, k int) float64 {
	lgN, _ := math.Lgamma(float64(n + 1))
	logs := make([]float64, 0, n-k+1)
	top := math.Inf(-1)
	for j := k; j <= n; j++ {
		a, _ := math.Lgamma(float64(j + 1))
		b, _ := math.Lgamma(float64(n - j + 1))
		l := lgN - a - b - float64(n)*math.Ln2
		logs = append(logs, l)
		top = math.Max(top, l)
	}
	s := 0.0
	for _, l := range logs {
		s += math.Exp(l - top)
	}
	return math.Min(1, s*math.Exp(top))
}

// agrestiMin is the adjusted Wald interval of (b - c)/n for matched pairs
// with b and c discordant of n, at level 1 - alpha, clipped to [-1, 1].
func agrestiMin(b, c, n int, alpha float64) (lo, hi float64) {
	bb, cc, nn := float64(b)+0.5, float64(c)+0.5, float64(n)+2
	d := (bb - cc) / nn
	se := math.Sqrt(math.Max(0, (bb+cc)-(bb-cc)*(bb-cc)/nn)) / nn
	lo, hi = normalInterval(d, se, alpha)
	return math.Max(-1, lo), math.Min(1, hi)
}
