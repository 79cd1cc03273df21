package report

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Chart size of every PNG: 6 x 4 inches at the plot package's default
// 96 dots per inch, i.e. 576 x 384 pixels.
const (
	ChartWidth  = 6 * vg.Inch
	ChartHeight = 4 * vg.Inch
)

// savePNG writes p to path, creating its directory. Errors: path does not end
// in ".png" (any case), or the directory or file cannot be written.
func savePNG(p *plot.Plot, path string) error {
	if !strings.EqualFold(filepath.Ext(path), ".png") {
		return fmt.Errorf("report: chart path %q does not end in .png", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("report: chart directory: %w", err)
	}
	if err := p.Save(ChartWidth, ChartHeight, path); err != nil {
		return fmt.Errorf("report: save %s: %w", path, err)
	}
	return nil
}

// palette is the Okabe-Ito set of colors, distinguishable with the common
// forms of color blindness (yellow left out: too pale on white).
var palette = []color.Color{
	color.RGBA{R: 0, G: 114, B: 178, A: 255},   // blue
	color.RGBA{R: 213, G: 94, B: 0, A: 255},    // vermilion
	color.RGBA{R: 0, G: 158, B: 115, A: 255},   // bluish green
	color.RGBA{R: 204, G: 121, B: 167, A: 255}, // reddish purple
	color.RGBA{R: 230, G: 159, B: 0, A: 255},   // orange
	color.RGBA{R: 86, G: 180, B: 233, A: 255},  // sky blue
	color.RGBA{R: 0, G: 0, B: 0, A: 255},       // black
}

// seriesColor returns the i-th series color; colors repeat after
// len(palette) series.
func seriesColor(i int) color.Color { return palette[i%len(palette)] }

// seriesDashes returns solid lines for the first pass through the palette and
// a new dash pattern for each later pass, so repeated colors stay apart.
func seriesDashes(i int) []vg.Length { return plotutil.Dashes(i / len(palette)) }

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
