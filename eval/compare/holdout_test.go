package compare

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestHoldoutRoundTripAndValidate(t *testing.T) {
	h := Holdout{IDs: []string{"a", "b", "c"}, Labels: []bool{true, false, false}, Scores: []float64{.9, .2, .4},
		Alarms: []bool{true, false, true}, Threshold: 0.3, Probabilities: []float64{.8, .1, .35}}
	path := filepath.Join(t.TempDir(), HoldoutFile)
	if err := WriteHoldout(path, h); err != nil {
		t.Fatal(err)
	}
	got, err := ReadHoldout(path)
	if err != nil || !reflect.DeepEqual(got, h) {
		t.Fatalf("read %+v, %v", got, err)
	}
	for name, c := range map[string]struct {
		edit func(*Holdout)
		want string
	}{
		"no ids":      {func(h *Holdout) { h.IDs, h.Labels, h.Scores, h.Alarms, h.Probabilities = nil, nil, nil, nil, nil }, "no ids"},
		"labels":      {func(h *Holdout) { h.Labels = h.Labels[:2] }, "2 labels"},
		"scores":      {func(h *Holdout) { h.Scores = h.Scores[:2] }, "2 scores"},
		"alarms":      {func(h *Holdout) { h.Alarms = []bool{} }, "0 alarms"},
		"repeated id": {func(h *Holdout) { h.IDs = []string{"a", "b", "a"} }, `"a" repeated`},
		"probability": {func(h *Holdout) { h.Probabilities = []float64{.1, 1.2, .3} }, `probability of "b"`},
	} {
		bad := h
		bad.IDs, bad.Labels, bad.Scores = append([]string(nil), h.IDs...), append([]bool(nil), h.Labels...), append([]float64(nil), h.Scores...)
		c.edit(&bad)
		if err := WriteHoldout(path, bad); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want %q and the path", name, err, c.want)
		}
	}
	if err := os.WriteFile(path, []byte(`{"ids": ["a"], "labels": [true], "scores": [NaN]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadHoldout(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("bad JSON: %v", err)
	}
	// Alarms may be omitted; Scores may not.
	if err := os.WriteFile(path, []byte(`{"ids": ["a", "b"], "labels": [true, false], "scores": [1, 0], "threshold": 0.5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if h, err := ReadHoldout(path); err != nil || h.Alarms != nil {
		t.Errorf("no alarms: %+v %v", h, err)
	}
}

// Pair reorders the champion's rows to the challenger's ids and refuses
// different id sets or labels.
func TestPair(t *testing.T) {
	champ := Holdout{IDs: []string{"x", "y", "z"}, Labels: []bool{true, false, true}, Scores: []float64{1, 2, 3},
		Alarms: []bool{true, false, false}, Probabilities: []float64{.1, .2, .3}, Threshold: 1.5}
	chall := Holdout{IDs: []string{"z", "x", "y"}, Labels: []bool{true, true, false}, Scores: []float64{30, 10, 20}}
	p, err := Pair(champ, chall)
	if err != nil {
		t.Fatal(err)
	}
	want := Holdout{IDs: []string{"z", "x", "y"}, Labels: []bool{true, true, false}, Scores: []float64{3, 1, 2},
		Alarms: []bool{false, true, false}, Probabilities: []float64{.3, .1, .2}, Threshold: 1.5}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("paired %+v, want %+v", p, want)
	}
	other := chall
	other.IDs = []string{"z", "x", "w"}
	if _, err := Pair(champ, other); err == nil || !strings.Contains(err.Error(), `1 ids only the champion scored ("y")`) ||
		!strings.Contains(err.Error(), `1 only the challenger scored ("w")`) {
		t.Errorf("different ids: %v", err)
	}
	short := Holdout{IDs: []string{"z", "x"}, Labels: []bool{true, true}, Scores: []float64{1, 2}}
	if _, err := Pair(champ, short); err == nil || !strings.Contains(err.Error(), "different rows") {
		t.Errorf("fewer ids: %v", err)
	}
	relabelled := chall
	relabelled.Labels = []bool{true, false, false}
	if _, err := Pair(champ, relabelled); err == nil || !strings.Contains(err.Error(), `row "x"`) {
		t.Errorf("labels differ: %v", err)
	}
}

func TestCompareDispatch(t *testing.T) {
	champScores, challScores, labels := synth(5, 30, 90, 0.5, 2)
	ids := make([]string, len(labels))
	champAlarms, challAlarms := make([]bool, len(labels)), make([]bool, len(labels))
	for i := range ids {
		ids[i] = string(rune('A'+i%26)) + string(rune('a'+i/26))
		champAlarms[i], challAlarms[i] = champScores[i] > 1, challScores[i] > 1.5
	}
	champ := Holdout{IDs: ids, Labels: labels, Scores: champScores, Alarms: champAlarms}
	// The challenger lists its rows in reverse; pairing must undo it.
	n := len(ids)
	chall := Holdout{IDs: make([]string, n), Labels: make([]bool, n), Scores: make([]float64, n), Alarms: make([]bool, n)}
	for i := range n {
		j := n - 1 - i
		chall.IDs[j], chall.Labels[j], chall.Scores[j], chall.Alarms[j] = ids[i], labels[i], challScores[i], challAlarms[i]
	}
	direct, err := DeLong(champScores, challScores, labels)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compare(TestDeLong, champ, chall, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "paired z", r.Statistic, direct.Statistic, 1e-12)
	if r.Alpha != 0.1 || r.P > 0.01 {
		t.Errorf("delong: %+v", r)
	}
	for _, test := range []string{TestMcNemar, TestBootstrapAP} {
		r, err := Compare(test, champ, chall, 0)
		if err != nil || r.Test != test || r.Alpha != DefaultAlpha || r.N != n {
			t.Errorf("%s: %+v %v", test, r, err)
		}
	}
	if _, err := Compare("t-test", champ, chall, 0); err == nil || !strings.Contains(err.Error(), "delong, mcnemar, bootstrap-ap") {
		t.Errorf("unknown test: %v", err)
	}
	if _, err := Compare(TestDeLong, champ, chall, 1.5); err == nil {
		t.Error("alpha 1.5: no error")
	}
	chall.Alarms = nil
	if _, err := Compare(TestMcNemar, champ, chall, 0); err == nil || !strings.Contains(err.Error(), "alarms") {
		t.Errorf("McNemar without alarms: %v", err)
	}
	if _, err := (Result{Test: TestBootstrapAP}).WithAlpha(0.1); err == nil {
		t.Error("bootstrap WithAlpha: no error")
	}
}
