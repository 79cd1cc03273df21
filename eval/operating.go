package eval

import (
	"fmt"
	"math"
	"slices"
)

// OperatingPoint is a detector thresholded at Threshold (score > Threshold
// alarms). HitRate and FalseAlarmRate are in [0, 1]; Cost is
// MaxionTownsendCost(1-HitRate, FalseAlarmRate) in percent units.
type OperatingPoint struct {
	Threshold      float64 `json:"threshold"`
	HitRate        float64 `json:"hit_rate"`
	FalseAlarmRate float64 `json:"false_alarm_rate"`
	Cost           float64 `json:"cost"`
}

// rateSlack absorbs rounding in rate*count products such as 0.29*100, so that
// a budget of exactly k items is not read as k-1.
const rateSlack = 1e-9

// allowedCount returns the largest count k with k/n <= rate.
func allowedCount(rate float64, n int) int {
	return int(math.Floor(rate*float64(n) + rateSlack))
}

// HitRateAtFalseAlarm picks, with one threshold over all scores, the ROC point
// with the highest hit rate whose false-alarm rate is at most maxFA (in
// [0, 1]); among equal hit rates the lowest false-alarm rate wins. The
// returned Threshold is the smallest t achieving that point. Errors: those of
// ROC, or maxFA outside [0, 1].
func HitRateAtFalseAlarm(scores []float64, labels []bool, maxFA float64) (OperatingPoint, error) {
	if err := checkRate("maxFA", maxFA, true); err != nil {
		return OperatingPoint{}, err
	}
	pts, pos, neg, err := rocCounts(scores, labels)
	if err != nil {
		return OperatingPoint{}, err
	}
	budget := allowedCount(maxFA, neg)
	best := pts[0]
	for _, p := range pts[1:] {
		if p.fp > budget {
			break
		}
		if p.tp > best.tp {
			best = p
		}
	}
	hit := float64(best.tp) / float64(pos)
	fa := float64(best.fp) / float64(neg)
	return OperatingPoint{
		Threshold:      best.threshold,
		HitRate:        hit,
		FalseAlarmRate: fa,
		Cost:           MaxionTownsendCost(1-hit, fa),
	}, nil
}

// ThresholdForFalseAlarm returns the smallest threshold t such that the
// fraction of normalScores with score > t is at most fa (in [0, 1]); with
// normalScores sorted in descending order d and k = floor(fa*n) this is
// d[k], so ties at the threshold never alarm. fa = 0 gives the largest score;
// a budget covering every score (k >= n) gives -Inf. Errors: no scores, a
// score not finite, or fa outside [0, 1].
func ThresholdForFalseAlarm(normalScores []float64, fa float64) (float64, error) {
	if err := checkRate("false-alarm rate", fa, true); err != nil {
		return 0, err
	}
	if len(normalScores) == 0 {
		return 0, fmt.Errorf("eval: no normal scores to set a threshold on")
	}
	if err := checkFinite(normalScores); err != nil {
		return 0, err
	}
	k := allowedCount(fa, len(normalScores))
	if k >= len(normalScores) {
		return math.Inf(-1), nil
	}
	d := slices.Clone(normalScores)
	slices.SortFunc(d, func(a, b float64) int { return -cmpFloat(a, b) })
	return d[k], nil
}
