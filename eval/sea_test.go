package eval

import (
	"encoding/json"
	"strings"
	"testing"
)

// seaUsers is a two-user case small enough to work out by hand.
func seaUsers() []UserScores {
	return []UserScores{
		{
			User:   "A",
			Train:  []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			Test:   []float64{2, 11, 5, 12},
			Labels: []bool{false, true, false, true},
		},
		{
			User:   "B",
			Train:  []float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100},
			Test:   []float64{50, 95, 105, 30},
			Labels: []bool{false, false, true, false},
		},
	}
}

func TestEvaluateSEAHandComputed(t *testing.T) {
	res, err := EvaluateSEA(seaUsers(), []float64{0, 0.1, 0.8})
	if err != nil {
		t.Fatal(err)
	}
	// Positives 11, 12, 105; negatives 2, 5, 50, 95, 30.
	// Pairs won: 11 and 12 beat 2 and 5 (2 each), 105 beats all 5: 9/15.
	if res.Positives != 3 || res.Negatives != 5 || !near(res.AUC, 0.6) {
		t.Errorf("positives %d negatives %d AUC %v, want 3, 5, 0.6", res.Positives, res.Negatives, res.AUC)
	}
	// Pooled, descending: 105 P, 95 N, 50 N, 30 N, 12 P, 11 P, 5 N, 2 N.
	// FA 0 and 0.1 (budget 0 of 5): only 105, threshold 95.
	// FA 0.8 (budget 4): down to 11 with 3 false alarms, threshold 5.
	pooled := []struct{ th, hit, fa, cost float64 }{
		{95, 1.0 / 3, 0, 100.0 * 2 / 3},
		{95, 1.0 / 3, 0, 100.0 * 2 / 3},
		{5, 1, 0.6, 360},
	}
	// Per user: A's thresholds 10, 9, 2; B's 100, 90, 20.
	// FA 0: hits 11, 12, 105; no false alarm.
	// FA 0.1: B's 95 > 90 is a false alarm: 1 of 5.
	// FA 0.8: A's 5 > 2, B's 50, 95, 30 > 20: 4 of 5.
	perUser := []struct{ thA, thB, hit, fa, cost float64 }{
		{10, 100, 1, 0, 0},
		{9, 90, 1, 0.2, 120},
		{2, 20, 1, 0.8, 480},
	}
	for i, w := range pooled {
		g := res.Pooled[i]
		if g.Threshold == nil || *g.Threshold != w.th || !near(g.HitRate, w.hit) ||
			!near(g.FalseAlarmRate, w.fa) || !near(g.Cost, w.cost) || g.UserThresholds != nil {
			t.Errorf("pooled %d: %+v, want %+v", i, g, w)
		}
	}
	for i, w := range perUser {
		g := res.PerUser[i]
		if g.Threshold != nil || g.UserThresholds["A"] != w.thA || g.UserThresholds["B"] != w.thB ||
			!near(g.HitRate, w.hit) || !near(g.FalseAlarmRate, w.fa) || !near(g.Cost, w.cost) {
			t.Errorf("per-user %d: %+v, want %+v", i, g, w)
		}
	}
}

func TestEvaluateSEADefaultTargetsAndJSON(t *testing.T) {
	res, err := EvaluateSEA(seaUsers(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.01, 0.013, 0.05}
	if len(res.Pooled) != 3 || len(res.PerUser) != 3 {
		t.Fatalf("got %d pooled, %d per-user results", len(res.Pooled), len(res.PerUser))
	}
	for i, w := range want {
		if res.Pooled[i].TargetFA != w || res.PerUser[i].TargetFA != w {
			t.Errorf("target %d = %v / %v, want %v", i, res.Pooled[i].TargetFA, res.PerUser[i].TargetFA, w)
		}
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, key := range []string{`"auc":0.6`, `"pooled":[{"target_fa":0.01`, `"per_user":[{"target_fa":0.01`,
		`"false_alarm_rate"`, `"threshold":95`, `"user_thresholds":{"A":10,"B":100}`} {
		if !strings.Contains(s, key) {
			t.Errorf("JSON lacks %s: %s", key, s)
		}
	}
}

func TestEvaluateSEAErrors(t *testing.T) {
	mod := func(f func([]UserScores) []UserScores) []UserScores { return f(seaUsers()) }
	cases := []struct {
		name    string
		users   []UserScores
		targets []float64
	}{
		{"no users", nil, nil},
		{"duplicate", mod(func(u []UserScores) []UserScores { u[1].User = "A"; return u }), nil},
		{"no training", mod(func(u []UserScores) []UserScores { u[0].Train = nil; return u }), nil},
		{"mismatch", mod(func(u []UserScores) []UserScores { u[0].Labels = u[0].Labels[:3]; return u }), nil},
		{"target 1", seaUsers(), []float64{1}},
		{"negative target", seaUsers(), []float64{-0.01}},
		{"one class", mod(func(u []UserScores) []UserScores {
			for i := range u {
				u[i].Labels = make([]bool, len(u[i].Test))
			}
			return u
		}), nil},
	}
	for _, c := range cases {
		if _, err := EvaluateSEA(c.users, c.targets); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
