package compare

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/vigil-ml/vigil/eval"
)

// HoldoutFile is the name of a run directory's Holdout file.
const HoldoutFile = "holdout.json"

// Holdout is one model's scoring of identified held-out rows, the file
// contract (HoldoutFile, holdout.json in a run directory) that lets two
// runs be paired row by row:
//
//	{"ids": ["..."], "labels": [true, false, ...],
//	 "scores": [...], "alarms": [true, false, ...], "threshold": 0.73,
//	 "probabilities": [...]}
//
// IDs name the rows and must be unique; Labels are true for anomalies;
// Scores are finite, higher meaning more anomalous; Alarms are the model's
// decisions at its deployed Threshold (McNemar needs them; they may be
// omitted otherwise). Probabilities, optional, are the model's class
// probabilities of an anomaly, in [0, 1]. Every present array has one
// entry per id.
type Holdout struct {
	IDs           []string  `json:"ids"`
	Labels        []bool    `json:"labels"`
	Scores        []float64 `json:"scores"`
	Alarms        []bool    `json:"alarms,omitempty"`
	Threshold     float64   `json:"threshold"`
	Probabilities []float64 `json:"probabilities,omitempty"`
}

// Validate reports a Holdout that breaks the contract.
func (h Holdout) Validate() error {
	n := len(h.IDs)
	switch {
	case n == 0:
		return fmt.Errorf("no ids")
	case len(h.Labels) != n:
		return fmt.Errorf("%d ids but %d labels", n, len(h.Labels))
	case len(h.Scores) != n:
		return fmt.Errorf("%d ids but %d scores", n, len(h.Scores))
	case h.Alarms != nil && len(h.Alarms) != n:
		return fmt.Errorf("%d ids but %d alarms", n, len(h.Alarms))
	case h.Probabilities != nil && len(h.Probabilities) != n:
		return fmt.Errorf("%d ids but %d probabilities", n, len(h.Probabilities))
	case math.IsNaN(h.Threshold):
		return fmt.Errorf("threshold is NaN")
	}
	seen := make(map[string]struct{}, n)
	for i, id := range h.IDs {
		if _, dup := seen[id]; dup {
			return fmt.Errorf("id %q repeated (row %d)", id, i)
		}
		seen[id] = struct{}{}
	}
	for i, s := range h.Scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("score of %q is %v, want a finite value", h.IDs[i], s)
		}
	}
	for i, p := range h.Probabilities {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("probability of %q is %v, want a value in [0, 1]", h.IDs[i], p)
		}
	}
	return nil
}

// ReadHoldout reads and validates a Holdout file; errors name path.
func ReadHoldout(path string) (Holdout, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Holdout{}, err
	}
	var h Holdout
	if err := json.Unmarshal(b, &h); err != nil {
		return Holdout{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := h.Validate(); err != nil {
		return Holdout{}, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// WriteHoldout validates h and writes it to path (a temporary file
// renamed into place).
func WriteHoldout(path string, h Holdout) error {
	if err := h.Validate(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Pair returns the champion's rows reordered to the challenger's ids, so
// that row i of both is the same example. Errors: the id sets differ
// (naming a few ids on each side), or a row's label differs between the
// two (they scored different data). Both must be valid (see Validate).
func Pair(champion, challenger Holdout) (Holdout, error) {
	at := make(map[string]int, len(champion.IDs))
	for i, id := range champion.IDs {
		at[id] = i
	}
	var onlyChallenger []string
	for _, id := range challenger.IDs {
		if _, ok := at[id]; !ok {
			onlyChallenger = append(onlyChallenger, id)
		}
	}
	if len(onlyChallenger) > 0 || len(champion.IDs) != len(challenger.IDs) {
		inB := make(map[string]struct{}, len(challenger.IDs))
		for _, id := range challenger.IDs {
			inB[id] = struct{}{}
		}
		var onlyChampion []string
		for _, id := range champion.IDs {
			if _, ok := inB[id]; !ok {
				onlyChampion = append(onlyChampion, id)
			}
		}
		return Holdout{}, fmt.Errorf("compare: the two hold-outs hold different rows: %d ids only the champion scored%s, %d only the challenger scored%s",
			len(onlyChampion), someIDs(onlyChampion), len(onlyChallenger), someIDs(onlyChallenger))
	}
	out := Holdout{Threshold: champion.Threshold, IDs: slices.Clone(challenger.IDs),
		Labels: make([]bool, len(challenger.IDs)), Scores: make([]float64, len(challenger.IDs))}
	if champion.Alarms != nil {
		out.Alarms = make([]bool, len(challenger.IDs))
	}
	if champion.Probabilities != nil {
		out.Probabilities = make([]float64, len(challenger.IDs))
	}
	for i, id := range challenger.IDs {
		j := at[id]
		if champion.Labels[j] != challenger.Labels[i] {
			return Holdout{}, fmt.Errorf("compare: row %q is labelled %v for the champion but %v for the challenger", id, champion.Labels[j], challenger.Labels[i])
		}
		out.Labels[i], out.Scores[i] = champion.Labels[j], champion.Scores[j]
		if out.Alarms != nil {
			out.Alarms[i] = champion.Alarms[j]
		}
		if out.Probabilities != nil {
			out.Probabilities[i] = champion.Probabilities[j]
		}
	}
	return out, nil
}

// someIDs formats up to three ids for an error message.
func someIDs(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	q := make([]string, 0, 3)
	for _, id := range ids[:min(3, len(ids))] {
		q = append(q, fmt.Sprintf("%q", id))
	}
	more := ""
	if len(ids) > 3 {
		more = ", ..."
	}
	return " (" + strings.Join(q, ", ") + more + ")"
}

// Compare pairs two hold-outs by id (see Pair) and runs the test named
// test (TestDeLong and TestBootstrapAP on Scores, TestMcNemar on Alarms)
// with its interval at level 1 - alpha (0: DefaultAlpha). The bootstrap
// uses eval's default resamples and seed 0. Errors: an unknown test,
// alpha outside (0, 1), those of Pair, missing alarms for McNemar, and
// those of the test.
func Compare(test string, champion, challenger Holdout, alpha float64) (Result, error) {
	if alpha == 0 {
		alpha = DefaultAlpha
	}
	if err := checkAlpha(alpha); err != nil {
		return Result{}, err
	}
	if !slices.Contains(Tests, test) {
		return Result{}, fmt.Errorf("compare: unknown test %q (want one of %s)", test, strings.Join(Tests, ", "))
	}
	champ, err := Pair(champion, challenger)
	if err != nil {
		return Result{}, err
	}
	var r Result
	switch test {
	case TestDeLong:
		if r, err = DeLong(champ.Scores, challenger.Scores, challenger.Labels); err == nil {
			r, err = r.WithAlpha(alpha)
		}
	case TestMcNemar:
		if champ.Alarms == nil || challenger.Alarms == nil {
			return Result{}, fmt.Errorf("compare: McNemar's test needs both models' alarms")
		}
		if r, err = McNemar(champ.Alarms, challenger.Alarms, challenger.Labels); err == nil {
			r, err = r.WithAlpha(alpha)
		}
	case TestBootstrapAP:
		r, err = PairedBootstrapAP(champ.Scores, challenger.Scores, challenger.Labels, &eval.BootstrapOptions{Alpha: alpha})
	}
	return r, err
}
