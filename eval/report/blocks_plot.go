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

// Colors of the block-score chart.
var (
	bandColor      = color.RGBA{R: 255, G: 205, B: 205, A: 255}
	scoreColor     = color.RGBA{R: 30, G: 80, B: 160, A: 255}
	thresholdColor = color.RGBA{R: 200, G: 30, B: 30, A: 255}
)

// PlotBlockScores draws one user's score per test block against the block's
// position in the test sequence (blocks numbered from 1), titled with user as
// given; it shades masquerade blocks (labels true) as light red bands, draws
// threshold as a dashed horizontal line (NaN: no line), and writes a PNG of
// ChartWidth x ChartHeight to path. Errors: no scores, len(labels) !=
// len(scores), a non-finite score, an infinite threshold, or a failed write.
func PlotBlockScores(path, user string, scores []float64, labels []bool, threshold float64) error {
	if len(scores) == 0 {
		return fmt.Errorf("report: user %q has no block scores", user)
	}
	if len(labels) != len(scores) {
		return fmt.Errorf("report: user %q has %d scores but %d labels", user, len(scores), len(labels))
	}
	if math.IsInf(threshold, 0) {
		return fmt.Errorf("report: user %q threshold is %v", user, threshold)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	xys := make(plotter.XYs, len(scores))
	for i, s := range scores {
		if !finite(s) {
			return fmt.Errorf("report: user %q block %d score is %v", user, i+1, s)
		}
		lo, hi = min(lo, s), max(hi, s)
		xys[i] = plotter.XY{X: float64(i + 1), Y: s}
	}
	hasThreshold := !math.IsNaN(threshold)
	if hasThreshold {
		lo, hi = min(lo, threshold), max(hi, threshold)
	}
	span := hi - lo
	if span == 0 {
		span = 1
	}
	// Headroom at the top keeps the legend clear of the data.
	lo, hi = lo-0.05*span, hi+0.35*span

	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: anomaly score per test block", user)
	p.X.Label.Text = "Test block"
	p.Y.Label.Text = "Score"
	p.X.Min, p.X.Max = 0.5, float64(len(scores))+0.5
	p.Y.Min, p.Y.Max = lo, hi

	band, err := addBands(p, labels, lo, hi)
	if err != nil {
		return fmt.Errorf("report: user %q bands: %w", user, err)
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return fmt.Errorf("report: user %q scores: %w", user, err)
	}
	line.Color = scoreColor
	points.Color = scoreColor
	points.Shape = draw.CircleGlyph{}
	points.Radius = vg.Points(1.5)
	p.Add(line, points)
	p.Legend.Add("score", line, points)

	if hasThreshold {
		th, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: threshold}, {X: p.X.Max, Y: threshold}})
		if err != nil {
			return fmt.Errorf("report: user %q threshold: %w", user, err)
		}
		th.Color = thresholdColor
		th.Width = vg.Points(1.2)
		th.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		p.Add(th)
		p.Legend.Add("threshold", th)
	}
	if band != nil {
		p.Legend.Add("masquerade block", band)
	}
	p.Legend.Top = true
	return savePNG(p, path)
}

// addBands adds one shaded rectangle per run of consecutive true labels,
// spanning y from lo to hi, and returns the last one for the legend (nil when
// no label is true).
func addBands(p *plot.Plot, labels []bool, lo, hi float64) (*plotter.Polygon, error) {
	var last *plotter.Polygon
	for i := 0; i < len(labels); {
		if !labels[i] {
			i++
			continue
		}
		j := i
		for j < len(labels) && labels[j] {
			j++
		}
		// Blocks i..j-1 (0-based) sit at x = i+1..j; each is one unit wide.
		x0, x1 := float64(i)+0.5, float64(j)+0.5
		poly, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: lo}, {X: x1, Y: lo}, {X: x1, Y: hi}, {X: x0, Y: hi}})
		if err != nil {
			return nil, err
		}
		poly.Color = bandColor
		poly.LineStyle.Width = 0
		p.Add(poly)
		last = poly
		i = j
	}
	return last, nil
}
