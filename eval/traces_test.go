package eval

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

// Normal traces sorted descending: .4 .4 .3 .2 .1; attacks .4 (dos), .9
// (rce), .3 (dos), .5 (rce).
func handTraces() TraceScores {
	return TraceScores{
		Normal: []float64{0.1, 0.4, 0.4, 0.2, 0.3},
		Attack: []float64{0.4, 0.9, 0.3, 0.5},
		Family: []string{"dos", "rce", "dos", "rce"},
	}
}

func TestEvaluateTracesAUCAndROC(t *testing.T) {
	rep, err := EvaluateTraces(handTraces(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Wins and ties over 20 pairs: .4 -> 3 + 2 ties, .9 -> 5, .3 -> 2 + 1
	// tie, .5 -> 5: 16.5/20.
	if !near(rep.AUC, 0.825) || rep.Normals != 5 || rep.Attacks != 4 {
		t.Errorf("AUC %v normals %d attacks %d, want 0.825 5 4", rep.AUC, rep.Normals, rep.Attacks)
	}
	want := []ROCPoint{
		{0, 0, 0.9}, {0, 0.25, 0.5}, {0, 0.5, 0.4}, {0.4, 0.75, 0.3},
		{0.6, 1, 0.2}, {0.8, 1, 0.1}, {1, 1, math.Inf(-1)},
	}
	if len(rep.ROC) != len(want) {
		t.Fatalf("ROC has %d points, want %d: %v", len(rep.ROC), len(want), rep.ROC)
	}
	for i, p := range rep.ROC {
		if !near(p.FPR, want[i].FPR) || !near(p.TPR, want[i].TPR) || p.Threshold != want[i].Threshold {
			t.Errorf("ROC[%d] = %+v, want %+v", i, p, want[i])
		}
	}
	if rep.AtFalseAlarm != nil {
		t.Errorf("nil targets gave %v", rep.AtFalseAlarm)
	}
}

func TestTracesAtFalseAlarm(t *testing.T) {
	cases := []struct {
		fa, threshold, det, far float64
		dos, rce                int
	}{
		{0, 0.4, 0.5, 0, 0, 2},
		// A budget of one false alarm cannot split the tie at .4.
		{0.2, 0.4, 0.5, 0, 0, 2},
		{0.4, 0.3, 0.75, 0.4, 1, 2},
		{0.5, 0.3, 0.75, 0.4, 1, 2},
		{1, math.Inf(-1), 1, 1, 2, 2},
	}
	for _, c := range cases {
		op, err := TracesAtFalseAlarm(handTraces(), c.fa)
		if err != nil {
			t.Fatal(err)
		}
		if op.Threshold != c.threshold || !near(op.DetectionRate, c.det) || !near(op.FalseAlarmRate, c.far) ||
			op.TargetFA == nil || *op.TargetFA != c.fa {
			t.Errorf("fa %v: got %+v, want threshold %v detection %v false alarms %v", c.fa, op, c.threshold, c.det, c.far)
		}
		wantFam := []FamilyDetection{
			{"dos", 2, c.dos, float64(c.dos) / 2},
			{"rce", 2, c.rce, float64(c.rce) / 2},
		}
		if !reflect.DeepEqual(op.Families, wantFam) {
			t.Errorf("fa %v: families %+v, want %+v", c.fa, op.Families, wantFam)
		}
	}
	rep, err := EvaluateTraces(handTraces(), []float64{0, 0.4})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.AtFalseAlarm) != 2 || rep.AtFalseAlarm[1].Detected != 3 || rep.AtFalseAlarm[1].FalseAlarms != 2 {
		t.Errorf("EvaluateTraces targets: %+v", rep.AtFalseAlarm)
	}
}

func TestTracesAtThreshold(t *testing.T) {
	// A fixed threshold: the largest normal validation score.
	th, err := ThresholdForFalseAlarm([]float64{0.2, 0.35}, 0)
	if err != nil {
		t.Fatal(err)
	}
	ts := handTraces()
	ts.Family = nil
	op, err := TracesAtThreshold(ts, th)
	if err != nil {
		t.Fatal(err)
	}
	want := TraceOperating{Threshold: 0.35, DetectionRate: 0.75, FalseAlarmRate: 0.4, Detected: 3, FalseAlarms: 2}
	if !reflect.DeepEqual(op, want) {
		t.Errorf("got %+v, want %+v", op, want)
	}
}

func TestTracesErrors(t *testing.T) {
	good := handTraces()
	bad := []TraceScores{
		{Attack: []float64{1}},
		{Normal: []float64{1}},
		{Normal: []float64{1}, Attack: []float64{1, 2}, Family: []string{"a"}},
		{Normal: []float64{math.NaN()}, Attack: []float64{1}},
		{Normal: []float64{1}, Attack: []float64{math.Inf(1)}},
	}
	for i, ts := range bad {
		if _, err := EvaluateTraces(ts, nil); err == nil {
			t.Errorf("case %d: EvaluateTraces succeeded", i)
		}
		if _, err := TracesAtThreshold(ts, 0); err == nil {
			t.Errorf("case %d: TracesAtThreshold succeeded", i)
		}
		if _, err := TracesAtFalseAlarm(ts, 0.1); err == nil {
			t.Errorf("case %d: TracesAtFalseAlarm succeeded", i)
		}
	}
	if _, err := EvaluateTraces(bad[0], nil); !errors.Is(err, ErrOneClass) {
		t.Errorf("no normals: %v, want ErrOneClass", err)
	}
	if _, err := EvaluateTraces(good, []float64{1.5}); err == nil {
		t.Error("target 1.5 accepted")
	}
	if _, err := TracesAtThreshold(good, math.NaN()); err == nil {
		t.Error("NaN threshold accepted")
	}
}
