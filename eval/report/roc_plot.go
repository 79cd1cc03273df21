package report

import (
	"fmt"
	"image/color"

	"github.com/vigil-ml/vigil/eval"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// NamedCurve is a ROC curve labelled for a chart legend.
type NamedCurve struct {
	Name   string
	Points []eval.ROCPoint
}

// PlotROC draws curves (in order, each labelled with its trapezoid AUC) and
// the chance diagonal on a linear false-alarm axis, and writes a PNG of
// ChartWidth x ChartHeight to path. Errors: no curves, a curve with fewer
// than two points or a non-finite rate, or a failed write.
func PlotROC(path string, curves []NamedCurve) error {
	if len(curves) == 0 {
		return fmt.Errorf("report: no ROC curves to plot")
	}
	p := plot.New()
	p.Title.Text = "ROC curve"
	p.X.Label.Text = "False-alarm rate"
	p.Y.Label.Text = "Hit rate"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(plotter.NewGrid())

	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return fmt.Errorf("report: ROC diagonal: %w", err)
	}
	diag.Color = color.Gray{Y: 150}
	diag.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(diag)

	for i, c := range curves {
		if len(c.Points) < 2 {
			return fmt.Errorf("report: ROC curve %q has %d points, want >= 2", c.Name, len(c.Points))
		}
		xys := make(plotter.XYs, len(c.Points))
		for j, pt := range c.Points {
			if !finite(pt.FPR) || !finite(pt.TPR) {
				return fmt.Errorf("report: ROC curve %q point %d is not finite", c.Name, j)
			}
			xys[j] = plotter.XY{X: pt.FPR, Y: pt.TPR}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("report: ROC curve %q: %w", c.Name, err)
		}
		line.Color = seriesColor(i)
		line.Width = vg.Points(1.5)
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("%s (AUC %.3f)", c.Name, eval.AUCFromROC(c.Points)), line)
	}
	p.Legend.Add("chance", diag)
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(6)
	p.Legend.YOffs = vg.Points(6)
	return savePNG(p, path)
}
