package tabular

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParsePipeline(t *testing.T) {
	for _, s := range []string{"svm", "gsmote+biased-svm", "smote+rf", "linear", "iforest", "ocsvm"} {
		if _, err := ParsePipeline(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "knn", "adasyn+svm", "smote+iforest", "a+b+c"} {
		if _, err := ParsePipeline(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
}

func TestCandidatesAreTheGridsProduct(t *testing.T) {
	c := quickConfig("gsmote+biased-svm")
	c.GSMOTE.Truncation = []float64{1, 0.5}
	c.GSMOTE.Deformation = []float64{0, 0.5, 1}
	c.SVM.Gamma = []float64{0, 0.1}
	got := c.Candidates(mustPipe("gsmote+biased-svm"))
	if len(got) != 2*3*2*2 {
		t.Fatalf("%d candidates, want 24", len(got))
	}
	seen := map[Params]bool{}
	for _, p := range got {
		seen[p] = true
	}
	if len(seen) != len(got) {
		t.Errorf("repeated candidates")
	}
	c.SVM.Kernel = "linear" // gamma is not searched
	if n := len(c.Candidates(mustPipe("svm"))); n != 2 {
		t.Errorf("linear kernel: %d candidates, want 2", n)
	}
}

func TestValidateNamesKeys(t *testing.T) {
	c := quickConfig("svm", "smote+ocsvm")
	c.Protocol.Holdout = 0.7
	c.GSMOTE.Truncation = []float64{2}
	c.SVM.Penalty = "xx"
	err := c.Validate()
	for _, key := range []string{"protocol.pipelines", "protocol.holdout", "gsmote.truncation_factor", "svm.penalty"} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("error %v does not name %s", err, key)
		}
	}
}

// Precision, recall and F1 at per-row thresholds, worked by hand.
func TestSummariseByHand(t *testing.T) {
	labels := []bool{true, true, true, false, false, false, false, false}
	scores := []float64{0.9, 0.8, 0.2, 0.7, 0.3, 0.1, 0.05, 0.6}
	cuts := constant(8, 0.5)
	// alarms: rows 0, 1, 3, 7 -> TP 2, FP 2, FN 1: P 1/2, R 2/3, F1 4/7.
	s, err := summarise(scored{labels: labels, scores: [][]float64{scores}, cuts: [][]float64{cuts}}, 200, 0.05, 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string][2]float64{"precision": {s.Precision.Point, 0.5}, "recall": {s.Recall.Point, 2.0 / 3}, "f1": {s.F1.Point, 4.0 / 7}} {
		if math.Abs(c[0]-c[1]) > 1e-12 {
			t.Errorf("%s %v, want %v", name, c[0], c[1])
		}
	}
	// AP by hand: ranks 0.9+, 0.8+, 0.7-, 0.6-, 0.3-, 0.2+: (1 + 1 + 3/6)/3.
	if math.Abs(s.PRAUC.Point-2.5/3) > 1e-12 {
		t.Errorf("PR-AUC %v, want %v", s.PRAUC.Point, 2.5/3)
	}
	if !(s.F1.Lo <= s.F1.Point && s.F1.Point <= s.F1.Hi) || s.F1.Lo == s.F1.Hi {
		t.Errorf("F1 interval %+v", s.F1)
	}
	// Two repeats average: the second alarms on nothing but row 0.
	second := []float64{0.9, 0, 0, 0, 0, 0, 0, 0}
	s2, err := summarise(scored{labels: labels, scores: [][]float64{scores, second}, cuts: [][]float64{cuts, cuts}}, 200, 0.05, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (0.5 + 1) / 2; math.Abs(s2.Precision.Point-want) > 1e-12 {
		t.Errorf("mean precision over repeats %v, want %v", s2.Precision.Point, want)
	}
}

// No fit ever sees a row of the outer test fold it is scored on, nor a
// row of a group of that fold, nor a hold-out row.
func TestNoLeakage(t *testing.T) {
	tab := blobs(240, 4, 0.15, 1.5, 4, 1)
	c := quickConfig("smote+biased-svm")
	c.Protocol.Repeats = 2
	type key struct{ r, f int }
	seen := map[key]map[int]bool{}
	e := fitEnv{cfg: c, observe: func(r, f int, train []int) {
		k := key{r, f}
		if seen[k] == nil {
			seen[k] = map[int]bool{}
		}
		for _, i := range train {
			seen[k][i] = true
		}
	}}
	dev, hold, err := holdoutSplit(tab, c.Protocol.Holdout, 3)
	if err != nil {
		t.Fatal(err)
	}
	c.Protocol.Workers = 1
	est, err := nested(context.Background(), e, tab, dev, mustPipe("smote+biased-svm"), 3, nopWriter{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := deploy(context.Background(), e, tab, dev, hold, 3); err != nil {
		t.Fatal(err)
	}
	if len(est.folds) != 6 {
		t.Fatalf("%d folds, want 6", len(est.folds))
	}
	for _, fo := range est.folds {
		trained := seen[key{fo.Repeat, fo.Fold}]
		if len(trained) == 0 {
			t.Fatalf("fold %d/%d: no fits observed", fo.Repeat, fo.Fold)
		}
		testGroups := map[string]bool{}
		for _, i := range fo.test {
			testGroups[tab.Groups[i]] = true
			if trained[i] {
				t.Errorf("fold %d/%d: test row %d was fitted on", fo.Repeat, fo.Fold, i)
			}
		}
		for i := range trained {
			if testGroups[tab.Groups[i]] {
				t.Errorf("fold %d/%d: group %s is split", fo.Repeat, fo.Fold, tab.Groups[i])
			}
		}
	}
	for _, rows := range seen {
		for _, i := range hold {
			if rows[i] {
				t.Fatalf("hold-out row %d was fitted on", i)
			}
		}
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// The protocol end to end on separable blobs: supervised pipelines find
// the positives, the files are written, and the saved model rescored on
// the same data reproduces the hold-out scores exactly.
func TestFitAndRescore(t *testing.T) {
	tab := blobs(300, 5, 0.12, 2.5, 3, 2)
	c := quickConfig("gsmote+biased-svm", "smote+rf", "svm", "iforest")
	dir := t.TempDir()
	ev, err := Fit(context.Background(), tab, c, testEnv(dir), Info{Task: "test", Title: "test"})
	if err != nil {
		t.Fatal(err)
	}
	m := ev.Metrics.(*Metrics)
	for _, name := range []string{"gsmote+biased-svm", "smote+rf", "svm"} {
		if ap := m.Pipelines[name].PRAUC.Point; ap < 0.9 {
			t.Errorf("%s: PR-AUC %.3f on well-separated blobs", name, ap)
		}
	}
	lead := m.Pipelines["gsmote+biased-svm"]
	if lead.Versus != nil {
		t.Error("the first pipeline is compared with itself")
	}
	for _, name := range []string{"smote+rf", "svm", "iforest"} {
		v := m.Pipelines[name].Versus
		if v == nil || v.Against != "gsmote+biased-svm" {
			t.Fatalf("%s: no paired comparison with the first pipeline", name)
		}
		// The paired tests score the same pooled rows as the table.
		if math.Abs(v.DeLong.Champion-lead.ROCAUC.Point) > 1e-12 || math.Abs(v.DeLong.Challenger-m.Pipelines[name].ROCAUC.Point) > 1e-12 ||
			math.Abs(v.AP.Challenger-m.Pipelines[name].PRAUC.Point) > 1e-12 {
			t.Errorf("%s: paired AUCs %v, %v and AP %v differ from the table's %v, %v and %v", name, v.DeLong.Champion, v.DeLong.Challenger, v.AP.Challenger,
				lead.ROCAUC.Point, m.Pipelines[name].ROCAUC.Point, m.Pipelines[name].PRAUC.Point)
		}
	}
	if m.DevRows+m.HoldoutRows != len(tab.X) || m.HoldoutRows == 0 {
		t.Errorf("dev %d + hold-out %d rows of %d", m.DevRows, m.HoldoutRows, len(tab.X))
	}
	if !m.Deployed.Reached || m.Deployed.Holdout.Precision.Point < c.Protocol.TargetPrecision {
		t.Errorf("deployed threshold: %+v", m.Deployed)
	}
	for _, f := range []string{"model.json", "holdout.json", "report.html", "pr_pipelines.png", "pr_deployed.png", "intervals.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	var first holdoutScores
	readJSON(t, filepath.Join(dir, HoldoutFile), &first)
	out := t.TempDir()
	env := testEnv(out)
	env.From = dir
	ev2, err := Rescore(context.Background(), tab, c, env, Info{Task: "test", Title: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var again holdoutScores
	readJSON(t, filepath.Join(out, HoldoutFile), &again)
	if !slices.Equal(first.Scores, again.Scores) || !slices.Equal(first.IDs, again.IDs) || first.Threshold != again.Threshold {
		t.Errorf("rescored hold-out differs from the run's")
	}
	if !slices.Equal(first.Probabilities, again.Probabilities) || len(first.Probabilities) != len(first.Scores) {
		t.Errorf("probabilities: %d then %d of %d rows", len(first.Probabilities), len(again.Probabilities), len(first.Scores))
	}
	if got := ev2.Metrics.(*RescoreMetrics).Deployed.Holdout.F1.Point; got != m.Deployed.Holdout.F1.Point {
		t.Errorf("rescored F1 %v, run's %v", got, m.Deployed.Holdout.F1.Point)
	}
	// Other features are refused.
	tab.Features[0] = "renamed"
	if _, err := Rescore(context.Background(), tab, c, env, Info{}); err == nil {
		t.Error("a model rescored on other features")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// Results do not depend on the number of workers.
func TestWorkersDoNotChangeResults(t *testing.T) {
	tab := blobs(150, 3, 0.2, 1.0, 3, 4)
	var f1 []float64
	for _, w := range []int{1, 3} {
		c := quickConfig("smote+biased-svm")
		c.Protocol.Workers = w
		ev, err := Fit(context.Background(), tab, c, testEnv(t.TempDir()), Info{})
		if err != nil {
			t.Fatal(err)
		}
		m := ev.Metrics.(*Metrics)
		f1 = append(f1, m.Pipelines["smote+biased-svm"].F1.Point, m.Pipelines["smote+biased-svm"].PRAUC.Point)
	}
	if f1[0] != f1[2] || f1[1] != f1[3] {
		t.Errorf("1 worker: F1 %v AP %v; 3 workers: F1 %v AP %v", f1[0], f1[1], f1[2], f1[3])
	}
}
