package report

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Interval is one row of a forest plot: an estimate Point with its
// interval [Lo, Hi], e.g. a bootstrap confidence interval.
type Interval struct {
	Label         string
	Point, Lo, Hi float64
}

// intervalRows are the rows of a forest plot as plotter data: row i of n
// at y = n-1-i, so the first row is on top.
type intervalRows []Interval

func (r intervalRows) Len() int { return len(r) }
func (r intervalRows) XY(i int) (float64, float64) {
	return r[i].Point, float64(len(r) - 1 - i)
}
func (r intervalRows) XError(i int) (float64, float64) {
	return r[i].Point - r[i].Lo, r[i].Hi - r[i].Point
}

// maxFullSizeRows is the most forest-plot rows labelled in the full tick
// font; more rows get a proportionally smaller one.
const maxFullSizeRows = 14

// PlotIntervals draws a forest plot: one row per interval, top to bottom in
// the order given, labelled on the y axis, with a dot at Point and a
// horizontal bar with caps from Lo to Hi, and writes a PNG of ChartWidth x
// ChartHeight to path. The x axis spans the intervals with a small margin;
// above 14 rows the labels get a proportionally smaller font (5 points at
// least).
// Errors: ErrNothingToPlot (wrapped) for no rows; a Point, Lo or Hi that is
// not finite; Lo > Point or Point > Hi; a failed write. No file is written
// on error.
func PlotIntervals(path, title, xLabel string, rows []Interval) error {
	if len(rows) == 0 {
		return fmt.Errorf("intervals: %w", ErrNothingToPlot)
	}
	lo, hi := rows[0].Lo, rows[0].Hi
	for i, r := range rows {
		if !finite(r.Point) || !finite(r.Lo) || !finite(r.Hi) {
			return fmt.Errorf("report: interval %d %q is %v [%v, %v], want finite values", i, r.Label, r.Point, r.Lo, r.Hi)
		}
		if r.Lo > r.Point || r.Point > r.Hi {
			return fmt.Errorf("report: interval %d %q is %v [%v, %v], want Lo <= Point <= Hi", i, r.Label, r.Point, r.Lo, r.Hi)
		}
		lo, hi = min(lo, r.Lo), max(hi, r.Hi)
	}
	pad := 0.05 * (hi - lo)
	if pad == 0 {
		pad = max(0.1*max(-lo, hi), 0.1)
	}
	n := len(rows)

	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	ticks := make(plot.ConstantTicks, n)
	for i, r := range rows {
		// The leading space keeps the longest label off the image's edge,
		// which the axis otherwise sets it against.
		ticks[i] = plot.Tick{Value: float64(n - 1 - i), Label: " " + r.Label}
	}
	p.Y.Tick.Marker = ticks
	if n > maxFullSizeRows {
		size := p.Y.Tick.Label.Font.Size * vg.Length(maxFullSizeRows) / vg.Length(n)
		p.Y.Tick.Label.Font.Size = max(size, vg.Points(5))
	}
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil // each row is its own bar
	p.Add(grid)

	bars, err := plotter.NewXErrorBars(intervalRows(rows))
	if err != nil {
		return fmt.Errorf("report: intervals: %w", err)
	}
	bars.Color = seriesColor(0)
	bars.Width = vg.Points(1.5)
	bars.CapWidth = vg.Points(6)
	dots, err := plotter.NewScatter(intervalRows(rows))
	if err != nil {
		return fmt.Errorf("report: intervals: %w", err)
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: seriesColor(0), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	p.Add(bars, dots)
	return savePNG(p, path)
}
