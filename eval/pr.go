package eval

import "math"

// PRPoint is one point of a precision-recall curve. Precision and Recall are
// in [0, 1]. Threshold follows the package convention (score > Threshold
// alarms) and is the smallest such t giving the point; MinScore is the lowest
// score that alarms at the point, which is scikit-learn's threshold
// (score >= MinScore alarms). The first point of a curve alarms on nothing:
// its MinScore is +Inf, so it cannot be JSON-encoded as a float.
type PRPoint struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	Threshold float64 `json:"threshold"`
	MinScore  float64 `json:"min_score"`
}

// PRCurve returns the precision-recall curve of scores against labels
// (true = anomaly), one point per distinct score, by decreasing threshold, so
// that Recall never decreases along the slice. The first point is the end
// point convention of scikit-learn, (Recall 0, Precision 1), with Threshold
// equal to the largest score; each later point alarms on every score at or
// above its MinScore, a distinct score, and has as Threshold the next lower
// distinct score (-Inf for the last point, where everything alarms).
//
// Read in reverse, Precision, Recall and MinScore are scikit-learn's
// precision_recall_curve (version 1.2) arrays precision, recall and
// thresholds, the last having no entry for the end point. Errors: those of
// ROC (lengths differ, a score not finite, ErrOneClass).
func PRCurve(scores []float64, labels []bool) ([]PRPoint, error) {
	counts, pos, _, err := rocCounts(scores, labels)
	if err != nil {
		return nil, err
	}
	pts := make([]PRPoint, len(counts))
	pts[0] = PRPoint{Precision: 1, Recall: 0, Threshold: counts[0].threshold, MinScore: math.Inf(1)}
	for i := 1; i < len(counts); i++ {
		c := counts[i]
		pts[i] = PRPoint{
			Precision: float64(c.tp) / float64(c.tp+c.fp),
			Recall:    float64(c.tp) / float64(pos),
			Threshold: c.threshold,
			MinScore:  counts[i-1].threshold,
		}
	}
	return pts, nil
}

// AveragePrecision returns the average precision of scores against labels,
// the step-wise sum Σ (R_n − R_{n−1}) P_n over PRCurve's points, as
// scikit-learn's average_precision_score computes it; no interpolation is
// applied. This is the figure to report for imbalanced detection; it is not
// the trapezoid area (see PRAUC), which is optimistic where precision drops
// between distant recall levels. Errors are those of PRCurve.
func AveragePrecision(scores []float64, labels []bool) (float64, error) {
	pts, err := PRCurve(scores, labels)
	if err != nil {
		return 0, err
	}
	return AveragePrecisionFromPR(pts), nil
}

// AveragePrecisionFromPR returns Σ (R_n − R_{n−1}) P_n over points ordered by
// non-decreasing recall, as PRCurve returns them. Fewer than two points
// give 0.
func AveragePrecisionFromPR(points []PRPoint) float64 {
	ap := 0.0
	for i := 1; i < len(points); i++ {
		ap += (points[i].Recall - points[i-1].Recall) * points[i].Precision
	}
	return ap
}

// PRAUC returns the area under the precision-recall curve by the trapezoid
// rule over PRCurve's points, including the (Recall 0, Precision 1) end
// point; it equals scikit-learn's auc(recall, precision). Linear
// interpolation between PR points overstates precision, so prefer
// AveragePrecision; PRAUC is given for comparison with papers that report
// it. Errors are those of PRCurve.
func PRAUC(scores []float64, labels []bool) (float64, error) {
	pts, err := PRCurve(scores, labels)
	if err != nil {
		return 0, err
	}
	return PRAUCFromPR(pts), nil
}

// PRAUCFromPR returns the trapezoid area under points ordered by
// non-decreasing recall. Fewer than two points give 0.
func PRAUCFromPR(points []PRPoint) float64 {
	area := 0.0
	for i := 1; i < len(points); i++ {
		a, b := points[i-1], points[i]
		area += (b.Recall - a.Recall) * (a.Precision + b.Precision) / 2
	}
	return area
}

// PrecisionRecallF1 holds the precision, recall and F1 score of a detector
// thresholded at Threshold (score > Threshold alarms), with its counts.
// Precision is NaN when nothing alarms and Recall is NaN without positives;
// F1 = 2TP/(2TP+FP+FN), which is 0 when nothing alarms and positives exist,
// and NaN only when there are no positives and no alarms.
type PrecisionRecallF1 struct {
	Threshold float64   `json:"threshold"`
	Precision float64   `json:"precision"`
	Recall    float64   `json:"recall"`
	F1        float64   `json:"f1"`
	Counts    Confusion `json:"counts"`
}

// PrecisionRecallAt returns precision, recall and F1 when score > threshold
// alarms. Errors: those of ConfusionAt (lengths differ, a score not finite);
// labels of a single class are allowed.
func PrecisionRecallAt(scores []float64, labels []bool, threshold float64) (PrecisionRecallF1, error) {
	c, err := ConfusionAt(scores, labels, threshold)
	if err != nil {
		return PrecisionRecallF1{}, err
	}
	return PrecisionRecallF1{
		Threshold: threshold,
		Precision: c.Precision(),
		Recall:    c.HitRate(),
		F1:        ratio(2*c.TP, 2*c.TP+c.FP+c.FN),
		Counts:    c,
	}, nil
}

// ThresholdForPrecision returns the PR point with the highest recall whose
// precision is at least target (in [0, 1]), among the points of PRCurve that
// alarm on something; among points of equal recall the one with the fewest
// false alarms (highest precision, highest threshold) wins. Because precision
// is not monotone in the threshold, every point is examined, not only the
// first that falls below target. The point's Threshold is the smallest t for
// which score > t gives it.
//
// When no threshold reaches target, ok is false and the point alarms on
// nothing: Threshold +Inf, MinScore +Inf, Recall 0 and Precision NaN, so a
// caller that ignores ok raises no alarm rather than every alarm. Errors:
// those of PRCurve, or target outside [0, 1].
func ThresholdForPrecision(scores []float64, labels []bool, target float64) (p PRPoint, ok bool, err error) {
	if err := checkRate("target precision", target, true); err != nil {
		return PRPoint{}, false, err
	}
	pts, err := PRCurve(scores, labels)
	if err != nil {
		return PRPoint{}, false, err
	}
	best := -1
	for i := 1; i < len(pts); i++ {
		if pts[i].Precision < target {
			continue
		}
		if best < 0 || pts[i].Recall > pts[best].Recall {
			best = i
		}
	}
	if best < 0 {
		return PRPoint{Precision: math.NaN(), Threshold: math.Inf(1), MinScore: math.Inf(1)}, false, nil
	}
	return pts[best], true, nil
}
