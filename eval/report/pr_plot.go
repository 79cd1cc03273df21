package report

import (
	"fmt"
	"image/color"
	"math"

	"github.com/vigil-ml/vigil/eval"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// NamedPRCurve is a precision-recall curve labelled for a chart legend.
// Points are ordered by non-decreasing recall, as eval.PRCurve returns
// them; only their Precision and Recall are drawn, so a MinScore or
// Threshold of ±Inf is fine. Operating, when not nil, is the point of the
// chosen threshold, marked on the curve.
type NamedPRCurve struct {
	Name      string
	Points    []eval.PRPoint
	Operating *eval.PRPoint
}

// operatingRing outlines every operating-point marker, so they read as one
// kind of mark whatever the curve's colour.
var operatingRing = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(4.5), Shape: draw.RingGlyph{}}

// PlotPR draws precision against recall, both axes [0, 1], one step line
// per curve in order (legend entries up to MaxLegendSeries curves, the name
// as given: put the average precision in it), and writes a PNG of
// ChartWidth x ChartHeight to path.
//
// The steps follow average precision, Σ (R_n − R_{n−1}) P_n: each point's
// precision is drawn over the recall interval that ends at it, so the area
// under the steps is the curve's AP, as in scikit-learn's
// PrecisionRecallDisplay; the (Recall 0, Precision 1) point that
// eval.PRCurve puts first only starts the line. A curve's Operating point
// is drawn as a dot in its colour ringed in black. When baseline > 0 it is
// drawn as a dashed horizontal line, the precision of a no-skill detector
// (the positive rate).
//
// Errors: ErrNothingToPlot (wrapped) for no curves or a curve without
// points; a precision or recall (of a point or an operating point) that is
// NaN or outside [0, 1]; recall decreasing along a curve; baseline NaN or
// above 1; a failed write. No file is written on error.
func PlotPR(path string, curves []NamedPRCurve, baseline float64) error {
	if len(curves) == 0 {
		return fmt.Errorf("precision-recall curves: %w", ErrNothingToPlot)
	}
	if math.IsNaN(baseline) || baseline > 1 {
		return fmt.Errorf("report: PR baseline %v is not a rate in [0, 1]", baseline)
	}
	for _, c := range curves {
		if err := checkPRCurve(c); err != nil {
			return err
		}
	}

	p := plot.New()
	p.Title.Text = "Precision-recall curve"
	p.X.Label.Text = "Recall"
	p.Y.Label.Text = "Precision"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(plotter.NewGrid())

	var segs []segment // what the legend should not cover
	var base *plotter.Line
	if baseline > 0 {
		var err error
		base, err = plotter.NewLine(plotter.XYs{{X: 0, Y: baseline}, {X: 1, Y: baseline}})
		if err != nil {
			return fmt.Errorf("report: PR baseline: %w", err)
		}
		base.Color = color.Gray{Y: 150}
		base.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(base)
		segs = append(segs, segment{0, baseline, 1, baseline})
	}

	labelled := len(curves) <= MaxLegendSeries
	var marks []plot.Plotter
	for i, c := range curves {
		xys := make(plotter.XYs, len(c.Points))
		for j, pt := range c.Points {
			xys[j] = plotter.XY{X: pt.Recall, Y: pt.Precision}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("report: PR curve %q: %w", c.Name, err)
		}
		line.StepStyle = plotter.PreStep
		segs = append(segs, stepSegments(xys)...)
		line.Color = seriesColor(i)
		line.Dashes = seriesDashes(i)
		line.Width = vg.Points(1.5)
		p.Add(line)
		if labelled {
			p.Legend.Add(c.Name, line)
		}
		if c.Operating != nil {
			xy := plotter.XYs{{X: c.Operating.Recall, Y: c.Operating.Precision}}
			dot, err := plotter.NewScatter(xy)
			if err != nil {
				return fmt.Errorf("report: PR curve %q operating point: %w", c.Name, err)
			}
			dot.GlyphStyle = draw.GlyphStyle{Color: seriesColor(i), Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
			ring, err := plotter.NewScatter(xy)
			if err != nil {
				return fmt.Errorf("report: PR curve %q operating point: %w", c.Name, err)
			}
			ring.GlyphStyle = operatingRing
			marks = append(marks, dot, ring)
			segs = append(segs, stepSegments(xy)...)
		}
	}
	p.Add(marks...) // on top of every line
	if len(marks) > 0 {
		ring, err := plotter.NewScatter(plotter.XYs{{}})
		if err != nil {
			return fmt.Errorf("report: PR operating point legend: %w", err)
		}
		ring.GlyphStyle = operatingRing
		p.Legend.Add("operating point", ring)
	}
	if base != nil {
		p.Legend.Add(fmt.Sprintf("no skill (positive rate %.3g)", baseline), base)
	}
	compactLegend(p)
	placeLegend(p, segs, baseline)
	return savePNG(p, path)
}

// checkPRCurve reports a curve without points, a precision or recall that
// is NaN or outside [0, 1], and recall decreasing along the curve.
func checkPRCurve(c NamedPRCurve) error {
	if len(c.Points) == 0 {
		return fmt.Errorf("PR curve %q has no points: %w", c.Name, ErrNothingToPlot)
	}
	for j, pt := range c.Points {
		if !isRate(pt.Precision) || !isRate(pt.Recall) {
			return fmt.Errorf("report: PR curve %q point %d has precision %v and recall %v, want both in [0, 1]",
				c.Name, j, pt.Precision, pt.Recall)
		}
		if j > 0 && pt.Recall < c.Points[j-1].Recall {
			return fmt.Errorf("report: PR curve %q recall falls from %v to %v at point %d; order points by non-decreasing recall, as eval.PRCurve does",
				c.Name, c.Points[j-1].Recall, pt.Recall, j)
		}
	}
	if o := c.Operating; o != nil && (!isRate(o.Precision) || !isRate(o.Recall)) {
		return fmt.Errorf("report: PR curve %q operating point has precision %v and recall %v, want both in [0, 1] (nil for none)",
			c.Name, o.Precision, o.Recall)
	}
	return nil
}

// isRate reports whether x is in [0, 1] (NaN is not).
func isRate(x float64) bool { return x >= 0 && x <= 1 }

// segment is an axis-parallel line segment, or a point, in data units:
// what a legend should not cover.
type segment struct{ x0, y0, x1, y1 float64 }

// stepSegments returns the segments of xys drawn with plotter.PreStep:
// from each point up or down to the next one's y, then across to it.
func stepSegments(xys plotter.XYs) []segment {
	if len(xys) == 1 {
		return []segment{{xys[0].X, xys[0].Y, xys[0].X, xys[0].Y}}
	}
	var out []segment
	for j := 1; j < len(xys); j++ {
		a, b := xys[j-1], xys[j]
		out = append(out, segment{a.X, a.Y, a.X, b.Y}, segment{a.X, b.Y, b.X, b.Y})
	}
	return out
}

// placeLegend puts p's legend in the first of these spots that covers the
// least of segs: bottom left (6 points up, or just above a horizontal
// line at clearOf when the legend does not fit below it), top right,
// bottom right, top left. Coverage is the length of segments inside the
// legend's box plus a margin, in axis ranges, a point counting 0.1. p's
// axis ranges, plotters and legend entries must all be set; the data area
// is measured on a dry canvas of the chart's size.
func placeLegend(p *plot.Plot, segs []segment, clearOf float64) {
	gap := vg.Points(6)
	data := p.DataCanvas(draw.New(vgimg.New(ChartWidth, ChartHeight)))
	w, h := data.Max.X-data.Min.X, data.Max.Y-data.Min.Y
	box := p.Legend.Rectangle(data).Size()
	type spot struct {
		top, left    bool
		xOffs, yOffs vg.Length
	}
	spots := []spot{{left: true, xOffs: gap, yOffs: gap}}
	if clearOf > p.Y.Min && clearOf < p.Y.Max {
		line := h * vg.Length(p.Y.Norm(clearOf))
		if line < gap+box.Y+gap && line+gap+box.Y <= h {
			spots[0].yOffs = line + gap
		}
	}
	spots = append(spots,
		spot{top: true, xOffs: -gap, yOffs: -gap},
		spot{xOffs: -gap, yOffs: gap},
		spot{top: true, left: true, xOffs: gap, yOffs: -gap})

	// dataX and dataY map a length from the data area's lower left corner
	// to data units (linear axes).
	dataX := func(l vg.Length) float64 { return p.X.Min + float64(l/w)*(p.X.Max-p.X.Min) }
	dataY := func(l vg.Length) float64 { return p.Y.Min + float64(l/h)*(p.Y.Max-p.Y.Min) }
	margin := vg.Points(3)
	best, bestCost := spots[0], math.Inf(1)
	for _, sp := range spots {
		x0, y0 := sp.xOffs, sp.yOffs
		if !sp.left {
			x0 += w - box.X
		}
		if sp.top {
			y0 += h - box.Y
		}
		bx0, bx1 := dataX(x0-margin), dataX(x0+box.X+margin)
		by0, by1 := dataY(y0-margin), dataY(y0+box.Y+margin)
		cost := 0.0
		for _, sg := range segs {
			xlo, xhi := max(min(sg.x0, sg.x1), bx0), min(max(sg.x0, sg.x1), bx1)
			ylo, yhi := max(min(sg.y0, sg.y1), by0), min(max(sg.y0, sg.y1), by1)
			if xlo > xhi || ylo > yhi {
				continue
			}
			switch {
			case sg.x0 == sg.x1 && sg.y0 == sg.y1:
				cost += 0.1
			case sg.y0 == sg.y1:
				cost += (xhi - xlo) / (p.X.Max - p.X.Min)
			default:
				cost += (yhi - ylo) / (p.Y.Max - p.Y.Min)
			}
		}
		if cost < bestCost {
			best, bestCost = sp, cost
		}
	}
	p.Legend.Top, p.Legend.Left = best.top, best.left
	p.Legend.XOffs, p.Legend.YOffs = best.xOffs, best.yOffs
}
