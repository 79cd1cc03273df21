package eval

import (
	"math"
	"testing"
)

func TestFalseAlarmAtDetection(t *testing.T) {
	pos := []float64{0.9, 0.8, 0.3, 0.7}       // sorted: .9 .8 .7 .3
	neg := []float64{0.1, 0.3, 0.5, 0.75, 0.2} // 5 negatives
	for _, c := range []struct {
		tpr, fpr, th float64
	}{
		{1, 3.0 / 5, 0.3},    // threshold .3: .3 (tied), .5, .75 alarm
		{0.95, 3.0 / 5, 0.3}, // ceil(3.8) = 4 positives still needed
		{0.75, 1.0 / 5, 0.7}, // 3 positives: .75 alarms
		{0.5, 0, 0.8},
		{0.25, 0, 0.9},
	} {
		fpr, th, err := FalseAlarmAtDetection(pos, neg, c.tpr)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(fpr-c.fpr) > 1e-12 || th != c.th {
			t.Errorf("TPR %v: FPR %v at %v, want %v at %v", c.tpr, fpr, th, c.fpr, c.th)
		}
	}
	for _, bad := range []struct {
		pos, neg []float64
		tpr      float64
	}{
		{nil, neg, 1}, {pos, nil, 1}, {pos, neg, 0}, {pos, neg, 1.5}, {[]float64{math.NaN()}, neg, 1},
	} {
		if _, _, err := FalseAlarmAtDetection(bad.pos, bad.neg, bad.tpr); err == nil {
			t.Errorf("accepted %v %v %v", bad.pos, bad.neg, bad.tpr)
		}
	}
}
