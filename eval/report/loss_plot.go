package report

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// MaxLegendSeries is the most loss series that get a legend; above it the
// lines are drawn unlabelled, as when many users are overlaid.
const MaxLegendSeries = 12

// maxMarkedEpochs is the most epochs per series drawn with a marker on each.
const maxMarkedEpochs = 40

// PlotLossCurves draws each series of series (name -> loss per epoch, epoch 1
// first) as a line, in name order, and writes a PNG of ChartWidth x
// ChartHeight to path. Non-finite losses (a diverged epoch) are left out of
// their line. Errors: no series, a series without finite values, or a failed
// write.
func PlotLossCurves(path string, series map[string][]float64) error {
	if len(series) == 0 {
		return fmt.Errorf("report: no loss series to plot")
	}
	names := make([]string, 0, len(series))
	for name := range series {
		names = append(names, name)
	}
	slices.Sort(names)

	p := plot.New()
	p.Title.Text = "Loss per epoch"
	p.X.Label.Text = "Epoch"
	p.Y.Label.Text = "Loss"
	p.Add(plotter.NewGrid())
	for i, name := range names {
		var xys plotter.XYs
		for e, v := range series[name] {
			if finite(v) {
				xys = append(xys, plotter.XY{X: float64(e + 1), Y: v})
			}
		}
		if len(xys) == 0 {
			return fmt.Errorf("report: loss series %q has no finite values", name)
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("report: loss series %q: %w", name, err)
		}
		line.Color = seriesColor(i)
		line.Dashes = seriesDashes(i)
		line.Width = vg.Points(1.5)
		p.Add(line)
		thumbs := []plot.Thumbnailer{line}
		if len(xys) <= maxMarkedEpochs {
			points, err := plotter.NewScatter(xys)
			if err != nil {
				return fmt.Errorf("report: loss series %q: %w", name, err)
			}
			points.Color = seriesColor(i)
			points.Radius = vg.Points(1.5)
			p.Add(points)
			thumbs = append(thumbs, points)
		}
		if len(names) <= MaxLegendSeries {
			p.Legend.Add(name, thumbs...)
		}
	}
	p.Legend.Top = true
	return savePNG(p, path)
}
