package report

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ErrNothingToPlot is returned (wrapped) by the sweep charts when the
// sweep has no data the chart can show, e.g. no complete trial with a
// finite objective, and by PlotPR and PlotIntervals when given no curves,
// points or rows; no file is written then.
var ErrNothingToPlot = errors.New("report: nothing to plot")

// Outcome is what became of a sweep trial, as the sweep charts draw it.
type Outcome int

// The outcomes of a sweep trial.
const (
	OutcomeComplete Outcome = iota // finished with an objective value
	OutcomePruned                  // stopped early by the pruner
	OutcomeFailed                  // stopped by an error
	OutcomeRunning                 // not finished
)

// SweepParam is one searched parameter: a numeric range [Low, High],
// log-scaled when Log (then Low > 0), or, when Choices is non-empty, a
// categorical parameter whose trial values are indices into Choices.
type SweepParam struct {
	Name      string
	Low, High float64
	Log       bool
	Choices   []string
}

// SweepTrial is one trial of a sweep.
type SweepTrial struct {
	Number  int
	Outcome Outcome
	// Value is the objective of a complete trial; a non-finite one is left
	// out of every chart.
	Value float64
	// Params holds one value per SweepData.Params (a choice index for a
	// categorical parameter), NaN where the parameter was inactive.
	Params []float64
	// Intermediate is the pruning figure per step (epoch).
	Intermediate map[int]float64
}

// SweepData is what the sweep charts draw: the objective's name and
// direction, the searched parameters and the trials.
type SweepData struct {
	Metric   string
	Maximize bool
	Params   []SweepParam
	Trials   []SweepTrial
}

// Marker styles shared by the sweep charts.
var (
	completeColor = seriesColor(0)
	prunedColor   = seriesColor(1)
	bestColor     = seriesColor(2)
	failedColor   = color.Gray{Y: 70}
	runningColor  = color.Gray{Y: 150}
)

// outcomeGlyph is how a trial of each outcome is marked.
func outcomeGlyph(o Outcome) draw.GlyphStyle {
	switch o {
	case OutcomePruned:
		return draw.GlyphStyle{Color: prunedColor, Radius: vg.Points(3), Shape: draw.CrossGlyph{}}
	case OutcomeFailed:
		return draw.GlyphStyle{Color: failedColor, Radius: vg.Points(3), Shape: draw.TriangleGlyph{}}
	case OutcomeRunning:
		return draw.GlyphStyle{Color: runningColor, Radius: vg.Points(3), Shape: draw.RingGlyph{}}
	}
	return draw.GlyphStyle{Color: completeColor, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
}

// outcomeNames label the outcomes in legends.
var outcomeNames = map[Outcome]string{
	OutcomeComplete: "complete", OutcomePruned: "pruned", OutcomeFailed: "failed", OutcomeRunning: "running",
}

// check reports trials whose Params do not match s.Params, and log
// parameters with a bound that is not positive.
func (s SweepData) check() error {
	for _, p := range s.Params {
		if len(p.Choices) == 0 && p.Log && (p.Low <= 0 || p.High <= 0) {
			return fmt.Errorf("report: sweep parameter %q is log-scaled with bounds [%v, %v]", p.Name, p.Low, p.High)
		}
	}
	for _, t := range s.Trials {
		if len(t.Params) != len(s.Params) {
			return fmt.Errorf("report: sweep trial %d has %d parameter values, want %d", t.Number, len(t.Params), len(s.Params))
		}
	}
	return nil
}

// better reports whether objective a beats b in s's direction.
func (s SweepData) better(a, b float64) bool {
	if s.Maximize {
		return a > b
	}
	return a < b
}

// scored returns the complete trials with a finite value, by number.
func (s SweepData) scored() []SweepTrial {
	var out []SweepTrial
	for _, t := range s.Trials {
		if t.Outcome == OutcomeComplete && finite(t.Value) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b SweepTrial) int { return a.Number - b.Number })
	return out
}

// best returns the index in trials of the best one (the lowest number
// among equals); trials must not be empty.
func (s SweepData) best(trials []SweepTrial) int {
	b := 0
	for i, t := range trials {
		if s.better(t.Value, trials[b].Value) {
			b = i
		}
	}
	return b
}

// valueAxis returns the y of the row below the objective's range over
// trials where trials without a value are marked, and the y range of the
// chart, with headroom at the top for a legend of the given entries.
func valueAxis(trials []SweepTrial, legendEntries int) (row, yMin, yMax float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, t := range trials {
		lo, hi = min(lo, t.Value), max(hi, t.Value)
	}
	span := hi - lo
	if span == 0 {
		span = math.Max(math.Abs(hi)*0.1, 1e-3)
	}
	return lo - 0.15*span, lo - 0.25*span, hi + legendHeadroom(legendEntries)*span
}

// legendHeadroom is the space above the data, as a share of the data's
// span, that keeps a compact legend of n entries clear of it.
func legendHeadroom(n int) float64 { return 0.1 + 0.22*float64(n) }

// compactLegend sets p's legend at the top right in a 10-point font.
func compactLegend(p *plot.Plot) {
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(10)
}

// intTicks label whole numbers only, for trial numbers and epochs: every
// one on a short range, otherwise DefaultTicks' whole ones.
type intTicks struct{}

func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	if hi-lo <= 12 {
		var out []plot.Tick
		for v := math.Ceil(lo); v <= hi; v++ {
			out = append(out, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
		}
		return out
	}
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Value != math.Trunc(t.Value) {
			continue
		}
		if t.Label != "" {
			t.Label = strconv.Itoa(int(t.Value))
		}
		out = append(out, t)
	}
	return out
}

// addMarks draws xys with glyph style g and adds a legend entry with the
// count; nothing when xys is empty.
func addMarks(p *plot.Plot, xys plotter.XYs, g draw.GlyphStyle, label string) error {
	if len(xys) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	sc.GlyphStyle = g
	p.Add(sc)
	p.Legend.Add(fmt.Sprintf("%s (%d)", label, len(xys)), sc)
	return nil
}

// PlotSweepHistory draws the objective of each complete trial against its
// number, the best value so far as a step line (in s's direction), and the
// trials without a value (pruned as crosses, failed as triangles, running
// as rings) in a row below the values, and writes a PNG of ChartWidth x
// ChartHeight to path. Errors: ErrNothingToPlot when no complete trial has
// a finite value, malformed data (see SweepData), or a failed write.
func PlotSweepHistory(path string, s SweepData) error {
	if err := s.check(); err != nil {
		return err
	}
	done := s.scored()
	if len(done) == 0 {
		return fmt.Errorf("objective per trial: %w", ErrNothingToPlot)
	}
	rest := map[Outcome]plotter.XYs{}
	first, last := done[0].Number, done[len(done)-1].Number
	for _, t := range s.Trials {
		first, last = min(first, t.Number), max(last, t.Number)
		if t.Outcome != OutcomeComplete {
			rest[t.Outcome] = append(rest[t.Outcome], plotter.XY{X: float64(t.Number)})
		}
	}
	row, yMin, yMax := valueAxis(done, 2+len(rest))
	for _, xys := range rest {
		for j := range xys {
			xys[j].Y = row
		}
	}
	p := plot.New()
	p.Title.Text = "Objective per trial"
	p.X.Label.Text = "Trial"
	p.Y.Label.Text = s.Metric
	p.Y.Min, p.Y.Max = yMin, yMax
	p.X.Tick.Marker = intTicks{}
	p.Add(plotter.NewGrid())

	p.X.Min, p.X.Max = float64(first)-0.5, float64(last)+0.5

	var stepXYs, points plotter.XYs
	cur := done[0].Value
	for _, t := range done {
		if s.better(t.Value, cur) {
			cur = t.Value
		}
		stepXYs = append(stepXYs, plotter.XY{X: float64(t.Number), Y: cur})
		points = append(points, plotter.XY{X: float64(t.Number), Y: t.Value})
	}
	if end := float64(last); end > stepXYs[len(stepXYs)-1].X {
		stepXYs = append(stepXYs, plotter.XY{X: end, Y: cur})
	}
	step, err := plotter.NewLine(stepXYs)
	if err != nil {
		return fmt.Errorf("report: best so far: %w", err)
	}
	step.StepStyle = plotter.PostStep
	step.Color = bestColor
	step.Width = vg.Points(1.5)
	p.Add(step)
	if err := addMarks(p, points, outcomeGlyph(OutcomeComplete), "complete"); err != nil {
		return fmt.Errorf("report: complete trials: %w", err)
	}
	p.Legend.Add("best so far", step)
	for _, o := range []Outcome{OutcomePruned, OutcomeFailed, OutcomeRunning} {
		if err := addMarks(p, rest[o], outcomeGlyph(o), outcomeNames[o]+", no value"); err != nil {
			return fmt.Errorf("report: %s trials: %w", outcomeNames[o], err)
		}
	}
	compactLegend(p)
	return savePNG(p, path)
}

// PlotSweepParam draws the objective of each complete trial against its
// value of parameter i of s.Params (a log x axis for a log parameter, the
// choices as categories with a small fixed jitter), pruned and failed
// trials as marks in a row below the values, and writes a PNG of
// ChartWidth x ChartHeight to path. Trials where the parameter was
// inactive are left out. Errors: i out of range, ErrNothingToPlot when no
// complete trial has a finite value and the parameter, malformed data, or
// a failed write.
func PlotSweepParam(path string, s SweepData, i int) error {
	if err := s.check(); err != nil {
		return err
	}
	if i < 0 || i >= len(s.Params) {
		return fmt.Errorf("report: sweep parameter %d of %d", i, len(s.Params))
	}
	par := s.Params[i]
	var done []SweepTrial
	for _, t := range s.scored() {
		if !math.IsNaN(t.Params[i]) {
			done = append(done, t)
		}
	}
	if len(done) == 0 {
		return fmt.Errorf("%s: %w", par.Name, ErrNothingToPlot)
	}
	x := func(t SweepTrial) float64 {
		v := t.Params[i]
		if len(par.Choices) > 0 {
			v += jitter(t.Number)
		}
		return v
	}
	marks := map[Outcome]plotter.XYs{}
	for _, t := range s.Trials {
		if (t.Outcome == OutcomePruned || t.Outcome == OutcomeFailed) && !math.IsNaN(t.Params[i]) {
			marks[t.Outcome] = append(marks[t.Outcome], plotter.XY{X: x(t)})
		}
	}
	row, yMin, yMax := valueAxis(done, 1+len(marks))
	for _, xys := range marks {
		for j := range xys {
			xys[j].Y = row
		}
	}
	for _, t := range done {
		marks[OutcomeComplete] = append(marks[OutcomeComplete], plotter.XY{X: x(t), Y: t.Value})
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s against %s", s.Metric, par.Name)
	p.X.Label.Text = par.Name
	p.Y.Label.Text = s.Metric
	p.Y.Min, p.Y.Max = yMin, yMax
	p.Add(plotter.NewGrid())
	setParamAxis(p, par)
	for _, o := range []Outcome{OutcomeComplete, OutcomePruned, OutcomeFailed} {
		label := outcomeNames[o]
		if o != OutcomeComplete {
			label += ", no value"
		}
		if err := addMarks(p, marks[o], outcomeGlyph(o), label); err != nil {
			return fmt.Errorf("report: %s: %w", par.Name, err)
		}
	}
	compactLegend(p)
	return savePNG(p, path)
}

// setParamAxis sets p's x axis for par: its range with a little margin,
// log-scaled when par.Log, or the choices as named ticks.
func setParamAxis(p *plot.Plot, par SweepParam) {
	if n := len(par.Choices); n > 0 {
		p.X.Min, p.X.Max = -0.5, float64(n)-0.5
		ticks := make(plot.ConstantTicks, n)
		for k, c := range par.Choices {
			ticks[k] = plot.Tick{Value: float64(k), Label: c}
		}
		p.X.Tick.Marker = ticks
		return
	}
	lo, hi := par.Low, par.High
	if par.Log {
		r := math.Pow(hi/lo, 0.04)
		if hi == lo {
			r = 1.1
		}
		p.X.Min, p.X.Max = lo/r, hi*r
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		if hi/lo < 10 { // LogTicks labels only powers of ten
			p.X.Tick.Marker = plot.DefaultTicks{}
		}
		p.X.Label.Text += " (log scale)"
		return
	}
	pad := 0.04 * (hi - lo)
	if pad == 0 {
		pad = 0.5
	}
	p.X.Min, p.X.Max = lo-pad, hi+pad
}

// jitter spreads points of one category by a fixed offset in [-0.15, 0.15)
// derived from the trial number, so charts are reproducible.
func jitter(n int) float64 {
	f := math.Mod(float64(n)*0.6180339887, 1)
	return (f - 0.5) * 0.3
}
