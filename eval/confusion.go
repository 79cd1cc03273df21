package eval

import "math"

// Confusion holds the counts of a thresholded detector: TP and FN over
// anomalies (label true), FP and TN over normal items.
type Confusion struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	TN int `json:"tn"`
	FN int `json:"fn"`
}

// ConfusionAt counts outcomes when score > threshold alarms. Errors: lengths
// differ or a score is not finite. Labels of a single class are allowed.
func ConfusionAt(scores []float64, labels []bool, threshold float64) (Confusion, error) {
	var c Confusion
	if err := checkScores(scores, labels); err != nil {
		return c, err
	}
	for i, s := range scores {
		alarm := s > threshold
		switch {
		case labels[i] && alarm:
			c.TP++
		case labels[i]:
			c.FN++
		case alarm:
			c.FP++
		default:
			c.TN++
		}
	}
	return c, nil
}

// HitRate returns TP/(TP+FN), the true positive rate; NaN without anomalies.
func (c Confusion) HitRate() float64 { return ratio(c.TP, c.TP+c.FN) }

// MissRate returns FN/(TP+FN); NaN without anomalies.
func (c Confusion) MissRate() float64 { return ratio(c.FN, c.TP+c.FN) }

// FalseAlarmRate returns FP/(FP+TN), the false positive rate; NaN without
// normal items.
func (c Confusion) FalseAlarmRate() float64 { return ratio(c.FP, c.FP+c.TN) }

// Precision returns TP/(TP+FP); NaN when nothing alarms.
func (c Confusion) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Cost returns MaxionTownsendCost(MissRate, FalseAlarmRate) in percent units;
// NaN when either class is empty.
func (c Confusion) Cost() float64 { return MaxionTownsendCost(c.MissRate(), c.FalseAlarmRate()) }

// Add returns the element-wise sum of c and d, for pooling counts.
func (c Confusion) Add(d Confusion) Confusion {
	return Confusion{TP: c.TP + d.TP, FP: c.FP + d.FP, TN: c.TN + d.TN, FN: c.FN + d.FN}
}

func ratio(num, den int) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}
