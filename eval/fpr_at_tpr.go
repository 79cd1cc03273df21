package eval

import (
	"fmt"
	"math"
	"sort"
)

// FalseAlarmAtDetection is the false-positive rate of the threshold that
// detects at least a fraction tpr (in (0, 1]) of the positives, as the IP
// Insights example reports it at 100% and 95% true positives: with the
// positive scores sorted in descending order p and k = ceil(tpr*len(p)),
// the threshold is p[k-1], a score at or above it alarms, and a negative
// tied at the threshold counts as a false positive. It returns the rate
// and the threshold. Errors: no positives or negatives, a score not
// finite, or tpr outside (0, 1].
func FalseAlarmAtDetection(positives, negatives []float64, tpr float64) (fpr, threshold float64, err error) {
	if len(positives) == 0 || len(negatives) == 0 {
		return 0, 0, fmt.Errorf("eval: %d positive and %d negative scores, need both", len(positives), len(negatives))
	}
	if !(tpr > 0 && tpr <= 1) {
		return 0, 0, fmt.Errorf("eval: true-positive rate %v is not in (0, 1]", tpr)
	}
	for _, s := range append(append([]float64(nil), positives...), negatives...) {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return 0, 0, fmt.Errorf("eval: score %v is not finite", s)
		}
	}
	p := append([]float64(nil), positives...)
	sort.Sort(sort.Reverse(sort.Float64Slice(p)))
	k := int(math.Ceil(tpr*float64(len(p)) - 1e-9))
	threshold = p[max(k, 1)-1]
	n := 0
	for _, s := range negatives {
		if s >= threshold {
			n++
		}
	}
	return float64(n) / float64(len(negatives)), threshold, nil
}
