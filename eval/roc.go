package eval

import (
	"math"
	"slices"
)

// ROCPoint is one operating point of a ROC curve. FPR and TPR are rates in
// [0, 1]; a score alarms when score > Threshold.
type ROCPoint struct {
	FPR       float64 `json:"fpr"`
	TPR       float64 `json:"tpr"`
	Threshold float64 `json:"threshold"`
}

// rocCount is a ROC point as counts, kept so that rate comparisons can be
// made exactly.
type rocCount struct {
	fp, tp    int
	threshold float64
}

// ROC returns the ROC curve of scores against labels (true = anomaly), one
// point per distinct threshold, so tied scores move the curve diagonally in a
// single step. The curve starts at (0, 0) with Threshold equal to the largest
// score and ends at (1, 1) with Threshold -Inf; every other point has as
// Threshold the next lower distinct score, the smallest t for which
// score > t gives that point. Errors: lengths differ, a score is not finite,
// or the labels lack positives or negatives (ErrOneClass).
func ROC(scores []float64, labels []bool) ([]ROCPoint, error) {
	counts, pos, neg, err := rocCounts(scores, labels)
	if err != nil {
		return nil, err
	}
	pts := make([]ROCPoint, len(counts))
	for i, c := range counts {
		pts[i] = ROCPoint{
			FPR:       float64(c.fp) / float64(neg),
			TPR:       float64(c.tp) / float64(pos),
			Threshold: c.threshold,
		}
	}
	return pts, nil
}

// rocCounts computes the ROC as cumulative counts together with the class
// totals; see ROC for the threshold convention and errors.
func rocCounts(scores []float64, labels []bool) (pts []rocCount, pos, neg int, err error) {
	if err := checkScores(scores, labels); err != nil {
		return nil, 0, 0, err
	}
	if pos, neg, err = countClasses(labels); err != nil {
		return nil, 0, 0, err
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return -cmpFloat(scores[a], scores[b]) })

	pts = append(pts, rocCount{threshold: scores[order[0]]})
	fp, tp := 0, 0
	for i := 0; i < len(order); {
		s := scores[order[i]]
		for ; i < len(order) && scores[order[i]] == s; i++ {
			if labels[order[i]] {
				tp++
			} else {
				fp++
			}
		}
		next := math.Inf(-1)
		if i < len(order) {
			next = scores[order[i]]
		}
		pts = append(pts, rocCount{fp: fp, tp: tp, threshold: next})
	}
	return pts, pos, neg, nil
}

// cmpFloat orders finite floats ascending.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
