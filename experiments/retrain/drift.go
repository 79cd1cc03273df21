package retrain

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

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

// driftTests compares the champion's training inputs (old's data) with the
// new window's (cfg's), and the champion's scores on its own held-out data
// with its scores on the new window.
func driftTests(ctx context.Context, old, cfg experiments.Config, champ, champOut string, o Options) ([]DriftResult, error) {
	var out []DriftResult
	po, ok, err := experiments.Profile(ctx, old, experiments.RunOptions{Log: o.Log})
	if err != nil {
		return nil, fmt.Errorf("retrain: the champion's data: %w", err)
	}
	if ok {
		pn, _, err := experiments.Profile(ctx, cfg, experiments.RunOptions{Log: o.Log})
		if err != nil {
			return nil, fmt.Errorf("retrain: the new data: %w", err)
		}
		rs, err := inputDrift(po, pn, o.Drift)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	} else {
		o.Log.Info("retrain: the task does not profile its inputs; only the scores are tested for drift")
	}
	a, name, err := primaryScores(filepath.Join(champ, "scores.json"))
	if err != nil {
		return nil, err
	}
	b, _, err := primaryScores(filepath.Join(champOut, "scores.json"))
	if err != nil {
		return nil, err
	}
	rs, err := numericDrift("score "+name, a, b, o.Drift)
	return append(out, rs...), err
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
