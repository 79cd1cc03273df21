package report

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// testSweep has a log float, a choice and a conditional int parameter, and
// trials of every outcome, one complete with a NaN value.
func testSweep() SweepData {
	nan := math.NaN()
	return SweepData{
		Metric: "val.loss",
		Params: []SweepParam{
			{Name: "train.lr", Low: 1e-4, High: 1e-2, Log: true},
			{Name: "model.kind", Choices: []string{"a", "b"}},
			{Name: "model.x", Low: 1, High: 8},
		},
		Trials: []SweepTrial{
			{Number: 0, Outcome: OutcomeComplete, Value: 0.5, Params: []float64{1e-3, 0, nan},
				Intermediate: map[int]float64{1: 0.9, 2: 0.6, 3: 0.5}},
			{Number: 1, Outcome: OutcomePruned, Params: []float64{5e-3, 1, 4},
				Intermediate: map[int]float64{1: 1.5}},
			{Number: 2, Outcome: OutcomeComplete, Value: 0.3, Params: []float64{2e-4, 1, 8},
				Intermediate: map[int]float64{1: 0.8, 2: 0.4, 3: math.Inf(1)}},
			{Number: 3, Outcome: OutcomeFailed, Params: []float64{1e-2, 0, nan}},
			{Number: 4, Outcome: OutcomeComplete, Value: nan, Params: []float64{1e-4, 1, 1}},
			{Number: 5, Outcome: OutcomeRunning, Params: []float64{3e-3, 1, 2},
				Intermediate: map[int]float64{1: 1.1}},
		},
	}
}

func TestPlotSweepCharts(t *testing.T) {
	for _, maximize := range []bool{false, true} {
		s := testSweep()
		s.Maximize = maximize
		dir := t.TempDir()
		plots := map[string]func(string) error{
			"history.png":  func(p string) error { return PlotSweepHistory(p, s) },
			"parallel.png": func(p string) error { return PlotSweepParallel(p, s) },
			"curves.png":   func(p string) error { return PlotSweepIntermediate(p, "mean validation loss", s) },
			"lr.png":       func(p string) error { return PlotSweepParam(p, s, 0) },
			"kind.png":     func(p string) error { return PlotSweepParam(p, s, 1) },
			"x.png":        func(p string) error { return PlotSweepParam(p, s, 2) },
		}
		for name, plot := range plots {
			path := filepath.Join(dir, name)
			if err := plot(path); err != nil {
				t.Fatalf("maximize %v, %s: %v", maximize, name, err)
			}
			assertPNG(t, path)
		}
	}
}

func TestPlotSweepSingleTrial(t *testing.T) {
	s := SweepData{Metric: "auc", Maximize: true,
		Params: []SweepParam{{Name: "k", Low: 3, High: 3}, {Name: "lr", Low: 0.5, High: 0.9, Log: true}},
		Trials: []SweepTrial{{Number: 0, Outcome: OutcomeComplete, Value: 0.7, Params: []float64{3, 0.6},
			Intermediate: map[int]float64{1: 2}}}}
	dir := t.TempDir()
	for name, plot := range map[string]func(string) error{
		"h.png":  func(p string) error { return PlotSweepHistory(p, s) },
		"p.png":  func(p string) error { return PlotSweepParallel(p, s) },
		"c.png":  func(p string) error { return PlotSweepIntermediate(p, "loss", s) },
		"k.png":  func(p string) error { return PlotSweepParam(p, s, 0) },
		"lr.png": func(p string) error { return PlotSweepParam(p, s, 1) },
	} {
		path := filepath.Join(dir, name)
		if err := plot(path); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		assertPNG(t, path)
	}
}

func TestPlotSweepNothingToPlot(t *testing.T) {
	s := SweepData{Metric: "auc",
		Params: []SweepParam{{Name: "k", Choices: []string{"a"}}},
		Trials: []SweepTrial{
			{Number: 0, Outcome: OutcomePruned, Params: []float64{0}},
			{Number: 1, Outcome: OutcomeComplete, Value: math.NaN(), Params: []float64{0}},
		}}
	dir := t.TempDir()
	for name, plot := range map[string]func(string) error{
		"h.png": func(p string) error { return PlotSweepHistory(p, s) },
		"p.png": func(p string) error { return PlotSweepParallel(p, s) },
		"c.png": func(p string) error { return PlotSweepIntermediate(p, "loss", s) },
		"k.png": func(p string) error { return PlotSweepParam(p, s, 0) },
	} {
		path := filepath.Join(dir, name)
		if err := plot(path); !errors.Is(err, ErrNothingToPlot) {
			t.Errorf("%s: err %v, want ErrNothingToPlot", name, err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: written anyway (stat: %v)", name, err)
		}
	}
}

func TestPlotSweepErrors(t *testing.T) {
	dir := t.TempDir()
	bad := testSweep()
	bad.Trials[0].Params = bad.Trials[0].Params[:2]
	if err := PlotSweepHistory(filepath.Join(dir, "a.png"), bad); err == nil {
		t.Error("short Params: no error")
	}
	badLog := testSweep()
	badLog.Params[0].Low = 0
	if err := PlotSweepParallel(filepath.Join(dir, "b.png"), badLog); err == nil {
		t.Error("log parameter with low 0: no error")
	}
	if err := PlotSweepParam(filepath.Join(dir, "c.png"), testSweep(), 3); err == nil {
		t.Error("parameter index out of range: no error")
	}
	if err := PlotSweepHistory(filepath.Join(dir, "d.svg"), testSweep()); err == nil {
		t.Error("non-PNG path: no error")
	}
}

func TestSweepParamNorm(t *testing.T) {
	cases := []struct {
		par  SweepParam
		v    float64
		want float64
	}{
		{SweepParam{Low: 1e-4, High: 1e-2, Log: true}, 1e-3, 0.5},
		{SweepParam{Low: 0, High: 10}, 2.5, 0.25},
		{SweepParam{Low: 0, High: 10}, 12, 1},
		{SweepParam{Low: 3, High: 3}, 3, 0.5},
		{SweepParam{Choices: []string{"a", "b", "c"}}, 1, 0.5},
		{SweepParam{Choices: []string{"a"}}, 0, 0.5},
		{SweepParam{Low: 0, High: 1}, math.NaN(), inactiveRow},
	}
	for _, c := range cases {
		if got := c.par.norm(c.v); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%+v norm(%v) = %v, want %v", c.par, c.v, got, c.want)
		}
	}
}
