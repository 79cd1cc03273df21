package eval

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// ErrAllResamplesSkipped is returned when the metric declined every
// bootstrap resample, typically because none held both classes.
var ErrAllResamplesSkipped = errors.New("eval: the metric skipped every bootstrap resample")

// Bootstrap defaults, used where BootstrapOptions fields are zero.
const (
	DefaultResamples = 2000
	DefaultAlpha     = 0.05
)

// bootstrapStream is the PCG stream constant; the caller's seed picks the
// state, so equal seeds give equal resamples.
const bootstrapStream = 0x9e3779b97f4a7c15

// CI is a percentile bootstrap confidence interval at level 1-Alpha.
// Point is the metric on the original sample; Lo and Hi are the Alpha/2 and
// 1-Alpha/2 quantiles of the metric over the resamples it accepted (linear
// interpolation between order statistics, NumPy's default). Resamples counts
// the accepted resamples and Skipped those the metric declined; their sum is
// the number requested.
type CI struct {
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	Point     float64 `json:"point"`
	Alpha     float64 `json:"alpha"`
	Resamples int     `json:"resamples"`
	Skipped   int     `json:"skipped"`
}

// Bootstrap returns a percentile bootstrap interval of metric over n items
// (indices 0..n-1 into the caller's data), drawing each of resamples
// resamples as n indices uniformly with replacement from a PCG generator
// seeded with seed. Use it for values without classes, such as per-fold
// scores; for scores with labels prefer StratifiedBootstrap.
//
// metric receives the indices of one resample (the identity 0..n-1 for
// Point) in a buffer that is reused, so it must not keep the slice; it
// returns ok false to skip a resample on which it is undefined (a single
// class, say), which is counted in Skipped. Errors: n < 1, resamples < 1,
// alpha outside (0, 1), a nil metric, metric declining the original sample
// or returning NaN, or every resample skipped (ErrAllResamplesSkipped).
func Bootstrap(n, resamples int, alpha float64, seed uint64, metric func(idx []int) (float64, bool)) (CI, error) {
	if n < 1 {
		return CI{}, fmt.Errorf("eval: bootstrap over %d items, need at least 1", n)
	}
	rng := rand.New(rand.NewPCG(seed, bootstrapStream))
	return bootstrap(n, resamples, alpha, metric, func(idx []int) {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
	})
}

// StratifiedBootstrap is Bootstrap with resampling within each class: the
// positives (labels true) are drawn with replacement from the positives and
// the negatives from the negatives, position by position, so that every
// resample keeps the class counts and labels[idx[i]] == labels[i]. This is
// the default for imbalanced data, where plain resampling of a handful of
// positives yields resamples with none (skipped) or with a different
// prevalence (which moves precision-based metrics). The interval is then
// conditional on the observed class counts. Errors are those of Bootstrap,
// with n = len(labels).
func StratifiedBootstrap(labels []bool, resamples int, alpha float64, seed uint64, metric func(idx []int) (float64, bool)) (CI, error) {
	if len(labels) < 1 {
		return CI{}, fmt.Errorf("eval: bootstrap over no labels")
	}
	var pos, neg []int
	for i, l := range labels {
		if l {
			pos = append(pos, i)
		} else {
			neg = append(neg, i)
		}
	}
	rng := rand.New(rand.NewPCG(seed, bootstrapStream))
	return bootstrap(len(labels), resamples, alpha, metric, func(idx []int) {
		for i := range idx {
			if labels[i] {
				idx[i] = pos[rng.IntN(len(pos))]
			} else {
				idx[i] = neg[rng.IntN(len(neg))]
			}
		}
	})
}

// bootstrap runs the resampling loop shared by Bootstrap and
// StratifiedBootstrap; draw fills a resample's indices.
func bootstrap(n, resamples int, alpha float64, metric func([]int) (float64, bool), draw func([]int)) (CI, error) {
	switch {
	case resamples < 1:
		return CI{}, fmt.Errorf("eval: %d bootstrap resamples, need at least 1", resamples)
	case !(alpha > 0 && alpha < 1):
		return CI{}, fmt.Errorf("eval: bootstrap alpha %v outside (0, 1)", alpha)
	case metric == nil:
		return CI{}, fmt.Errorf("eval: nil bootstrap metric")
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	point, ok := metric(idx)
	if !ok {
		return CI{}, fmt.Errorf("eval: bootstrap metric undefined on the original sample")
	}
	if math.IsNaN(point) {
		return CI{}, fmt.Errorf("eval: bootstrap metric is NaN on the original sample")
	}
	ci := CI{Point: point, Alpha: alpha}
	values := make([]float64, 0, resamples)
	for r := range resamples {
		draw(idx)
		v, ok := metric(idx)
		if !ok {
			ci.Skipped++
			continue
		}
		if math.IsNaN(v) {
			return CI{}, fmt.Errorf("eval: bootstrap metric is NaN on resample %d", r)
		}
		values = append(values, v)
	}
	if len(values) == 0 {
		return CI{}, fmt.Errorf("%w (%d resamples)", ErrAllResamplesSkipped, resamples)
	}
	slices.Sort(values)
	ci.Resamples = len(values)
	ci.Lo = quantileSorted(values, alpha/2)
	ci.Hi = quantileSorted(values, 1-alpha/2)
	return ci, nil
}

// quantileSorted returns the q-quantile of sorted values by linear
// interpolation at position q*(len-1), NumPy's default method.
func quantileSorted(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// BootstrapOptions configures BootstrapScores and BootstrapMean. A nil
// pointer means every default.
type BootstrapOptions struct {
	// Resamples is the number of resamples; 0 means DefaultResamples (2000).
	Resamples int
	// Alpha sets the level 1-Alpha; 0 means DefaultAlpha (0.05, a 95%
	// interval).
	Alpha float64
	// Seed seeds the generator; 0 is a valid seed like any other.
	Seed uint64
	// Unstratified resamples all items together instead of within each
	// class. The zero value, false, stratifies: see StratifiedBootstrap.
	// BootstrapMean ignores it.
	Unstratified bool
}

func (o *BootstrapOptions) withDefaults() BootstrapOptions {
	var v BootstrapOptions
	if o != nil {
		v = *o
	}
	if v.Resamples == 0 {
		v.Resamples = DefaultResamples
	}
	if v.Alpha == 0 {
		v.Alpha = DefaultAlpha
	}
	return v
}

// BootstrapScores returns a bootstrap interval of metric(scores, labels), for
// instance AveragePrecision or ROCAUC, resampling within each class unless
// opts.Unstratified is set. A resample on which metric fails with
// ErrOneClass is skipped and counted; any other error is returned. Errors:
// lengths differ, a score not finite, metric failing on the original data,
// and those of Bootstrap.
func BootstrapScores(scores []float64, labels []bool, metric func([]float64, []bool) (float64, error), opts *BootstrapOptions) (CI, error) {
	if err := checkScores(scores, labels); err != nil {
		return CI{}, err
	}
	if metric == nil {
		return CI{}, fmt.Errorf("eval: nil bootstrap metric")
	}
	o := opts.withDefaults()
	if _, err := metric(scores, labels); err != nil {
		return CI{}, fmt.Errorf("eval: bootstrap metric on the original data: %w", err)
	}
	s := make([]float64, len(scores))
	l := make([]bool, len(labels))
	var metricErr error
	wrapped := func(idx []int) (float64, bool) {
		if metricErr != nil {
			return 0, false
		}
		for i, j := range idx {
			s[i], l[i] = scores[j], labels[j]
		}
		v, err := metric(s, l)
		if errors.Is(err, ErrOneClass) {
			return 0, false
		}
		if err != nil {
			metricErr = err
			return 0, false
		}
		return v, true
	}
	var ci CI
	var err error
	if o.Unstratified {
		ci, err = Bootstrap(len(scores), o.Resamples, o.Alpha, o.Seed, wrapped)
	} else {
		ci, err = StratifiedBootstrap(labels, o.Resamples, o.Alpha, o.Seed, wrapped)
	}
	if metricErr != nil {
		return CI{}, fmt.Errorf("eval: bootstrap metric: %w", metricErr)
	}
	return ci, err
}

// BootstrapMean returns a bootstrap interval of the mean of values, such as
// per-fold scores; opts.Unstratified is ignored. Folds of repeated
// cross-validation share training data, so the interval is narrower than
// the spread of truly independent test sets would give: read it as a
// summary of fold-to-fold variation, not a guarantee. Errors: no values, a
// value not finite, and those of Bootstrap.
func BootstrapMean(values []float64, opts *BootstrapOptions) (CI, error) {
	if len(values) == 0 {
		return CI{}, fmt.Errorf("eval: bootstrap mean of no values")
	}
	if err := checkFinite(values); err != nil {
		return CI{}, err
	}
	o := opts.withDefaults()
	return Bootstrap(len(values), o.Resamples, o.Alpha, o.Seed, func(idx []int) (float64, bool) {
		sum := 0.0
		for _, i := range idx {
			sum += values[i]
		}
		return sum / float64(len(idx)), true
	})
}
