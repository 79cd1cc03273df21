package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Heights on the parallel-coordinates chart: every axis spans [0, 1]; an
// inactive parameter sits in a row below it.
const (
	inactiveRow = -0.12
	axisLabelPt = 8 // font size of the axes' value labels, in points
)

// Colors of the parallel-coordinates chart: complete trials on a ramp from
// rampWorst to rampBest by objective.
var (
	rampWorst   = color.RGBA{R: 205, G: 212, B: 220, A: 255}
	rampBest    = color.RGBA{R: 8, G: 48, B: 107, A: 255}
	axisColor   = color.Gray{Y: 40}
	pruneColor  = color.Gray{Y: 150}
	axisLabelFg = color.Gray{Y: 60}
)

// norm places value v of par on its axis: a numeric value linearly (in
// log space when par.Log) from Low at 0 to High at 1, clamped; a choice
// index spread evenly; a single value or choice at 0.5; NaN (inactive)
// in the inactive row.
func (par SweepParam) norm(v float64) float64 {
	if math.IsNaN(v) {
		return inactiveRow
	}
	if n := len(par.Choices); n > 0 {
		if n == 1 {
			return 0.5
		}
		return v / float64(n-1)
	}
	lo, hi, x := par.Low, par.High, v
	if par.Log {
		lo, hi, x = math.Log(lo), math.Log(hi), math.Log(math.Max(x, par.Low))
	}
	if hi == lo {
		return 0.5
	}
	return math.Min(1, math.Max(0, (x-lo)/(hi-lo)))
}

// labels are the value labels of par's axis.
func (par SweepParam) labels() (ys []float64, names []string) {
	if len(par.Choices) > 0 {
		for k, c := range par.Choices {
			ys, names = append(ys, par.norm(float64(k))), append(names, c)
		}
		return ys, names
	}
	if par.Low == par.High {
		return []float64{0.5}, []string{formatTick(par.Low)}
	}
	return []float64{0, 1}, []string{formatTick(par.Low), formatTick(par.High)}
}

func formatTick(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

// rampColor is the color of quality q in [0, 1] (1 best).
func rampColor(q float64) color.Color {
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + q*(float64(b)-float64(a)))) }
	return color.RGBA{R: mix(rampWorst.R, rampBest.R), G: mix(rampWorst.G, rampBest.G), B: mix(rampWorst.B, rampBest.B), A: 255}
}

// PlotSweepParallel draws a parallel-coordinates chart: one vertical axis
// per parameter of s (numeric ranges normalised to [0, 1], log ones in log
// space, choices spread evenly by index, labelled with their bounds or
// choice names, an inactive parameter in an "n/a" row below its axis) and
// a last axis for the objective (from its lowest to its highest value).
// Each complete trial with a finite value is a polyline colored from light
// grey-blue (worst) to dark blue (best), worst first; the best trial is
// drawn last, thick and green. Pruned trials are thin dashed grey lines up
// to their last active parameter (they have no objective); failed and
// running trials are not drawn. It writes a PNG of ChartWidth x
// ChartHeight to path. Errors: ErrNothingToPlot when no complete trial has
// a finite value, malformed data (see SweepData), or a failed write.
func PlotSweepParallel(path string, s SweepData) error {
	if err := s.check(); err != nil {
		return err
	}
	done := s.scored()
	if len(done) == 0 {
		return fmt.Errorf("parallel coordinates: %w", ErrNothingToPlot)
	}
	k := len(s.Params) // index of the objective's axis
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, t := range done {
		lo, hi = min(lo, t.Value), max(hi, t.Value)
	}
	objective := SweepParam{Name: s.Metric, Low: lo, High: hi}
	quality := func(v float64) float64 {
		q := objective.norm(v)
		if !s.Maximize && hi > lo {
			q = 1 - q
		}
		return q
	}

	p := plot.New()
	p.Title.Text = "Parallel coordinates of the trials"
	p.HideY()
	p.X.Min, p.X.Max = -0.3, float64(k)+0.6
	p.Y.Min = -0.05
	p.X.LineStyle.Width, p.X.Tick.Length = 0, 0
	ticks := make(plot.ConstantTicks, 0, k+1)
	for i, par := range s.Params {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: par.Name})
	}
	dir := "min"
	if s.Maximize {
		dir = "max"
	}
	ticks = append(ticks, plot.Tick{Value: float64(k), Label: fmt.Sprintf("%s (%s)", s.Metric, dir)})
	p.X.Tick.Marker = ticks
	if k+1 > 4 {
		p.X.Tick.Label.Rotation = 0.4
		p.X.Tick.Label.XAlign = text.XRight
		// A rotated label ends at its axis and reaches left: room for the
		// first one (about 1.2 axis widths for a name such as
		// "embedding.dim" at this width).
		p.X.Min = -1.5
	}

	inactive := make([]bool, k)
	polyline := func(t SweepTrial, withValue bool) plotter.XYs {
		var xys plotter.XYs
		for i, par := range s.Params {
			if math.IsNaN(t.Params[i]) {
				inactive[i] = true
			}
			xys = append(xys, plotter.XY{X: float64(i), Y: par.norm(t.Params[i])})
		}
		if withValue {
			return append(xys, plotter.XY{X: float64(k), Y: objective.norm(t.Value)})
		}
		for len(xys) > 1 && math.IsNaN(t.Params[len(xys)-1]) { // up to the last active parameter
			xys = xys[:len(xys)-1]
		}
		return xys
	}

	// Pruned trials underneath, dashed.
	var prunedLine *plotter.Line
	pruned := 0
	for _, t := range s.Trials {
		if t.Outcome != OutcomePruned || k == 0 {
			continue
		}
		line, err := plotter.NewLine(polyline(t, false))
		if err != nil {
			return fmt.Errorf("report: pruned trial %d: %w", t.Number, err)
		}
		line.Color, line.Width = pruneColor, vg.Points(0.6)
		line.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		p.Add(line)
		prunedLine, pruned = line, pruned+1
	}

	// Complete trials, worst first, the best last.
	order := slices.Clone(done)
	slices.SortStableFunc(order, func(a, b SweepTrial) int {
		switch {
		case s.better(b.Value, a.Value):
			return -1
		case s.better(a.Value, b.Value):
			return 1
		}
		return b.Number - a.Number // among equals, the lowest number is the best
	})
	var sample *plotter.Line
	entries := 1 // the best trial
	for j, t := range order {
		line, err := plotter.NewLine(polyline(t, true))
		if err != nil {
			return fmt.Errorf("report: trial %d: %w", t.Number, err)
		}
		line.Color, line.Width = rampColor(quality(t.Value)), vg.Points(1)
		if j == len(order)-1 {
			line.Color, line.Width = bestColor, vg.Points(2.5)
			p.Add(line)
			p.Legend.Add(fmt.Sprintf("best (trial %d)", t.Number), line)
			continue
		}
		p.Add(line)
		sample = line
	}
	if sample != nil {
		legendLine := *sample
		legendLine.Color = rampColor(0.6)
		p.Legend.Add(fmt.Sprintf("complete (%d), darker is better", len(done)), &legendLine)
		entries++
	}
	if prunedLine != nil {
		p.Legend.Add(fmt.Sprintf("pruned (%d)", pruned), prunedLine)
		entries++
	}
	compactLegend(p)
	p.Y.Max = 1 + 0.5*legendHeadroom(entries)

	if err := addAxes(p, s.Params, objective, inactive); err != nil {
		return err
	}
	return savePNG(p, path)
}

// addAxes draws the vertical axes and their value labels (right of each
// axis), and "n/a" in the inactive row of the parameters marked inactive.
func addAxes(p *plot.Plot, params []SweepParam, objective SweepParam, inactive []bool) error {
	axes := append(slices.Clone(params), objective)
	var labels plotter.XYLabels
	for i, par := range axes {
		line, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: 0}, {X: float64(i), Y: 1}})
		if err != nil {
			return fmt.Errorf("report: axis %q: %w", par.Name, err)
		}
		line.Color, line.Width = axisColor, vg.Points(1.2)
		p.Add(line)
		ys, names := par.labels()
		for j := range ys {
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(i), Y: ys[j]})
			labels.Labels = append(labels.Labels, names[j])
		}
		if i < len(inactive) && inactive[i] {
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(i), Y: inactiveRow})
			labels.Labels = append(labels.Labels, "n/a")
		}
	}
	if slices.Contains(inactive, true) {
		p.Y.Min = inactiveRow - 0.06
	}
	l, err := plotter.NewLabels(labels)
	if err != nil {
		return fmt.Errorf("report: axis labels: %w", err)
	}
	for j := range l.TextStyle {
		l.TextStyle[j].Font = font.From(plotter.DefaultFont, axisLabelPt)
		l.TextStyle[j].Color = axisLabelFg
		l.TextStyle[j].XAlign = text.XLeft
		l.TextStyle[j].YAlign = text.YCenter
	}
	l.Offset = vg.Point{X: vg.Points(3)}
	p.Add(l)
	return nil
}
