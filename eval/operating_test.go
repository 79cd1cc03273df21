package eval

import (
	"math"
	"testing"
)

func TestHitRateAtFalseAlarm(t *testing.T) {
	// Descending: 0.9 P, 0.8 N, 0.7 P, 0.6 N.
	scores := []float64{0.9, 0.8, 0.7, 0.6}
	labels := []bool{true, false, true, false}
	cases := []struct {
		maxFA float64
		want  OperatingPoint
	}{
		{0, OperatingPoint{Threshold: 0.8, HitRate: 0.5, FalseAlarmRate: 0, Cost: 50}},
		{0.49, OperatingPoint{Threshold: 0.8, HitRate: 0.5, FalseAlarmRate: 0, Cost: 50}},
		{0.5, OperatingPoint{Threshold: 0.6, HitRate: 1, FalseAlarmRate: 0.5, Cost: 300}},
		// (1, 1) has no more hits than (.5, 1), so the lower FA is kept.
		{1, OperatingPoint{Threshold: 0.6, HitRate: 1, FalseAlarmRate: 0.5, Cost: 300}},
	}
	for _, c := range cases {
		got, err := HitRateAtFalseAlarm(scores, labels, c.maxFA)
		if err != nil {
			t.Fatal(err)
		}
		if got.Threshold != c.want.Threshold || !near(got.HitRate, c.want.HitRate) ||
			!near(got.FalseAlarmRate, c.want.FalseAlarmRate) || !near(got.Cost, c.want.Cost) {
			t.Errorf("maxFA %v: got %+v, want %+v", c.maxFA, got, c.want)
		}
	}
}

func TestHitRateAtFalseAlarmCannotSplitTie(t *testing.T) {
	// 3 P; tie at 2 of one P and two N; 1 N. With a budget of one false
	// alarm out of three the tie cannot be entered.
	scores := []float64{3, 2, 2, 2, 1}
	labels := []bool{true, true, false, false, false}
	got, err := HitRateAtFalseAlarm(scores, labels, 1.0/3)
	if err != nil {
		t.Fatal(err)
	}
	if got.Threshold != 2 || got.HitRate != 0.5 || got.FalseAlarmRate != 0 {
		t.Errorf("got %+v, want threshold 2, hit 0.5, FA 0", got)
	}
}

func TestHitRateAtFalseAlarmErrors(t *testing.T) {
	s, l := []float64{1, 2}, []bool{true, false}
	for _, fa := range []float64{-0.1, 1.1, math.NaN()} {
		if _, err := HitRateAtFalseAlarm(s, l, fa); err == nil {
			t.Errorf("maxFA %v: no error", fa)
		}
	}
	if _, err := HitRateAtFalseAlarm(s, []bool{true, true}, 0.1); err == nil {
		t.Error("one class: no error")
	}
}

func TestThresholdForFalseAlarm(t *testing.T) {
	oneToTen := []float64{3, 1, 4, 10, 5, 9, 2, 6, 8, 7}
	hundred := make([]float64, 100)
	for i := range hundred {
		hundred[i] = float64(i + 1)
	}
	cases := []struct {
		name   string
		normal []float64
		fa     float64
		want   float64
	}{
		{"zero FA is the maximum", oneToTen, 0, 10},
		{"10% of 10 allows one", oneToTen, 0.1, 9},
		{"5% of 10 allows none", oneToTen, 0.05, 10},
		{"29% of 100 allows 29 despite rounding", hundred, 0.29, 71},
		{"tie at the cut never alarms", []float64{5, 5, 5, 1}, 0.5, 5},
		{"tie above the cut", []float64{5, 5, 1, 0}, 0.25, 5},
		{"every score allowed", oneToTen, 1, math.Inf(-1)},
	}
	for _, c := range cases {
		got, err := ThresholdForFalseAlarm(c.normal, c.fa)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: threshold = %v, want %v", c.name, got, c.want)
		}
		above := 0
		for _, s := range c.normal {
			if s > got {
				above++
			}
		}
		if float64(above)/float64(len(c.normal)) > c.fa+1e-12 {
			t.Errorf("%s: %d of %d scores exceed %v", c.name, above, len(c.normal), got)
		}
	}
}

func TestThresholdForFalseAlarmErrors(t *testing.T) {
	if _, err := ThresholdForFalseAlarm(nil, 0.1); err == nil {
		t.Error("empty: no error")
	}
	if _, err := ThresholdForFalseAlarm([]float64{1, math.NaN()}, 0.1); err == nil {
		t.Error("NaN: no error")
	}
	if _, err := ThresholdForFalseAlarm([]float64{1}, 1.5); err == nil {
		t.Error("fa 1.5: no error")
	}
}
