package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/eval"
)

func f(x float64) *float64 { return &x }

func sampleReport() Report {
	model := eval.SEAResult{
		AUC: 0.91234, Positives: 231, Negatives: 4769,
		Pooled: []eval.TargetResult{
			{TargetFA: 0.01, HitRate: 0.7, FalseAlarmRate: 0.0098, Cost: 30 + 5.88, Threshold: f(1.5)},
			{TargetFA: 0.013, HitRate: 0.75, FalseAlarmRate: 0.0129, Cost: 25 + 7.74, Threshold: f(1.2)},
		},
		PerUser: []eval.TargetResult{
			{TargetFA: 0.01, HitRate: 0.6, FalseAlarmRate: 0.0231, Cost: 40 + 13.86},
			{TargetFA: 0.013, HitRate: 0.65, FalseAlarmRate: 0.0252, Cost: 35 + 15.12},
		},
	}
	base := eval.SEAResult{
		AUC: 0.87, Positives: 231, Negatives: 4769,
		Pooled:  []eval.TargetResult{{TargetFA: 0.013, HitRate: 0.5, FalseAlarmRate: 0.012, Cost: 57.2, Threshold: f(3)}},
		PerUser: []eval.TargetResult{{TargetFA: 0.013, HitRate: 0.55, FalseAlarmRate: 0.02, Cost: 57}},
	}
	return Report{
		Title:   `Run <script>alert("x")</script> & co`,
		Config:  "sea-ae.yaml",
		Date:    time.Date(2025, 3, 4, 5, 6, 0, 0, time.UTC),
		Machine: "test box",
		Commit:  "abc123",
		Notes:   []string{"Scores are <reconstruction errors>."},
		Systems: []System{{"autoencoder", model}, {"naive Bayes", base}},
		Anchors: eval.PublishedAnchors(),
		Images:  []Image{{File: "roc.png", Title: "ROC", Caption: "pooled test blocks"}},
		Tables: []Table{{
			Title:  "Reconstruction → nearest command",
			Header: []string{"input", "nearest"},
			Rows:   [][]string{{"ls", "ls"}, {"a<b", `"quoted" & more`}},
		}},
	}
}

func writeSampleImage(t *testing.T, dir string) {
	t.Helper()
	pts := []eval.ROCPoint{{FPR: 0, TPR: 0}, {FPR: 0.2, TPR: 0.8}, {FPR: 1, TPR: 1}}
	if err := PlotROC(filepath.Join(dir, "roc.png"), []NamedCurve{{"model", pts}}); err != nil {
		t.Fatal(err)
	}
}

func TestWriteReport(t *testing.T) {
	dir := t.TempDir()
	writeSampleImage(t, dir)
	if err := WriteReport(dir, sampleReport()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if err := checkBalanced(page); err != nil {
		t.Fatalf("page structure: %v\n%s", err, page)
	}
	want := []string{
		// run info and escaping
		"<title>Run &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</title>",
		"<td>sea-ae.yaml</td>", "<td>2025-03-04 05:06 UTC</td>", "<td>test box</td>", "<td>abc123</td>",
		"Scores are &lt;reconstruction errors&gt;.",
		// AUC table: 0.91234 to 4 decimals, block counts
		"<td>autoencoder</td><td class=\"num\">0.9123</td><td class=\"num\">231</td><td class=\"num\">4769</td>",
		"<td>naive Bayes</td><td class=\"num\">0.8700</td>",
		// pooled at 1.3%: model then baseline
		"<td class=\"num\">1.3%</td><td>autoencoder</td><td class=\"num\">75.0%</td><td class=\"num\">1.29%</td><td class=\"num\">32.7</td>",
		"<td>naive Bayes</td><td class=\"num\">50.0%</td><td class=\"num\">1.20%</td><td class=\"num\">57.2</td>",
		// per-user at 1%: only the model reports it
		"<td class=\"num\">1.0%</td><td>autoencoder</td><td class=\"num\">60.0%</td><td class=\"num\">2.31%</td><td class=\"num\">53.9</td>",
		// published anchors: 61.5% at 1.3% costs 38.5 + 7.8 = 46.3
		"<td class=\"num\">61.5%</td><td class=\"num\">1.30%</td><td class=\"num\">46.3</td>",
		"<td class=\"num\">88.4%</td><td class=\"num\">1.70%</td><td class=\"num\">21.8</td>",
		`<img src="roc.png" alt="ROC">`,
		"<h2>Reconstruction → nearest command</h2>",
		"<td>a&lt;b</td><td>&#34;quoted&#34; &amp; more</td>",
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %s", w)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "src=\"/"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// Targets 1% and 1.3% under each of the two thresholding modes.
	if n := strings.Count(page, `class="first"`); n != 4 {
		t.Errorf("%d target groups, want 4", n)
	}
}

func TestWriteReportMinimal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	if err := WriteReport(dir, Report{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if err := checkBalanced(page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page, "<h1>"+DefaultTitle+"</h1>") || strings.Contains(page, "<h2>") {
		t.Errorf("minimal page should have the default title and no sections:\n%s", page)
	}
}

func TestWriteReportErrors(t *testing.T) {
	dir := t.TempDir()
	writeSampleImage(t, dir)
	cases := map[string]func(*Report){
		"missing image":  func(r *Report) { r.Images = []Image{{File: "nope.png"}} },
		"absolute image": func(r *Report) { r.Images = []Image{{File: filepath.Join(dir, "roc.png")}} },
		"escaping image": func(r *Report) { r.Images = []Image{{File: "../roc.png"}} },
		"ragged row":     func(r *Report) { r.Tables[0].Rows = append(r.Tables[0].Rows, []string{"x"}) },
	}
	for name, mod := range cases {
		r := sampleReport()
		mod(&r)
		if err := WriteReport(dir, r); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCheckBalancedCatchesErrors(t *testing.T) {
	for _, page := range []string{
		"<!DOCTYPE html><html><body><p></body></html>",
		"<!DOCTYPE html><html><body>a < b</body></html>",
		"<html></html>",
	} {
		if checkBalanced(page) == nil {
			t.Errorf("accepted %q", page)
		}
	}
}
