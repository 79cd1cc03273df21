package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// PlotSweepIntermediate draws every trial's intermediate values (the
// figure the pruner judged, yLabel, per step) as a line ending in its
// outcome's mark: complete trials as thin translucent blue lines, pruned
// ones dashed vermilion ending in a cross where they were stopped, failed
// and running ones dotted grey, and the best complete trial (in s's
// direction) thick green on top; it writes a PNG of ChartWidth x
// ChartHeight to path. Non-finite values are left out. Errors:
// ErrNothingToPlot when no trial has a finite intermediate value,
// malformed data (see SweepData), or a failed write.
func PlotSweepIntermediate(path, yLabel string, s SweepData) error {
	if err := s.check(); err != nil {
		return err
	}
	bestNumber := -1
	if done := s.scored(); len(done) > 0 {
		bestNumber = done[s.best(done)].Number
	}
	type curve struct {
		t   SweepTrial
		xys plotter.XYs
	}
	var curves []curve
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, t := range s.Trials {
		steps := make([]int, 0, len(t.Intermediate))
		for st := range t.Intermediate {
			steps = append(steps, st)
		}
		slices.Sort(steps)
		var xys plotter.XYs
		for _, st := range steps {
			if v := t.Intermediate[st]; finite(v) {
				xys = append(xys, plotter.XY{X: float64(st), Y: v})
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if len(xys) > 0 {
			curves = append(curves, curve{t, xys})
		}
	}
	if len(curves) == 0 {
		return fmt.Errorf("intermediate values: %w", ErrNothingToPlot)
	}
	// Drawing order: failed and running underneath, then complete, then
	// pruned, the best trial last.
	layer := func(c curve) int {
		switch {
		case c.t.Number == bestNumber && c.t.Outcome == OutcomeComplete:
			return 3
		case c.t.Outcome == OutcomePruned:
			return 2
		case c.t.Outcome == OutcomeComplete:
			return 1
		}
		return 0
	}
	slices.SortStableFunc(curves, func(a, b curve) int { return layer(a) - layer(b) })
	entries := map[int]bool{}
	for _, c := range curves {
		entries[layer(c)] = true
	}

	p := plot.New()
	p.Title.Text = "Pruning figure per epoch, every trial"
	p.X.Label.Text = "Epoch"
	p.Y.Label.Text = yLabel
	p.X.Tick.Marker = intTicks{}
	span := hi - lo
	if span == 0 {
		span = math.Max(math.Abs(hi)*0.1, 1e-3)
	}
	// Headroom at the top keeps the legend clear of the curves.
	p.Y.Min, p.Y.Max = lo-0.05*span, hi+legendHeadroom(len(entries))*span
	p.Add(plotter.NewGrid())
	legend := map[string]bool{}
	for _, c := range curves {
		line, err := plotter.NewLine(c.xys)
		if err != nil {
			return fmt.Errorf("report: trial %d intermediate values: %w", c.t.Number, err)
		}
		end, err := plotter.NewScatter(c.xys[len(c.xys)-1:])
		if err != nil {
			return fmt.Errorf("report: trial %d intermediate values: %w", c.t.Number, err)
		}
		end.GlyphStyle = outcomeGlyph(c.t.Outcome)
		line.Width = vg.Points(1)
		label := outcomeNames[c.t.Outcome]
		switch layer(c) {
		case 3:
			line.Color, line.Width = bestColor, vg.Points(2.5)
			end.GlyphStyle.Color = bestColor
			label = fmt.Sprintf("best (trial %d)", c.t.Number)
		case 2:
			line.Color = prunedColor
			line.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
			label = "pruned (\u00d7 where stopped)"
		case 1:
			line.Color = color.NRGBA{R: 0, G: 114, B: 178, A: 140}
		default:
			line.Color = end.GlyphStyle.Color
			line.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
		}
		p.Add(line, end)
		if !legend[label] {
			legend[label] = true
			p.Legend.Add(label, line, end)
		}
	}
	compactLegend(p)
	return savePNG(p, path)
}
