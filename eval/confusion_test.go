package eval

import (
	"math"
	"testing"
)

func TestConfusionAt(t *testing.T) {
	scores := []float64{0.1, 0.4, 0.35, 0.8}
	labels := []bool{false, false, true, true}
	cases := []struct {
		threshold float64
		want      Confusion
	}{
		// 0.35 equals the threshold and so does not alarm.
		{0.35, Confusion{TP: 1, FP: 1, TN: 1, FN: 1}},
		{0.3, Confusion{TP: 2, FP: 1, TN: 1, FN: 0}},
		{0.8, Confusion{TP: 0, FP: 0, TN: 2, FN: 2}},
		{math.Inf(-1), Confusion{TP: 2, FP: 2, TN: 0, FN: 0}},
	}
	for _, c := range cases {
		got, err := ConfusionAt(scores, labels, c.threshold)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("threshold %v: %+v, want %+v", c.threshold, got, c.want)
		}
	}
	if _, err := ConfusionAt(scores, labels[:2], 0); err == nil {
		t.Error("length mismatch: no error")
	}
}

func TestConfusionRates(t *testing.T) {
	c := Confusion{TP: 6, FN: 4, FP: 3, TN: 87}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"hit", c.HitRate(), 0.6},
		{"miss", c.MissRate(), 0.4},
		{"false alarm", c.FalseAlarmRate(), 0.0333333333333333333},
		{"precision", c.Precision(), 6.0 / 9},
		{"cost", c.Cost(), 40 + 20},
	}
	for _, ch := range checks {
		if !near(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if sum := c.Add(Confusion{TP: 1, FP: 2, TN: 3, FN: 4}); sum != (Confusion{TP: 7, FP: 5, TN: 90, FN: 8}) {
		t.Errorf("Add = %+v", sum)
	}
	if !math.IsNaN(Confusion{FP: 1}.HitRate()) || !math.IsNaN(Confusion{TP: 1}.FalseAlarmRate()) {
		t.Error("rates over an empty class should be NaN")
	}
}
