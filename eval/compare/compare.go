package compare

import (
	"encoding/json"
	"fmt"
	"math"
)

// Names of the tests, as Result.Test and the retraining's --test flag
// spell them.
const (
	TestDeLong      = "delong"
	TestMcNemar     = "mcnemar"
	TestBootstrapAP = "bootstrap-ap"
)

// Tests lists the test names Compare accepts.
var Tests = []string{TestDeLong, TestMcNemar, TestBootstrapAP}

// DefaultAlpha is the level of the reported intervals when none is given.
const DefaultAlpha = 0.05

// Result is the outcome of a paired comparison. Champion and Challenger
// are the compared figure for each model (ROC AUC for DeLong, accuracy for
// McNemar, average precision for the bootstrap), and Difference is
// Challenger - Champion, so a positive difference favours the challenger.
//
// P is one-sided, for H1 "the challenger is better" (H0: it is not):
// promote when P < alpha. PTwoSided is for H1 "they differ". CILo and CIHi
// bound Difference at level 1 - Alpha, two-sided.
//
// Statistic is z-like in every test, positive when the challenger leads:
// DeLong's z = Difference/SE; for McNemar the signed square root of the
// McNemar chi-square, (b - c)/sqrt(b + c), with b = ChallengerOnly and
// c = ChampionOnly (0 when b + c = 0; the p-values are exact, not from
// it); for the bootstrap Difference divided by the standard deviation of
// the resampled differences. It is ±Inf when SE is 0 and Difference is
// not; Result's JSON then writes null for it.
type Result struct {
	Test       string  `json:"test"`
	Champion   float64 `json:"champion"`
	Challenger float64 `json:"challenger"`
	Difference float64 `json:"difference"`
	// SE is the standard error of Difference: DeLong's, the (unadjusted)
	// paired standard error of the difference in accuracy for McNemar, or
	// the bootstrap standard deviation.
	SE        float64 `json:"se"`
	Statistic float64 `json:"statistic"`
	P         float64 `json:"p"`
	PTwoSided float64 `json:"p_two_sided"`
	Alpha     float64 `json:"alpha"`
	CILo      float64 `json:"ci_lo"`
	CIHi      float64 `json:"ci_hi"`
	// N rows, of which Positives are labelled anomalous.
	N         int `json:"n"`
	Positives int `json:"positives"`
	Negatives int `json:"negatives"`
	// ChallengerOnly and ChampionOnly count McNemar's discordant rows: the
	// challenger right and the champion wrong, and the reverse.
	ChallengerOnly int `json:"challenger_only,omitempty"`
	ChampionOnly   int `json:"champion_only,omitempty"`
	// Resamples is the number of bootstrap resamples used.
	Resamples int `json:"resamples,omitempty"`
}

// MarshalJSON writes Result with a non-finite Statistic (±Inf when SE is
// 0) as null, which encoding/json cannot otherwise encode; the other
// fields are always finite.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	var stat *float64
	if !math.IsNaN(r.Statistic) && !math.IsInf(r.Statistic, 0) {
		stat = &r.Statistic
	}
	return json.Marshal(struct {
		plain
		Statistic *float64 `json:"statistic"`
	}{plain(r), stat})
}

// WithAlpha returns r with its interval recomputed at level 1 - alpha.
// DeLong's and McNemar's intervals are normal approximations and can be
// recomputed from r; a bootstrap interval cannot (run PairedBootstrapAP
// again with the level in its options), which is an error, as is alpha
// outside (0, 1).
func (r Result) WithAlpha(alpha float64) (Result, error) {
	if err := checkAlpha(alpha); err != nil {
		return r, err
	}
	switch r.Test {
	case TestDeLong:
		r.Alpha = alpha
		r.CILo, r.CIHi = normalInterval(r.Difference, r.SE, alpha)
	case TestMcNemar:
		r.Alpha = alpha
		r.CILo, r.CIHi = agrestiMin(r.ChallengerOnly, r.ChampionOnly, r.N, alpha)
	default:
		return r, fmt.Errorf("compare: the interval of a %q result cannot be recomputed at another level", r.Test)
	}
	return r, nil
}

func checkAlpha(alpha float64) error {
	if !(alpha > 0 && alpha < 1) {
		return fmt.Errorf("compare: alpha %v outside (0, 1)", alpha)
	}
	return nil
}

// normalSF is the standard normal's upper tail, P(Z > z).
func normalSF(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// normalQuantile is the standard normal's p-quantile, p in (0, 1).
func normalQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// normalInterval is d ± z_{1-alpha/2}·se.
func normalInterval(d, se, alpha float64) (lo, hi float64) {
	h := normalQuantile(1-alpha/2) * se
	return d - h, d + h
}

// zTest returns the z-statistic of d with standard error se and its
// one-sided (H1: d > 0) and two-sided p-values. A zero se gives z 0 and
// p-values 0.5 and 1 when d is 0, else z ±Inf and the limiting p-values.
func zTest(d, se float64) (z, pOne, pTwo float64) {
	if se == 0 {
		switch {
		case d > 0:
			return math.Inf(1), 0, 0
		case d < 0:
			return math.Inf(-1), 1, 0
		}
		return 0, 0.5, 1
	}
	z = d / se
	return z, normalSF(z), math.Min(1, 2*normalSF(math.Abs(z)))
}

// checkPaired validates two score vectors and their labels and counts the
// classes.
func checkPaired(champion, challenger []float64, labels []bool) (pos, neg int, err error) {
	if len(champion) != len(labels) || len(challenger) != len(labels) {
		return 0, 0, fmt.Errorf("compare: %d champion scores, %d challenger scores, %d labels: want one of each per row",
			len(champion), len(challenger), len(labels))
	}
	for name, s := range map[string][]float64{"champion": champion, "challenger": challenger} {
		for i, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("compare: %s score %d is %v, want a finite value", name, i, v)
			}
		}
	}
	for _, l := range labels {
		if l {
			pos++
		} else {
			neg++
		}
	}
	return pos, neg, nil
}
