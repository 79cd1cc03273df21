package eval

import (
	"errors"
	"math"
	"testing"
)

func TestROCFourPoints(t *testing.T) {
	// Descending: 0.9 P, 0.8 N, 0.7 P, 0.6 N; two of each class.
	scores := []float64{0.6, 0.9, 0.7, 0.8}
	labels := []bool{false, true, true, false}
	want := []ROCPoint{
		{0, 0, 0.9},
		{0, 0.5, 0.8},
		{0.5, 0.5, 0.7},
		{0.5, 1, 0.6},
		{1, 1, math.Inf(-1)},
	}
	got, err := ROC(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	assertPoints(t, got, want)
}

func TestROCTiesOnePointPerThreshold(t *testing.T) {
	// 0.8 P; a tie at 0.5 of one P and one N; 0.2 N. The tie moves the
	// curve diagonally from (0, .5) to (.5, 1) in one step.
	scores := []float64{0.5, 0.5, 0.2, 0.8}
	labels := []bool{true, false, false, true}
	want := []ROCPoint{
		{0, 0, 0.8},
		{0, 0.5, 0.5},
		{0.5, 1, 0.2},
		{1, 1, math.Inf(-1)},
	}
	got, err := ROC(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	assertPoints(t, got, want)
}

func TestROCAllTied(t *testing.T) {
	got, err := ROC([]float64{1, 1, 1}, []bool{true, false, false})
	if err != nil {
		t.Fatal(err)
	}
	assertPoints(t, got, []ROCPoint{{0, 0, 1}, {1, 1, math.Inf(-1)}})
}

func TestROCThresholdsReproducePoints(t *testing.T) {
	scores := []float64{3, 1, 2, 2, 5, 1, 4}
	labels := []bool{true, false, true, false, true, false, false}
	pts, err := ROC(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pts {
		c, err := ConfusionAt(scores, labels, p.Threshold)
		if err != nil {
			t.Fatal(err)
		}
		if c.HitRate() != p.TPR || c.FalseAlarmRate() != p.FPR {
			t.Errorf("threshold %v: confusion gives (%v, %v), point says (%v, %v)",
				p.Threshold, c.FalseAlarmRate(), c.HitRate(), p.FPR, p.TPR)
		}
	}
}

func TestROCErrors(t *testing.T) {
	cases := []struct {
		name   string
		scores []float64
		labels []bool
		oneCls bool
	}{
		{"empty", nil, nil, true},
		{"no positives", []float64{1, 2}, []bool{false, false}, true},
		{"no negatives", []float64{1, 2}, []bool{true, true}, true},
		{"length", []float64{1, 2}, []bool{true}, false},
		{"nan", []float64{1, math.NaN()}, []bool{true, false}, false},
		{"inf", []float64{math.Inf(1), 0}, []bool{true, false}, false},
	}
	for _, c := range cases {
		_, err := ROC(c.scores, c.labels)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if errors.Is(err, ErrOneClass) != c.oneCls {
			t.Errorf("%s: errors.Is(ErrOneClass) = %v, want %v (%v)", c.name, !c.oneCls, c.oneCls, err)
		}
		if _, err := ROCAUC(c.scores, c.labels); err == nil {
			t.Errorf("%s: ROCAUC: no error", c.name)
		}
	}
}

func assertPoints(t *testing.T, got, want []ROCPoint) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d points %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if !near(got[i].FPR, want[i].FPR) || !near(got[i].TPR, want[i].TPR) || got[i].Threshold != want[i].Threshold {
			t.Errorf("point %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
