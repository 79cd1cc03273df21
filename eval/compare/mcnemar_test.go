package compare

import (
	"math"
	"testing"
)

// table builds paired decisions with the given counts of rows: b the
// challenger alone right, c the champion alone right, both right, both
// wrong; positives and negatives alternate so that both classes appear in
// every kind of row.
func table(b, c, both, neither int) (champ, chall, labels []bool) {
	add := func(k int, champRight, challRight bool) {
		for i := range k {
			l := i%2 == 0
			labels = append(labels, l)
			champ = append(champ, champRight == l) // right: alarm equals label
			chall = append(chall, challRight == l)
		}
	}
	add(b, false, true)
	add(c, true, false)
	add(both, true, true)
	add(neither, false, false)
	return champ, chall, labels
}

// Binomial tails worked by hand, p = 1/2:
//
//	N = 10, b = 8: P(B >= 8) = (C(10,8) + C(10,9) + C(10,10))/1024
//	             = (45 + 10 + 1)/1024 = 56/1024 = 0.0546875;
//	             two-sided 2·56/1024 = 0.109375
//	N = 10, b = 2: P(B >= 2) = 1 - (1 + 10)/1024 = 1013/1024
//	N = 10, b = 5: P(B >= 5) = (252 + 210 + 120 + 45 + 10 + 1)/1024 = 638/1024;
//	             two-sided min(1, 2·638/1024) = 1
//	N = 10, b = 10: 1/1024, two-sided 2/1024
//	N = 20, b = 15: (15504 + 4845 + 1140 + 190 + 20 + 1)/2^20 = 21700/1048576
//	N = 0: no discordant rows, both p-values 1
func TestMcNemarHandWorked(t *testing.T) {
	for _, c := range []struct {
		b, c      int
		one, two  float64
		statistic float64
	}{
		{8, 2, 56.0 / 1024, 112.0 / 1024, 6 / math.Sqrt(10)},
		{2, 8, 1013.0 / 1024, 112.0 / 1024, -6 / math.Sqrt(10)},
		{5, 5, 638.0 / 1024, 1, 0},
		{10, 0, 1.0 / 1024, 2.0 / 1024, math.Sqrt(10)},
		{15, 5, 21700.0 / 1048576, 2 * 21700.0 / 1048576, 10 / math.Sqrt(20)},
		{0, 0, 1, 1, 0},
	} {
		champ, chall, labels := table(c.b, c.c, 15, 5)
		r, err := McNemar(champ, chall, labels)
		if err != nil {
			t.Fatal(err)
		}
		if r.ChallengerOnly != c.b || r.ChampionOnly != c.c || r.N != c.b+c.c+20 {
			t.Fatalf("b=%d c=%d: counted %+v", c.b, c.c, r)
		}
		near(t, "one-sided p", r.P, c.one, 1e-14)
		near(t, "two-sided p", r.PTwoSided, c.two, 1e-14)
		near(t, "statistic", r.Statistic, c.statistic, 1e-14)
	}

	// b = 8, c = 2 among 30 rows (15 both right, 5 both wrong):
	// accuracies 17/30 and 23/30, difference 6/30 = 0.2,
	// SE = sqrt(10 - 36/30)/30 = sqrt(8.8)/30. Agresti-Min: cells +0.5,
	// b' = 8.5, c' = 2.5, n' = 32, d' = 6/32 = 0.1875,
	// se' = sqrt(11 - 36/32)/32 = sqrt(9.875)/32, CI = d' ± 1.959964·se'
	// = (-0.00497, 0.37997).
	champ, chall, labels := table(8, 2, 15, 5)
	r, err := McNemar(champ, chall, labels)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "champion accuracy", r.Champion, 17.0/30, 1e-15)
	near(t, "challenger accuracy", r.Challenger, 23.0/30, 1e-15)
	near(t, "difference", r.Difference, 0.2, 1e-15)
	near(t, "SE", r.SE, math.Sqrt(8.8)/30, 1e-15)
	near(t, "CI lo", r.CILo, 0.1875-1.959964*math.Sqrt(9.875)/32, 1e-6)
	near(t, "CI hi", r.CIHi, 0.1875+1.959964*math.Sqrt(9.875)/32, 1e-6)
	near(t, "CI lo (rounded by hand)", r.CILo, -0.00497, 1e-5)
	if r.Test != TestMcNemar || r.Positives != 16 || r.Negatives != 14 {
		t.Errorf("%+v", r)
	}
	if _, err := McNemar(champ, chall[:3], labels); err == nil {
		t.Error("lengths differ: no error")
	}
	if _, err := McNemar(nil, nil, nil); err == nil {
		t.Error("no rows: no error")
	}
}

// By symmetry P(B >= N/2) + P(B >= N/2+1) = 1 for even N, and
// P(B >= 0) = 1: to rounding with exact coefficients (N <= 10000), to
// log-gamma's accuracy beyond (about 1e-16·N·ln N).
func TestBinomialTail(t *testing.T) {
	for _, n := range []int{2, 10, 2000, exactTailMax, 100000} {
		tol := 1e-15
		if n > exactTailMax {
			tol = 1e-9
		}
		near(t, "symmetry", binomHalfUpper(n, n/2)+binomHalfUpper(n, n/2+1), 1, tol)
		near(t, "whole", binomHalfUpper(n, 0), 1, 0)
		near(t, "beyond", binomHalfUpper(n, n+1), 0, 0)
		near(t, "top", binomHalfUpper(n, n), math.Exp(-float64(n)*math.Ln2), 1e-12*math.Exp(-float64(n)*math.Ln2))
	}
	// The two methods agree where both apply.
	for _, k := range []int{1, 1400, 1500, 1550, 1700, 2000} {
		e, l := binomHalfUpperExact(3000, k), binomHalfUpperLog(3000, k)
		near(t, "log-space tail", l, e, 1e-11*e)
	}
}
