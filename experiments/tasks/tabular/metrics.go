package tabular

import (
	"math"

	"github.com/vigil-ml/vigil/eval"
)

// Summary is a detector's precision, recall and F1 at its threshold, and
// its threshold-free PR-AUC (average precision) and ROC AUC, each with a
// stratified bootstrap interval over the rows.
type Summary struct {
	Precision eval.CI `json:"precision"`
	Recall    eval.CI `json:"recall"`
	F1        eval.CI `json:"f1"`
	PRAUC     eval.CI `json:"pr_auc"`
	ROCAUC    eval.CI `json:"roc_auc"`
}

// scored is rows scored once per repeat, each with the threshold that
// alarms on it (score > cut).
type scored struct {
	labels []bool
	scores [][]float64 // [repeat][row]
	cuts   [][]float64 // [repeat][row]
}

// summarise computes the metrics of s and their intervals: each metric is
// the mean over repeats of the metric on the pooled rows, and every
// bootstrap resample draws rows (the same rows for every repeat), within
// each class.
func summarise(s scored, resamples int, alpha float64, seed uint64) (Summary, error) {
	type metric func(scores, cuts []float64, labels []bool) (float64, bool)
	at := func(pick func(eval.PrecisionRecallF1) float64) metric {
		return func(sc, cuts []float64, l []bool) (float64, bool) {
			var c eval.Confusion
			for i, v := range sc {
				alarm := v > cuts[i]
				switch {
				case alarm && l[i]:
					c.TP++
				case alarm:
					c.FP++
				case l[i]:
					c.FN++
				default:
					c.TN++
				}
			}
			// Without alarms precision is 0, as scikit-learn's
			// zero_division=0; rows always hold positives, so recall
			// and F1 are defined.
			prf := eval.PrecisionRecallF1{Recall: c.HitRate(), Counts: c}
			if c.TP+c.FP > 0 {
				prf.Precision = float64(c.TP) / float64(c.TP+c.FP)
			}
			if d := 2*c.TP + c.FP + c.FN; d > 0 {
				prf.F1 = 2 * float64(c.TP) / float64(d)
			} else {
				prf.F1 = math.NaN()
			}
			v := pick(prf)
			return v, !math.IsNaN(v)
		}
	}
	curve := func(f func([]float64, []bool) (float64, error)) metric {
		return func(sc, _ []float64, l []bool) (float64, bool) {
			v, err := f(sc, l)
			return v, err == nil && !math.IsNaN(v)
		}
	}
	metrics := []metric{
		at(func(p eval.PrecisionRecallF1) float64 { return p.Precision }),
		at(func(p eval.PrecisionRecallF1) float64 { return p.Recall }),
		at(func(p eval.PrecisionRecallF1) float64 { return p.F1 }),
		curve(eval.AveragePrecision),
		curve(eval.ROCAUC),
	}
	out := make([]eval.CI, len(metrics))
	for m, f := range metrics {
		over := func(idx []int) (float64, bool) {
			sum := 0.0
			l := make([]bool, len(idx))
			for k, i := range idx {
				l[k] = s.labels[i]
			}
			for r := range s.scores {
				sc := make([]float64, len(idx))
				cu := make([]float64, len(idx))
				for k, i := range idx {
					sc[k], cu[k] = s.scores[r][i], s.cuts[r][i]
				}
				v, ok := f(sc, cu, l)
				if !ok {
					return 0, false
				}
				sum += v
			}
			return sum / float64(len(s.scores)), true
		}
		ci, err := eval.StratifiedBootstrap(s.labels, resamples, alpha, seedOf(seed, m), over)
		if err != nil {
			return Summary{}, err
		}
		out[m] = ci
	}
	return Summary{Precision: out[0], Recall: out[1], F1: out[2], PRAUC: out[3], ROCAUC: out[4]}, nil
}

// constant is n copies of v.
func constant(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
