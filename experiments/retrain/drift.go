package retrain

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/vigil-ml/vigil/eval/compare"
	"github.com/vigil-ml/vigil/eval/drift"
	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// DriftResult is one drift test: PSI (whose alarm blocks a promotion) or
// KS (which only warns: with thousands of examples it flags differences
// too small to matter).
type DriftResult struct {
	Feature string      `json:"feature"` // "input call", "score dr"
	Test    string      `json:"test"`    // psi | ks
	Value   float64     `json:"value"`   // PSI, or KS's D
	P       float64     `json:"p,omitempty"`
	Level   drift.Level `json:"level"`
}

// inputDriftTests compares the champion's training inputs (old's data)
// with the new window's (cfg's), when the task profiles its inputs.
func inputDriftTests(ctx context.Context, old, cfg experiments.Config, o Options) ([]DriftResult, error) {
	po, ok, err := experiments.Profile(ctx, old, experiments.RunOptions{Log: o.Log})
	if err != nil {
		return nil, fmt.Errorf("retrain: the champion's data: %w", err)
	}
	if !ok {
		o.Log.Info("retrain: the task does not profile its inputs; only the champion's outputs are tested for drift")
		return nil, nil
	}
	pn, _, err := experiments.Profile(ctx, cfg, experiments.RunOptions{Log: o.Log})
	if err != nil {
		return nil, fmt.Errorf("retrain: the new data: %w", err)
	}
	return inputDrift(po, pn, o.Drift)
}

// minClassRows is the fewest rows of a class, in both samples, for the
// per-class drift tests of the champion's outputs.
const minClassRows = 20

// outputDrift compares the champion's outputs on its own held-out data
// (champ, the run it was trained in) with its outputs on the new window
// (champOut):
//
//   - when both hold holdout.json with probabilities, the class
//     probabilities ("probability"), and per class ("probability|label=1",
//     "probability|label=0") when each class has at least minClassRows
//     rows in both, so that a change of prevalence alone is told apart
//     from a change within a class;
//   - else, when both hold scores.json, every unit's primary score
//     ("score <name>"), as before holdout.json existed;
//   - else, when both hold holdout.json, its scores ("score", and per
//     class as for probabilities).
//
// A holdout.json that exists but breaks the contract is an error, not a
// reason to fall back.
func outputDrift(champ, champOut string, cfg DriftConfig) ([]DriftResult, error) {
	ref, err := optionalHoldout(champ)
	if err != nil {
		return nil, err
	}
	cur, err := optionalHoldout(champOut)
	if err != nil {
		return nil, err
	}
	if ref != nil && cur != nil && ref.Probabilities != nil && cur.Probabilities != nil {
		return holdoutDrift("probability", ref.Probabilities, ref.Labels, cur.Probabilities, cur.Labels, cfg)
	}
	refScores, curScores := filepath.Join(champ, "scores.json"), filepath.Join(champOut, "scores.json")
	if exists(refScores) && exists(curScores) {
		a, name, err := primaryScores(refScores)
		if err != nil {
			return nil, err
		}
		b, _, err := primaryScores(curScores)
		if err != nil {
			return nil, err
		}
		return numericDrift("score "+name, a, b, cfg)
	}
	if ref != nil && cur != nil {
		return holdoutDrift("score", ref.Scores, ref.Labels, cur.Scores, cur.Labels, cfg)
	}
	return nil, fmt.Errorf("retrain: nothing to test the champion's outputs for drift on: need scores.json or %s both in %s and in %s",
		compare.HoldoutFile, champ, champOut)
}

// holdoutDrift is numericDrift on all rows and, when both classes have
// minClassRows rows in both samples, on each class.
func holdoutDrift(feature string, ref []float64, refLabels []bool, cur []float64, curLabels []bool, cfg DriftConfig) ([]DriftResult, error) {
	out, err := numericDrift(feature, ref, cur, cfg)
	if err != nil {
		return nil, err
	}
	split := func(v []float64, labels []bool, class bool) []float64 {
		var s []float64
		for i, l := range labels {
			if l == class {
				s = append(s, v[i])
			}
		}
		return s
	}
	r1, r0 := split(ref, refLabels, true), split(ref, refLabels, false)
	c1, c0 := split(cur, curLabels, true), split(cur, curLabels, false)
	if min(len(r1), len(r0), len(c1), len(c0)) < minClassRows {
		return out, nil
	}
	for _, c := range []struct {
		name     string
		ref, cur []float64
	}{{"|label=1", r1, c1}, {"|label=0", r0, c0}} {
		rs, err := numericDrift(feature+c.name, c.ref, c.cur, cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// optionalHoldout reads dir's holdout.json; nil when there is none.
func optionalHoldout(dir string) (*compare.Holdout, error) {
	path := filepath.Join(dir, compare.HoldoutFile)
	if !exists(path) {
		return nil, nil
	}
	h, err := compare.ReadHoldout(path)
	if err != nil {
		return nil, fmt.Errorf("retrain: %w", err)
	}
	return &h, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// inputDrift tests every feature the two profiles share.
func inputDrift(old, cur tasks.Profile, cfg DriftConfig) ([]DriftResult, error) {
	var out []DriftResult
	for _, k := range sortedKeys(old.Categorical) {
		c, ok := cur.Categorical[k]
		if !ok || len(old.Categorical[k]) == 0 || len(c) == 0 {
			continue
		}
		r, err := drift.PSICategorical(old.Categorical[k], c, cfg.PSI)
		if err != nil {
			return nil, fmt.Errorf("retrain: input %s: %w", k, err)
		}
		out = append(out, DriftResult{Feature: "input " + k, Test: "psi", Value: r.PSI, Level: r.Level})
	}
	for _, k := range sortedKeys(old.Numeric) {
		c, ok := cur.Numeric[k]
		if !ok || len(old.Numeric[k]) == 0 || len(c) == 0 {
			continue
		}
		rs, err := numericDrift("input "+k, old.Numeric[k], c, cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// numericDrift is PSI and KS on two samples of one feature.
func numericDrift(feature string, a, b []float64, cfg DriftConfig) ([]DriftResult, error) {
	p, err := drift.PSI(a, b, cfg.PSI)
	if err != nil {
		return nil, fmt.Errorf("retrain: %s: %w", feature, err)
	}
	k, err := drift.KS(a, b, drift.KSConfig{Alpha: cfg.KSAlpha})
	if err != nil {
		return nil, fmt.Errorf("retrain: %s: %w", feature, err)
	}
	level := drift.LevelOK
	if k.Drift {
		level = drift.LevelWarn
	}
	return []DriftResult{
		{Feature: feature, Test: "psi", Value: p.PSI, Level: p.Level},
		{Feature: feature, Test: "ks", Value: k.D, P: k.PValue, Level: level},
	}, nil
}

// primaryScores reads a run's scores.json: every unit's first score on
// its held-out normal data (set "validation", else "test").
func primaryScores(path string) ([]float64, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	var units []tasks.Result
	if err := json.Unmarshal(b, &units); err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	var vals []float64
	name := ""
	for _, u := range units {
		set := "validation"
		if _, ok := u.Scores[set]; !ok {
			set = "test"
		}
		s, err := u.Primary(set)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
		name = s.Name
		vals = append(vals, s.Values...)
	}
	if len(vals) == 0 {
		return nil, "", fmt.Errorf("%s: no scores", path)
	}
	return vals, name, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
