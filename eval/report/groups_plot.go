package report

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// ScoreGroup is a named set of scores, e.g. the normal test traces or one
// attack family.
type ScoreGroup struct {
	Name   string
	Scores []float64
}

// PlotScoreGroups draws one box plot per group (median, quartiles,
// whiskers at 1.5 IQR, outliers as points), side by side in order, and
// writes a PNG of ChartWidth x ChartHeight to path. Non-finite scores are
// left out. Errors: no groups, a group without finite scores, or a failed
// write.
func PlotScoreGroups(path, title, yLabel string, groups []ScoreGroup) error {
	if len(groups) == 0 {
		return fmt.Errorf("report: no score groups to plot")
	}
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = yLabel
	p.Add(plotter.NewGrid())
	var names []string
	for i, g := range groups {
		var vals plotter.Values
		for _, s := range g.Scores {
			if finite(s) {
				vals = append(vals, s)
			}
		}
		if len(vals) == 0 {
			return fmt.Errorf("report: score group %q has no finite scores", g.Name)
		}
		box, err := plotter.NewBoxPlot(vg.Points(20), float64(i), vals)
		if err != nil {
			return fmt.Errorf("report: score group %q: %w", g.Name, err)
		}
		box.FillColor = seriesColor(i)
		p.Add(box)
		names = append(names, fmt.Sprintf("%s (%d)", g.Name, len(vals)))
	}
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = 0.5
	p.X.Tick.Label.XAlign = -0.9
	return savePNG(p, path)
}
