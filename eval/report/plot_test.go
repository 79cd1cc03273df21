package report

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/eval"
)

// 6 x 4 inches at 96 dots per inch.
const wantW, wantH = 576, 384

func assertPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Errorf("%s: %dx%d, want %dx%d", path, b.Dx(), b.Dy(), wantW, wantH)
	}
}

func rocCurve(t *testing.T, scores []float64, labels []bool) []eval.ROCPoint {
	t.Helper()
	pts, err := eval.ROC(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	return pts
}

func TestPlotROC(t *testing.T) {
	labels := []bool{true, false, true, false, false, true}
	model := rocCurve(t, []float64{0.9, 0.2, 0.7, 0.4, 0.1, 0.8}, labels)
	base := rocCurve(t, []float64{0.5, 0.6, 0.4, 0.3, 0.1, 0.7}, labels)
	path := filepath.Join(t.TempDir(), "sub", "roc.png")
	if err := PlotROC(path, []NamedCurve{{"model", model}, {"naive Bayes", base}}); err != nil {
		t.Fatal(err)
	}
	assertPNG(t, path)
}

func TestPlotROCErrors(t *testing.T) {
	dir := t.TempDir()
	good := []eval.ROCPoint{{FPR: 0, TPR: 0}, {FPR: 1, TPR: 1}}
	cases := map[string]struct {
		path   string
		curves []NamedCurve
	}{
		"no curves":    {filepath.Join(dir, "a.png"), nil},
		"one point":    {filepath.Join(dir, "b.png"), []NamedCurve{{"x", good[:1]}}},
		"nan":          {filepath.Join(dir, "c.png"), []NamedCurve{{"x", []eval.ROCPoint{{FPR: math.NaN()}, {FPR: 1, TPR: 1}}}}},
		"not png name": {filepath.Join(dir, "d.svg"), []NamedCurve{{"x", good}}},
	}
	for name, c := range cases {
		if err := PlotROC(c.path, c.curves); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestPlotBlockScores(t *testing.T) {
	scores := make([]float64, 100)
	labels := make([]bool, 100)
	for i := range scores {
		scores[i] = math.Sin(float64(i) / 7)
		labels[i] = (i >= 40 && i < 47) || i == 90
	}
	dir := t.TempDir()
	for name, th := range map[string]float64{"with.png": 0.5, "without.png": math.NaN()} {
		path := filepath.Join(dir, name)
		if err := PlotBlockScores(path, "User3", scores, labels, th); err != nil {
			t.Fatal(err)
		}
		assertPNG(t, path)
	}
	// A constant series with no masquerade blocks must still render.
	path := filepath.Join(dir, "flat.png")
	if err := PlotBlockScores(path, "u", []float64{2, 2, 2}, []bool{false, false, false}, 2); err != nil {
		t.Fatal(err)
	}
	assertPNG(t, path)
}

func TestPlotBlockScoresErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.png")
	if err := PlotBlockScores(p, "u", nil, nil, 0); err == nil {
		t.Error("no scores: no error")
	}
	if err := PlotBlockScores(p, "u", []float64{1, 2}, []bool{true}, 0); err == nil {
		t.Error("length mismatch: no error")
	}
	if err := PlotBlockScores(p, "u", []float64{1, math.NaN()}, []bool{true, false}, 0); err == nil {
		t.Error("NaN score: no error")
	}
	if err := PlotBlockScores(p, "u", []float64{1, 2}, []bool{true, false}, math.Inf(1)); err == nil {
		t.Error("infinite threshold: no error")
	}
}

func TestPlotLossCurves(t *testing.T) {
	dir := t.TempDir()
	series := map[string][]float64{
		"train":      {1.2, 0.8, 0.6, 0.5, 0.45},
		"validation": {1.3, 0.9, math.Inf(1), 0.62, 0.6},
	}
	path := filepath.Join(dir, "loss.png")
	if err := PlotLossCurves(path, series); err != nil {
		t.Fatal(err)
	}
	assertPNG(t, path)

	many := map[string][]float64{}
	for u := range 20 {
		curve := make([]float64, 60)
		for e := range curve {
			curve[e] = 1/float64(e+1) + float64(u)/100
		}
		many[strings.Repeat("u", u+1)] = curve
	}
	path = filepath.Join(dir, "many.png")
	if err := PlotLossCurves(path, many); err != nil {
		t.Fatal(err)
	}
	assertPNG(t, path)

	if err := PlotLossCurves(filepath.Join(dir, "e.png"), nil); err == nil {
		t.Error("no series: no error")
	}
	if err := PlotLossCurves(filepath.Join(dir, "f.png"), map[string][]float64{"x": {math.NaN()}}); err == nil {
		t.Error("no finite values: no error")
	}
}

func TestPlotScoreGroups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "groups.png")
	groups := []ScoreGroup{{"normal", []float64{0.1, 0.2, 0.3, math.NaN()}}, {"Adduser", []float64{0.5, 0.9}}}
	if err := PlotScoreGroups(path, "Trace scores", "score", groups); err != nil {
		t.Fatal(err)
	}
	assertPNG(t, path)
	if err := PlotScoreGroups(path, "x", "y", []ScoreGroup{{"empty", []float64{math.Inf(1)}}}); err == nil {
		t.Fatal("a group without finite scores plotted")
	}
}
