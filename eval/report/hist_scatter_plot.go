package report

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlotHistograms draws each group's scores as a step line of the share of
// its finite scores in each of bins equal bins over the range of all
// groups, so groups of very different sizes compare, and writes a PNG of
// ChartWidth x ChartHeight to path. Errors: no groups, bins < 1, a group
// without finite scores, or a failed write.
func PlotHistograms(path, title, xLabel string, groups []ScoreGroup, bins int) error {
	if len(groups) == 0 || bins < 1 {
		return fmt.Errorf("report: %d histogram groups and %d bins, need both", len(groups), bins)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, g := range groups {
		n := 0
		for _, s := range g.Scores {
			if finite(s) {
				lo, hi, n = min(lo, s), max(hi, s), n+1
			}
		}
		if n == 0 {
			return fmt.Errorf("report: histogram group %q has no finite scores", g.Name)
		}
	}
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
	}
	width := (hi - lo) / float64(bins)
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = "Share of the group"
	p.Add(plotter.NewGrid())
	for i, g := range groups {
		counts := make([]float64, bins)
		n := 0.0
		for _, s := range g.Scores {
			if finite(s) {
				counts[min(int((s-lo)/width), bins-1)]++
				n++
			}
		}
		xys := plotter.XYs{{X: lo, Y: 0}}
		for b, c := range counts {
			x0 := lo + float64(b)*width
			xys = append(xys, plotter.XY{X: x0, Y: c / n}, plotter.XY{X: x0 + width, Y: c / n})
		}
		xys = append(xys, plotter.XY{X: hi, Y: 0})
		line, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("report: histogram group %q: %w", g.Name, err)
		}
		line.Color = seriesColor(i)
		line.Width = vg.Points(1.5)
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("%s (%d)", g.Name, int(n)), line)
	}
	p.Legend.Top = true
	return savePNG(p, path)
}

// PointGroup is a named set of 2-D points drawn in one colour; a Muted
// group is drawn light grey, under the others.
type PointGroup struct {
	Name  string
	X, Y  []float64
	Muted bool
}

// PlotScatter draws the groups' points, each group in the next series
// colour as filled dots (muted ones as grey rings, underneath), with a
// legend in group order, and writes a PNG of ChartWidth
// x ChartHeight to path. Non-finite points are left out. Errors: no
// groups, a group whose X and Y differ in length, or a failed write.
func PlotScatter(path, title, xLabel, yLabel string, groups []PointGroup) error {
	if len(groups) == 0 {
		return fmt.Errorf("report: no point groups to plot")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Add(plotter.NewGrid())
	colours := make([]color.Color, len(groups))
	k := 0
	for i, g := range groups {
		if len(g.X) != len(g.Y) {
			return fmt.Errorf("report: point group %q has %d x and %d y values", g.Name, len(g.X), len(g.Y))
		}
		if g.Muted {
			colours[i] = color.Gray{Y: 190}
		} else {
			colours[i] = seriesColor(k)
			k++
		}
	}
	legend := make([]*plotter.Scatter, len(groups))
	for _, muted := range []bool{true, false} { // muted groups underneath
		for i, g := range groups {
			if g.Muted != muted {
				continue
			}
			var xys plotter.XYs
			for j := range g.X {
				if finite(g.X[j]) && finite(g.Y[j]) {
					xys = append(xys, plotter.XY{X: g.X[j], Y: g.Y[j]})
				}
			}
			if len(xys) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return fmt.Errorf("report: point group %q: %w", g.Name, err)
			}
			sc.Color = colours[i]
			sc.Radius = vg.Points(1.5)
			if !g.Muted {
				sc.Shape = draw.CircleGlyph{}
			}
			p.Add(sc)
			legend[i] = sc
		}
	}
	for i, sc := range legend {
		if sc != nil {
			p.Legend.Add(fmt.Sprintf("%s (%d)", groups[i].Name, len(sc.XYs)), sc)
		}
	}
	p.Legend.Top = true
	return savePNG(p, path)
}
