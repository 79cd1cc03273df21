package logins

import (
	"context"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/models"
)

// handResult scores every set with score(set, i, attack) as the anomaly
// score and its negation as the dot product.
func handResult(d *data, score func(set string, i int, attack bool) float64) tasks.Result {
	r := tasks.Result{Name: "all", Params: 42, Scores: map[string][]models.Score{}}
	add := func(set string, n int, attack func(int) bool) {
		a := models.Score{Name: "anomaly", Width: 1}
		p := models.Score{Name: "dot_product", Width: 1}
		for i := range n {
			v := score(set, i, attack(i))
			a.Values, p.Values = append(a.Values, v), append(p.Values, -v)
		}
		r.Scores[set] = []models.Score{a, p}
	}
	add(setValidation, len(d.sp.val), func(int) bool { return false })
	add(setDiscriminator, len(d.disc), func(int) bool { return true })
	for _, ts := range d.sets {
		add(ts.name, len(ts.events), func(i int) bool { return ts.events[i].Attack })
	}
	return r
}

func evaluate(t *testing.T, d *data, r tasks.Result) (*Metrics, string, tasks.Env) {
	t.Helper()
	env := testEnv(t, 1)
	ev, err := d.Evaluate(context.Background(), []tasks.Result{r}, env)
	if err != nil {
		t.Fatal(err)
	}
	return ev.Metrics.(*Metrics), ev.Summary, env
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestEvaluateByHand: 2 attacks scored 0.9 and 0.4, 2 normal events 0.5
// and 0.1. AUC: of the 4 (attack, normal) pairs the attack is higher in 3.
// At TPR 100% the threshold is 0.4 and the normal 0.5 alarms: FPR 50%; at
// TPR 50% it is 0.9: FPR 0. Both tables know every normal pair and no
// attack: AUC 1, FPR 0.
func TestEvaluateByHand(t *testing.T) {
	d, err := load(t, 1, pairsConfig(writeFile(t, "pairs.csv", pairsFile), true))
	if err != nil {
		t.Fatal(err)
	}
	attacks, normals := []float64{0.9, 0.4}, []float64{0.5, 0.1}
	ka, kn := 0, 0
	r := handResult(d, func(set string, i int, attack bool) float64 {
		switch {
		case set == setValidation:
			return 0.2
		case set == setDiscriminator:
			return 0.8
		case attack:
			ka++
			return attacks[ka-1]
		default:
			kn++
			return normals[kn-1]
		}
	})
	r.TrainLoss, r.ValLoss = []float64{0.7, 0.5, 0.4}, []float64{0.8, 0.6, 0.55}
	m, sum, env := evaluate(t, d, r)
	if m.DiscriminatorAUC != 1 {
		t.Errorf("discriminator AUC %v, want 1", m.DiscriminatorAUC)
	}
	if len(m.Attacks) != 1 {
		t.Fatalf("%d attack results", len(m.Attacks))
	}
	a := m.Attacks[0]
	if a.Set != "attacks_50pct" || a.Events != 4 || a.Attack != 2 || a.Normal != 2 || a.Note != "" || len(a.Systems) != 3 {
		t.Fatalf("attack result %+v", a)
	}
	want := []struct {
		id, name     string
		auc, fpr100  float64
		fpr50, th100 float64
	}{
		{"model", "ipinsights", 0.75, 0.5, 0, 0.4},
		{"ip_table", "IP table (/32)", 1, 0, 0, 1},
		{"subnet_table", "subnet table (/24)", 1, 0, 0, 1},
	}
	for k, w := range want {
		s := a.Systems[k]
		if s.ID != w.id || s.Name != w.name || !near(s.AUC, w.auc) || len(s.AtDetection) != 2 {
			t.Errorf("system %d: %+v, want %+v", k, s, w)
			continue
		}
		at1, at5 := s.AtDetection[0], s.AtDetection[1]
		if at1.TPR != 1 || !near(at1.FPR, w.fpr100) || !near(at1.Threshold, w.th100) || at5.TPR != 0.5 || !near(at5.FPR, w.fpr50) {
			t.Errorf("system %s at detection %+v, want FPR %v (threshold %v) and %v", s.Name, s.AtDetection, w.fpr100, w.th100, w.fpr50)
		}
	}
	for _, s := range []string{"discriminator AUC", "1.0000", "attacks_50pct: 2 attacks among 4 events", "ipinsights", "0.7500", "50.00%", "FPR@TPR100%", "skipped 1 bad records: field-count 1"} {
		if !strings.Contains(sum, s) {
			t.Errorf("summary lacks %q:\n%s", s, sum)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"discriminator_auc":1`, `"attacks":[`, `"set":"attacks_50pct"`, `"attack_rate":0.5`, `"attack_events":2`,
		`"normal_events":2`, `"systems":[`, `"id":"model"`, `"auc":0.75`, `"at_detection":[`, `"tpr":1`, `"fpr":0.5`, `"threshold":0.4`,
		`"skipped_records":{"field-count":1}`, `"train_events":11`, `"validation_events":1`, `"test_events":4`, `"unknown_entity_test_events":1`, `"machine":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("metrics.json lacks %s:\n%s", key, b)
		}
	}
	html, err := os.ReadFile(filepath.Join(env.Out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"roc_attacks_50pct.png", "scores_attacks_50pct.png", "scores_discriminator.png", "loss.png"} {
		if !strings.Contains(string(html), `src="`+f+`"`) {
			t.Errorf("report.html does not show %s", f)
		}
		checkPNG(t, filepath.Join(env.Out, f))
	}
	for _, s := range []string{"Detection", "Test sets", "bad records skipped: field-count", m.Machine} {
		if !strings.Contains(string(html), s) {
			t.Errorf("report.html lacks %q", s)
		}
	}
	if _, err := os.Stat(filepath.Join(env.Out, "embedding.png")); err == nil {
		t.Error("an embedding plot without a model")
	}
}

func checkPNG(t *testing.T, path string) {
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
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		t.Errorf("%s is %v", path, b)
	}
}

// TestEvaluatePerfectAndInverted scores the synthetic test sets perfectly
// (AUC 1, FPR 0) and inverted (AUC 0; every normal event scores above
// every attack, so any threshold alarms on all: FPR 1).
func TestEvaluatePerfectAndInverted(t *testing.T) {
	d, err := load(t, 5, smallSynthetic)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		sign     float64
		auc, fpr float64
	}{{"perfect", 1, 1, 0}, {"inverted", -1, 0, 1}} {
		r := handResult(d, func(_ string, i int, attack bool) float64 {
			if attack {
				return c.sign * (2 + 1e-3*float64(i%7))
			}
			return c.sign * 1e-3 * float64(i%11)
		})
		m, _, _ := evaluate(t, d, r)
		if m.DiscriminatorAUC != c.auc {
			t.Errorf("%s: discriminator AUC %v", c.name, m.DiscriminatorAUC)
		}
		for _, a := range m.Attacks {
			s := a.Systems[0]
			if s.AUC != c.auc || s.AtDetection[0].FPR != c.fpr || s.AtDetection[1].FPR != c.fpr {
				t.Errorf("%s %s: %+v", c.name, a.Set, s)
			}
			for _, b := range a.Systems[1:] {
				if !(b.AUC > 0.5 && b.AUC <= 1) {
					t.Errorf("%s: %s AUC %v", a.Set, b.Name, b.AUC)
				}
			}
		}
	}
}

// TestEvaluateOneClass: 1% of 4 test events is no attack, 100% leaves no
// normal event; both are said, not failed on.
func TestEvaluateOneClass(t *testing.T) {
	d, err := load(t, 1, func(c *Config) {
		pairsConfig(writeFile(t, "pairs.csv", pairsFile), true)(c)
		c.Eval.AttackRates = []float64{0.01, 1}
	})
	if err != nil {
		t.Fatal(err)
	}
	m, sum, env := evaluate(t, d, handResult(d, func(_ string, i int, attack bool) float64 { return float64(i) }))
	if len(m.Attacks) != 2 || m.Attacks[0].Attack != 0 || m.Attacks[1].Normal != 0 {
		t.Fatalf("attacks %+v", m.Attacks)
	}
	for _, a := range m.Attacks {
		if len(a.Systems) != 0 || a.Note == "" {
			t.Errorf("%s: %+v", a.Set, a)
		}
	}
	if !strings.Contains(sum, "no attacks") || !strings.Contains(sum, "no normal events") {
		t.Errorf("summary:\n%s", sum)
	}
	if _, err := os.Stat(filepath.Join(env.Out, "report.html")); err != nil {
		t.Error(err)
	}
}

func TestEvaluateRejectsBadScores(t *testing.T) {
	d, err := load(t, 1, pairsConfig(writeFile(t, "pairs.csv", pairsFile), true))
	if err != nil {
		t.Fatal(err)
	}
	r := handResult(d, func(string, int, bool) float64 { return 0 })
	r.Scores["attacks_50pct"][0].Values = r.Scores["attacks_50pct"][0].Values[1:]
	if _, err := d.Evaluate(context.Background(), []tasks.Result{r}, testEnv(t, 1)); err == nil || !strings.Contains(err.Error(), "attacks_50pct") {
		t.Errorf("short scores: %v", err)
	}
	delete(r.Scores, setDiscriminator)
	if _, err := d.Evaluate(context.Background(), []tasks.Result{r}, testEnv(t, 1)); err == nil || !strings.Contains(err.Error(), "discriminator") {
		t.Errorf("missing set: %v", err)
	}
	if _, err := d.Evaluate(context.Background(), nil, testEnv(t, 1)); err == nil {
		t.Error("no results")
	}
}
