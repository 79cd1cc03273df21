package retrain

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/eval/compare"
	"github.com/vigil-ml/vigil/eval/drift"
)

// holdout makes a model's holdout.json on n rows (every third an anomaly)
// whose ids start with prefix: scores are a latent per-row value shared by
// every model of the same seed, plus the model's own noise (noiseSeed),
// plus shift on the anomalies; probabilities are the logistic of the
// score plus probShift, and the model alarms when its probability
// exceeds 0.5.
func holdout(prefix string, n int, seed, noiseSeed uint64, shift, probShift float64) compare.Holdout {
	latent := rand.New(rand.NewPCG(seed, 1))
	noise := rand.New(rand.NewPCG(noiseSeed, 2))
	h := compare.Holdout{Threshold: 0.5}
	for i := range n {
		l := i%3 == 0
		s := latent.NormFloat64() + noise.NormFloat64()
		if l {
			s += shift
		}
		p := 1 / (1 + math.Exp(-(s - 1 + probShift)))
		h.IDs = append(h.IDs, fmt.Sprintf("%s%04d", prefix, i))
		h.Labels = append(h.Labels, l)
		h.Scores = append(h.Scores, s)
		h.Probabilities = append(h.Probabilities, p)
		h.Alarms = append(h.Alarms, p > 0.5)
	}
	return h
}

// writeRun writes a run directory with metrics.json ({"model": {"auc":
// auc}}) and, when h is not nil, holdout.json.
func writeRun(t *testing.T, dir string, auc float64, h *compare.Holdout) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if auc >= 0 {
		if err := os.WriteFile(filepath.Join(dir, "metrics.json"), fmt.Appendf(nil, `{"model": {"auc": %v}}`, auc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if h != nil {
		if err := compare.WriteHoldout(filepath.Join(dir, compare.HoldoutFile), *h); err != nil {
			t.Fatal(err)
		}
	}
}

// layout writes the champion's release (its training-time hold-out), the
// challenger's run and the champion's scoring of the new window under a
// temporary directory, as Run leaves them before deciding.
func layout(t *testing.T, champTrain, challenger, champNew compare.Holdout, challAUC, champAUC float64) (o Options, champ, champOut string) {
	dir := t.TempDir()
	champ, out := filepath.Join(dir, "served"), filepath.Join(dir, "served.releases", "nightly-20261130")
	champOut = filepath.Join(out, "champion")
	writeRun(t, champ, -1, &champTrain)
	writeRun(t, out, challAUC, &challenger)
	writeRun(t, champOut, champAUC, &champNew)
	return Options{Champion: champ, Out: out, Metric: "model.auc", Margin: 0.01}, champ, champOut
}

// A clearly better challenger (anomalies shifted by 3 instead of 0.5, on
// the same 600 rows, listed in another order) is promoted by every test,
// whose outcome the report records.
func TestPairedTestPromotesBetterChallenger(t *testing.T) {
	for _, test := range compare.Tests {
		t.Run(test, func(t *testing.T) {
			champNew := holdout("w", 600, 1, 10, 0.5, 0)
			chall := holdout("w", 600, 1, 11, 3, 0)
			reverse(&chall)
			o, champ, champOut := layout(t, holdout("old", 600, 2, 12, 0.5, 0), chall, champNew, 0.95, 0.70)
			o.Test = test
			var rep Report
			if err := assess(o, &rep, champ, champOut); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s", rep.Decision, rep.Reason)
			if rep.Decision != Promoted || rep.Test == nil || rep.Test.Test != test || !(rep.Test.P < 0.001) ||
				!(rep.Test.CILo > 0) || rep.Test.Alpha != 0.05 || rep.Test.N != 600 {
				t.Fatalf("%s: %s\n%+v", rep.Decision, rep.Reason, rep.Test)
			}
			if !strings.Contains(rep.Reason, testNames[test]) || !strings.Contains(rep.Reason, "one-sided p = ") {
				t.Errorf("the reason does not state the test: %s", rep.Reason)
			}
			b, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				Test struct {
					Test      string  `json:"test"`
					Statistic float64 `json:"statistic"`
					P         float64 `json:"p"`
					CILo      float64 `json:"ci_lo"`
					CIHi      float64 `json:"ci_hi"`
				} `json:"test"`
			}
			if err := json.Unmarshal(b, &back); err != nil || back.Test.Test != test || back.Test.P != rep.Test.P ||
				back.Test.CILo != rep.Test.CILo || back.Test.CIHi != rep.Test.CIHi || back.Test.Statistic != rep.Test.Statistic {
				t.Errorf("JSON %s (%v)", b, err)
			}
		})
	}
}

// A challenger no better than the champion (same separation, its own
// noise) passes the margin (0.805 against 0.800, margin 0) but not the
// test: kept, with the p-value in the reason.
func TestPairedTestKeepsEqualChallenger(t *testing.T) {
	for _, test := range compare.Tests {
		t.Run(test, func(t *testing.T) {
			o, champ, champOut := layout(t, holdout("old", 600, 2, 12, 1, 0), holdout("w", 600, 1, 11, 1, 0),
				holdout("w", 600, 1, 10, 1, 0), 0.805, 0.800)
			o.Test, o.Margin = test, 0
			var rep Report
			if err := assess(o, &rep, champ, champOut); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s", rep.Decision, rep.Reason)
			want := fmt.Sprintf("one-sided p = %.3g", rep.Test.P)
			if rep.Decision != Kept || !strings.Contains(rep.Reason, want) || !strings.Contains(rep.Reason, "not below alpha 0.05") ||
				!strings.Contains(rep.Reason, "beats the champion's") || !(rep.Test.P >= 0.05) {
				t.Fatalf("%s: %q, want it to contain %q", rep.Decision, rep.Reason, want)
			}
			// Without the test the margin alone promotes it, as before.
			o.Test = ""
			rep = Report{}
			if err := assess(o, &rep, champ, champOut); err != nil {
				t.Fatal(err)
			}
			if rep.Decision != Promoted || rep.Test != nil || strings.Contains(rep.Reason, "p =") {
				t.Fatalf("no test: %s: %s", rep.Decision, rep.Reason)
			}
		})
	}
	// A challenger that fails the margin is kept on it, and the reason
	// still reports the test.
	o, champ, champOut := layout(t, holdout("old", 600, 2, 12, 1, 0), holdout("w", 600, 1, 11, 3, 0),
		holdout("w", 600, 1, 10, 1, 0), 0.80, 0.80)
	o.Test = compare.TestDeLong
	var rep Report
	if err := assess(o, &rep, champ, champOut); err != nil {
		t.Fatal(err)
	}
	if rep.Decision != Kept || !strings.Contains(rep.Reason, "does not beat") || !strings.Contains(rep.Reason, "DeLong") {
		t.Fatalf("%s: %s", rep.Decision, rep.Reason)
	}
}

// Rows that do not pair up, missing files and unknown tests are errors
// naming what is wrong.
func TestPairedTestErrors(t *testing.T) {
	champNew := holdout("w", 300, 1, 10, 1, 0)
	other := holdout("w", 300, 1, 11, 1, 0)
	other.IDs[7] = "x-unknown"
	o, champ, champOut := layout(t, holdout("old", 300, 2, 12, 1, 0), other, champNew, 0.9, 0.8)
	o.Test = compare.TestDeLong
	var rep Report
	err := assess(o, &rep, champ, champOut)
	if err == nil || !strings.Contains(err.Error(), `"x-unknown"`) || !strings.Contains(err.Error(), `"w0007"`) ||
		!strings.Contains(err.Error(), filepath.Join(o.Out, compare.HoldoutFile)) {
		t.Fatalf("id mismatch: %v", err)
	}

	if err := os.Remove(filepath.Join(champOut, compare.HoldoutFile)); err != nil {
		t.Fatal(err)
	}
	writeRun(t, champOut, 0.8, nil)
	// The champion's scoring has neither holdout.json nor scores.json:
	// nothing to test for drift.
	if err := assess(o, &rep, champ, champOut); err == nil || !strings.Contains(err.Error(), "nothing to test") {
		t.Fatalf("no outputs: %v", err)
	}
	// With a scores.json-free champion but the files there for drift, the
	// missing holdout.json of the champion's scoring is named.
	o2, champ2, champOut2 := layout(t, holdout("old", 300, 2, 12, 1, 0), holdout("w", 300, 1, 11, 1, 0), champNew, 0.9, 0.8)
	o2.Test = compare.TestMcNemar
	if err := os.Remove(filepath.Join(o2.Out, compare.HoldoutFile)); err != nil {
		t.Fatal(err)
	}
	if err := assess(o2, &rep, champ2, champOut2); err == nil || !strings.Contains(err.Error(), filepath.Join(o2.Out, compare.HoldoutFile)) ||
		!strings.Contains(err.Error(), "challenger's hold-out") {
		t.Fatalf("missing challenger holdout: %v", err)
	}

	for _, c := range []struct {
		test  string
		alpha float64
		want  string
	}{{"t-test", 0, `unknown test "t-test"`}, {"delong", 1.5, "alpha 1.5"}} {
		_, err := Run(context.Background(), Options{Champion: t.TempDir(), Metric: "x", Test: c.test, Alpha: c.alpha})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s at %v: %v", c.test, c.alpha, err)
		}
	}
}

// The champion's probabilities on the new window shifted up (a planted
// drift of 1.5 on the logit scale) raise a PSI alarm on "probability" and
// on each class, which keeps the champion whatever the test says; on an
// unshifted window nothing alarms.
func TestProbabilityDriftAlarm(t *testing.T) {
	better := holdout("w", 600, 1, 11, 3, 0)
	o, champ, champOut := layout(t, holdout("old", 600, 2, 12, 1, 0), better, holdout("w", 600, 1, 10, 1, 1.5), 0.95, 0.8)
	o.Test = compare.TestDeLong
	var rep Report
	if err := assess(o, &rep, champ, champOut); err != nil {
		t.Fatal(err)
	}
	levels := map[string]drift.Level{}
	for _, d := range rep.Drift {
		t.Logf("drift %s %s %.4f p=%.3g %s", d.Feature, d.Test, d.Value, d.P, d.Level)
		levels[d.Feature+" "+d.Test] = d.Level
	}
	for _, f := range []string{"probability", "probability|label=1", "probability|label=0"} {
		if levels[f+" psi"] != drift.LevelAlarm || levels[f+" ks"] != drift.LevelWarn {
			t.Errorf("%s: psi %s, ks %s", f, levels[f+" psi"], levels[f+" ks"])
		}
	}
	if rep.Decision != Kept || !strings.HasPrefix(rep.Reason, "drift alarm on probability") || rep.Test == nil || !(rep.Test.P < 0.05) {
		t.Fatalf("%s: %s", rep.Decision, rep.Reason)
	}

	o, champ, champOut = layout(t, holdout("old", 600, 2, 12, 1, 0), better, holdout("w", 600, 1, 10, 1, 0), 0.95, 0.8)
	rep = Report{}
	if err := assess(o, &rep, champ, champOut); err != nil {
		t.Fatal(err)
	}
	if len(rep.Drift) != 6 || rep.Decision != Promoted {
		t.Fatalf("no shift: %s: %s, drift %+v", rep.Decision, rep.Reason, rep.Drift)
	}
	for _, d := range rep.Drift {
		if d.Level == drift.LevelAlarm {
			t.Errorf("no shift: alarm on %s %s %.4f", d.Feature, d.Test, d.Value)
		}
	}

	// Fewer than 20 anomalies: the whole distribution only.
	small := holdout("old", 45, 2, 12, 1, 0) // 15 anomalies
	o, champ, champOut = layout(t, small, better, holdout("w", 600, 1, 10, 1, 0), 0.95, 0.8)
	rep = Report{}
	if err := assess(o, &rep, champ, champOut); err != nil {
		t.Fatal(err)
	}
	if len(rep.Drift) != 2 || rep.Drift[0].Feature != "probability" {
		t.Fatalf("few anomalies: %+v", rep.Drift)
	}

	// Without probabilities, holdout.json's scores are tested ("score").
	noProb := holdout("old", 600, 2, 12, 1, 0)
	noProb.Probabilities = nil
	o, champ, champOut = layout(t, noProb, better, holdout("w", 600, 1, 10, 1, 0), 0.95, 0.8)
	rep = Report{}
	if err := assess(o, &rep, champ, champOut); err != nil {
		t.Fatal(err)
	}
	if len(rep.Drift) != 6 || rep.Drift[0].Feature != "score" || rep.Drift[4].Feature != "score|label=0" {
		t.Fatalf("scores: %+v", rep.Drift)
	}
}

func reverse(h *compare.Holdout) {
	n := len(h.IDs)
	for i := range n / 2 {
		j := n - 1 - i
		h.IDs[i], h.IDs[j] = h.IDs[j], h.IDs[i]
		h.Labels[i], h.Labels[j] = h.Labels[j], h.Labels[i]
		h.Scores[i], h.Scores[j] = h.Scores[j], h.Scores[i]
		h.Alarms[i], h.Alarms[j] = h.Alarms[j], h.Alarms[i]
		h.Probabilities[i], h.Probabilities[j] = h.Probabilities[j], h.Probabilities[i]
	}
}
