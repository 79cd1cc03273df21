package report

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-ml/vigil/eval"
)

func prCurve(t *testing.T, scores []float64, labels []bool) []eval.PRPoint {
	t.Helper()
	pts, err := eval.PRCurve(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	return pts
}

// noFile fails t when path exists.
func noFile(t *testing.T, name, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s: written anyway (stat: %v)", name, err)
	}
}

func TestPlotPR(t *testing.T) {
	labels := []bool{true, false, true, false, false, true, false, false, false, false}
	model := prCurve(t, []float64{0.9, 0.2, 0.7, 0.4, 0.1, 0.8, 0.3, 0.5, 0.05, 0.15}, labels)
	base := prCurve(t, []float64{0.5, 0.6, 0.4, 0.3, 0.1, 0.7, 0.2, 0.9, 0.8, 0.35}, labels)
	if !math.IsInf(model[0].MinScore, 1) {
		t.Fatalf("first PR point MinScore %v, want +Inf", model[0].MinScore)
	}
	op, ok, err := eval.ThresholdForPrecision([]float64{0.9, 0.2, 0.7, 0.4, 0.1, 0.8, 0.3, 0.5, 0.05, 0.15}, labels, 0.9)
	if err != nil || !ok {
		t.Fatalf("operating point: ok %v, err %v", ok, err)
	}
	dir := t.TempDir()
	cases := map[string]struct {
		curves   []NamedPRCurve
		baseline float64
	}{
		"sub/pr.png": {[]NamedPRCurve{
			{Name: fmt.Sprintf("model (AP %.3f)", eval.AveragePrecisionFromPR(model)), Points: model, Operating: &op},
			{Name: fmt.Sprintf("naive Bayes (AP %.3f)", eval.AveragePrecisionFromPR(base)), Points: base},
		}, 0.3},
		"no_baseline.png": {[]NamedPRCurve{{Name: "model", Points: model}}, 0},
		// A high baseline, where the legend cannot sit above the line.
		"high_baseline.png": {[]NamedPRCurve{{Name: "model", Points: model, Operating: &model[len(model)-1]}}, 0.95},
		// PRCurve of a single distinct score: the end point and everything alarming.
		"flat.png":      {[]NamedPRCurve{{Name: "flat", Points: prCurve(t, []float64{1, 1, 1}, []bool{true, false, false})}}, 1.0 / 3},
		"one_point.png": {[]NamedPRCurve{{Name: "end point only", Points: model[:1]}}, 0.1},
	}
	many := make([]NamedPRCurve, MaxLegendSeries+3)
	for i := range many {
		many[i] = NamedPRCurve{Name: fmt.Sprint("c", i), Points: model}
	}
	cases["many.png"] = struct {
		curves   []NamedPRCurve
		baseline float64
	}{many, 0.3}
	for name, c := range cases {
		path := filepath.Join(dir, name)
		if err := PlotPR(path, c.curves, c.baseline); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		assertPNG(t, path)
	}
}

func TestPlotPRErrors(t *testing.T) {
	dir := t.TempDir()
	good := []eval.PRPoint{{Precision: 1, Recall: 0, MinScore: math.Inf(1)}, {Precision: 0.5, Recall: 1}}
	nanOp := eval.PRPoint{Precision: math.NaN(), Threshold: math.Inf(1), MinScore: math.Inf(1)}
	cases := map[string]struct {
		curves   []NamedPRCurve
		baseline float64
		nothing  bool // want ErrNothingToPlot
	}{
		"no curves":            {nil, 0.1, true},
		"no points":            {[]NamedPRCurve{{Name: "x", Points: good}, {Name: "empty"}}, 0.1, true},
		"nan precision":        {[]NamedPRCurve{{Name: "x", Points: []eval.PRPoint{{Precision: math.NaN()}, {Precision: 1, Recall: 1}}}}, 0.1, false},
		"recall above 1":       {[]NamedPRCurve{{Name: "x", Points: []eval.PRPoint{{Precision: 1}, {Precision: 1, Recall: 1.5}}}}, 0.1, false},
		"negative precision":   {[]NamedPRCurve{{Name: "x", Points: []eval.PRPoint{{Precision: -0.1, Recall: 0.5}}}}, 0.1, false},
		"recall decreasing":    {[]NamedPRCurve{{Name: "x", Points: []eval.PRPoint{{Precision: 0.5, Recall: 1}, {Precision: 1, Recall: 0}}}}, 0.1, false},
		"nan operating point":  {[]NamedPRCurve{{Name: "x", Points: good, Operating: &nanOp}}, 0.1, false},
		"operating recall > 1": {[]NamedPRCurve{{Name: "x", Points: good, Operating: &eval.PRPoint{Precision: 1, Recall: 2}}}, 0.1, false},
		"nan baseline":         {[]NamedPRCurve{{Name: "x", Points: good}}, math.NaN(), false},
		"baseline above 1":     {[]NamedPRCurve{{Name: "x", Points: good}}, 1.5, false},
	}
	for name, c := range cases {
		path := filepath.Join(dir, name+".png")
		err := PlotPR(path, c.curves, c.baseline)
		if err == nil {
			t.Errorf("%s: no error", name)
		} else if errors.Is(err, ErrNothingToPlot) != c.nothing {
			t.Errorf("%s: err %v, ErrNothingToPlot %v, want %v", name, err, !c.nothing, c.nothing)
		}
		noFile(t, name, path)
	}
	if err := PlotPR(filepath.Join(dir, "x.svg"), []NamedPRCurve{{Name: "x", Points: good}}, 0.1); err == nil {
		t.Error("non-PNG path: no error")
	}
}

func TestPlotIntervals(t *testing.T) {
	dir := t.TempDir()
	rows := []Interval{
		{"autoencoder precision", 0.62, 0.55, 0.70},
		{"autoencoder recall", 0.48, 0.40, 0.57},
		{"autoencoder F1", 0.54, 0.47, 0.60},
		{"naive Bayes precision", 0.41, 0.33, 0.50},
		{"naive Bayes recall", 0.52, 0.44, 0.61},
		{"naive Bayes F1", 0.46, 0.40, 0.53},
	}
	path := filepath.Join(dir, "sub", "intervals.png")
	if err := PlotIntervals(path, "Test set, 95% bootstrap intervals", "score", rows); err != nil {
		t.Fatal(err)
	}
	assertPNG(t, path)

	// One degenerate row, and many rows.
	path = filepath.Join(dir, "one.png")
	if err := PlotIntervals(path, "one", "x", []Interval{{"only", 1, 1, 1}}); err != nil {
		t.Fatal(err)
	}
	assertPNG(t, path)
	var lots []Interval
	for i := range 40 {
		v := float64(i) / 40
		lots = append(lots, Interval{fmt.Sprint("row ", i), v, v - 0.1, v + 0.05})
	}
	path = filepath.Join(dir, "lots.png")
	if err := PlotIntervals(path, "many", "x", lots); err != nil {
		t.Fatal(err)
	}
	assertPNG(t, path)
}

func TestPlotIntervalsErrors(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]Interval{
		"lo above point": {{"a", 0.5, 0.6, 0.7}},
		"point above hi": {{"a", 0.5, 0.4, 0.45}},
		"nan point":      {{"a", math.NaN(), 0.4, 0.6}},
		"nan lo":         {{"ok", 0.5, 0.4, 0.6}, {"b", 0.5, math.NaN(), 0.6}},
		"infinite hi":    {{"a", 0.5, 0.4, math.Inf(1)}},
	}
	for name, rows := range cases {
		path := filepath.Join(dir, name+".png")
		if err := PlotIntervals(path, "t", "x", rows); err == nil {
			t.Errorf("%s: no error", name)
		}
		noFile(t, name, path)
	}
	path := filepath.Join(dir, "none.png")
	if err := PlotIntervals(path, "t", "x", nil); !errors.Is(err, ErrNothingToPlot) {
		t.Errorf("no rows: err %v, want ErrNothingToPlot", err)
	}
	noFile(t, "no rows", path)
	if err := PlotIntervals(filepath.Join(dir, "x.svg"), "t", "x", []Interval{{"a", 1, 0, 2}}); err == nil {
		t.Error("non-PNG path: no error")
	}
}
