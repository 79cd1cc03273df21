package drift

import (
	"fmt"
	"math"
	"slices"
)

// DefaultKSAlpha is the significance level used when KSConfig.Alpha is zero.
const DefaultKSAlpha = 0.01

// MaxExactKSProduct is the largest n·m for which KS computes the exact
// p-value; above it KS uses the asymptotic distribution.
const MaxExactKSProduct = 10000

// KSMethod names how a KS p-value was computed.
type KSMethod string

// KS p-value methods.
const (
	KSExact      KSMethod = "exact"
	KSAsymptotic KSMethod = "asymptotic"
)

// KSConfig sets up KS. The zero value of each field means its default.
type KSConfig struct {
	// Alpha is the significance level in (0, 1): Drift is PValue < Alpha.
	// Zero means 0.01.
	Alpha float64
}

// KSResult is the outcome of a two-sample Kolmogorov–Smirnov test.
type KSResult struct {
	// D is sup_x |F_a(x) - F_b(x)| of the empirical distribution functions,
	// in [0, 1].
	D float64
	// PValue is P(D_{n,m} >= D) under the null hypothesis that both samples
	// come from one continuous distribution.
	PValue float64
	// Method is KSExact when N·M <= MaxExactKSProduct, else KSAsymptotic.
	Method KSMethod
	// N and M are the sizes of a and b.
	N, M int
	// Alpha is the significance level used; Drift is PValue < Alpha.
	Alpha float64
	Drift bool
}

// KS runs the two-sided two-sample Kolmogorov–Smirnov test of a against b.
//
// D is computed exactly in integer arithmetic: both empirical distribution
// functions are evaluated after all values equal to x (in either sample) have
// been counted, so ties across and within samples are handled, and
// D = max |i·m - j·n| / (n·m) over those points.
//
// The p-value, two-sided:
//   - exact when n·m <= MaxExactKSProduct: the fraction of the C(n+m, n)
//     equally likely merge orders whose lattice path reaches |i/n - j/m| >= D,
//     by the recursion P(i,j) = (i·P(i-1,j) + j·P(i,j-1)) / (i+j) with
//     P = 1 on and beyond the boundary (Hodges 1958; Viehmann 2021). This is
//     the distribution scipy.stats.ks_2samp(method="exact") uses.
//   - asymptotic otherwise: with en = sqrt(n·m/(n+m)), the Stephens
//     correction, p = KolmogorovSF((en + 0.12 + 0.11/en)·D) (Stephens 1970;
//     Numerical Recipes' probks; scipy before 1.5). scipy >= 1.5's
//     method="asymp" instead uses kstwo.sf(D, round(n·m/(n+m))), the exact
//     one-sample distribution; see the tests for how far the two differ.
//
// The null distribution assumes no ties; with ties the p-value is
// conservative. Errors: an empty sample, NaN in either sample (±Inf is
// fine: only the order matters), or an invalid cfg.
func KS(a, b []float64, cfg KSConfig) (KSResult, error) {
	alpha := cfg.Alpha
	if alpha == 0 {
		alpha = DefaultKSAlpha
	}
	if !(alpha > 0 && alpha < 1) {
		return KSResult{}, fmt.Errorf("drift: KS alpha %v outside (0, 1)", cfg.Alpha)
	}
	if err := checkSample("a", a, false); err != nil {
		return KSResult{}, err
	}
	if err := checkSample("b", b, false); err != nil {
		return KSResult{}, err
	}
	n, m := len(a), len(b)
	sa, sb := slices.Clone(a), slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)
	h := ksMaxDiff(sa, sb)

	res := KSResult{D: float64(h) / (float64(n) * float64(m)), N: n, M: m, Alpha: alpha}
	if float64(n)*float64(m) <= MaxExactKSProduct {
		res.Method = KSExact
		res.PValue = ksExactSF(n, m, h)
	} else {
		res.Method = KSAsymptotic
		en := math.Sqrt(float64(n) / (float64(n) + float64(m)) * float64(m))
		res.PValue = KolmogorovSF((en + 0.12 + 0.11/en) * res.D)
	}
	res.Drift = res.PValue < alpha
	return res, nil
}

// ksMaxDiff returns max |i·m - j·n| over the points where both sorted
// samples have consumed all values <= x, with i and j the counts consumed.
func ksMaxDiff(a, b []float64) int64 {
	n, m := len(a), len(b)
	var i, j int
	var best int64
	for i < n || j < m {
		var x float64
		switch {
		case i == n:
			x = b[j]
		case j == m:
			x = a[i]
		default:
			x = min(a[i], b[j])
		}
		for i < n && a[i] == x {
			i++
		}
		for j < m && b[j] == x {
			j++
		}
		d := int64(i)*int64(m) - int64(j)*int64(n)
		if d < 0 {
			d = -d
		}
		best = max(best, d)
	}
	return best
}

// ksExactSF returns the fraction of monotone lattice paths from (0,0) to
// (n,m) that touch |i·m - j·n| >= h, i.e. P(D_{n,m} >= h/(n·m)). It keeps one
// row of the recursion, O(m) memory and O(n·m) time.
func ksExactSF(n, m int, h int64) float64 {
	if h <= 0 {
		return 1
	}
	outside := func(i, j int) bool {
		d := int64(i)*int64(m) - int64(j)*int64(n)
		return d >= h || -d >= h
	}
	row := make([]float64, m+1) // row[j] = P(i, j) for the current i
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			switch {
			case outside(i, j):
				row[j] = 1
			case i == 0 && j == 0:
				row[j] = 0
			default:
				// row[j] still holds P(i-1, j); row[j-1] already holds P(i, j-1).
				var up, left float64
				if i > 0 {
					up = row[j]
				}
				if j > 0 {
					left = row[j-1]
				}
				row[j] = (float64(i)*up + float64(j)*left) / float64(i+j)
			}
		}
	}
	return row[m]
}
