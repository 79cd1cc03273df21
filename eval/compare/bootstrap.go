package compare

import (
	"errors"
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/eval"
)

// PairedBootstrapAP tests whether the challenger's average precision
// (eval.AveragePrecision, scikit-learn's average_precision_score) exceeds
// the champion's on the same rows, by a paired bootstrap: each resample
// draws rows with replacement and scores both models on the same drawn
// rows, so the correlation between them is kept. By default rows are
// drawn within each class (eval.StratifiedBootstrap), keeping the class
// counts and hence the prevalence that AP depends on; opts.Unstratified
// draws from all rows and skips resamples without both classes.
//
// P is the fraction of resamples in which the challenger's AP minus the
// champion's is <= 0, and PTwoSided is twice the smaller of the fractions
// <= 0 and >= 0 (at most 1). The interval is the percentile interval of
// the difference (eval.CI's quantiles), at level 1 - opts.Alpha; SE is the
// standard deviation of the resampled differences. With R resamples P
// cannot fall below 1/R when a single resample goes the champion's way,
// and is 0 when none does: use at least a few thousand resamples for
// small alpha. A nil opts means eval's defaults (2000 resamples, alpha
// 0.05, seed 0); equal seeds give equal results.
//
// Errors: lengths differ, a score not finite, labels of one class
// (eval.ErrOneClass), and those of eval.Bootstrap.
func PairedBootstrapAP(champion, challenger []float64, labels []bool, opts *eval.BootstrapOptions) (Result, error) {
	pos, neg, err := checkPaired(champion, challenger, labels)
	if err != nil {
		return Result{}, err
	}
	var o eval.BootstrapOptions
	if opts != nil {
		o = *opts
	}
	if o.Resamples == 0 {
		o.Resamples = eval.DefaultResamples
	}
	if o.Alpha == 0 {
		o.Alpha = eval.DefaultAlpha
	}
	apA, err := eval.AveragePrecision(champion, labels)
	if err != nil {
		return Result{}, fmt.Errorf("compare: the champion's average precision: %w", err)
	}
	apB, err := eval.AveragePrecision(challenger, labels)
	if err != nil {
		return Result{}, fmt.Errorf("compare: the challenger's average precision: %w", err)
	}
	n := len(labels)
	sA, sB, l := make([]float64, n), make([]float64, n), make([]bool, n)
	original := true
	var le, ge, count int
	var mean, m2 float64 // Welford's running mean and sum of squares
	var metricErr error
	metric := func(idx []int) (float64, bool) {
		for i, j := range idx {
			sA[i], sB[i], l[i] = champion[j], challenger[j], labels[j]
		}
		a, err := eval.AveragePrecision(sA, l)
		if err == nil {
			var b float64
			if b, err = eval.AveragePrecision(sB, l); err == nil {
				d := b - a
				if original {
					original = false
					return d, true
				}
				if d <= 0 {
					le++
				}
				if d >= 0 {
					ge++
				}
				count++
				delta := d - mean
				mean += delta / float64(count)
				m2 += delta * (d - mean)
				return d, true
			}
		}
		if !errors.Is(err, eval.ErrOneClass) && metricErr == nil {
			metricErr = err
		}
		return 0, false
	}
	var ci eval.CI
	if o.Unstratified {
		ci, err = eval.Bootstrap(n, o.Resamples, o.Alpha, o.Seed, metric)
	} else {
		ci, err = eval.StratifiedBootstrap(labels, o.Resamples, o.Alpha, o.Seed, metric)
	}
	if metricErr != nil {
		return Result{}, fmt.Errorf("compare: bootstrap: %w", metricErr)
	}
	if err != nil {
		return Result{}, fmt.Errorf("compare: bootstrap: %w", err)
	}
	r := Result{Test: TestBootstrapAP, Champion: apA, Challenger: apB, Difference: apB - apA,
		Alpha: o.Alpha, CILo: ci.Lo, CIHi: ci.Hi, N: n, Positives: pos, Negatives: neg, Resamples: count}
	if count > 1 {
		r.SE = math.Sqrt(m2 / float64(count-1))
	}
	r.Statistic, _, _ = zTest(r.Difference, r.SE)
	r.P = float64(le) / float64(count)
	r.PTwoSided = math.Min(1, 2*float64(min(le, ge))/float64(count))
	return r, nil
}
