package cv

import (
	"context"
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/eval"
)

// Data is what the splitters need to know of the caller's rows; fit and
// score receive indices into the caller's own arrays.
type Data struct {
	// Labels holds one class per row, true for a positive (an anomaly).
	Labels []bool
	// Groups names each row's group (a user, a host); nil makes each row
	// its own group.
	Groups []string
}

// NestedConfig sets up NestedCV. Zero fields take the stated defaults.
type NestedConfig struct {
	// OuterK is the number of outer folds; 0 means 5.
	OuterK int
	// InnerK is the number of inner folds over each outer training part;
	// 0 means 3.
	InnerK int
	// Repeats is the number of outer rounds; 0 means 1.
	Repeats int
	// Seed seeds every split (through RepeatedNested) and, unless CI sets
	// its own, the bootstrap across folds; 0 is a valid seed.
	Seed uint64
	// CI configures the bootstrap interval of the mean outer score; nil
	// means eval's defaults (2000 resamples, 95%) with Seed.
	CI *eval.BootstrapOptions
}

func (c NestedConfig) withDefaults() NestedConfig {
	if c.OuterK == 0 {
		c.OuterK = 5
	}
	if c.InnerK == 0 {
		c.InnerK = 3
	}
	if c.Repeats == 0 {
		c.Repeats = 1
	}
	if c.CI == nil {
		c.CI = &eval.BootstrapOptions{Seed: c.Seed}
	}
	return c
}

// FoldResult is the outcome of one outer fold.
type FoldResult struct {
	Repeat int `json:"repeat"`
	Fold   int `json:"fold"`
	// Chosen indexes the candidates: the one with the best mean inner score.
	Chosen int `json:"chosen"`
	// InnerMeans holds each candidate's mean score over the inner folds.
	InnerMeans []float64 `json:"inner_means"`
	// Score is the outer test score of Chosen refitted on Outer.Train.
	Score float64 `json:"score"`
	// Outer is the fold's split, kept for audit.
	Outer Split `json:"outer"`
}

// Result gathers the outer folds of NestedCV. Mean is the mean of the fold
// scores and CI a percentile bootstrap interval of that mean across folds
// (eval.BootstrapMean). Folds of one round share training items and rounds
// reuse the same items, so the interval understates the variance over
// fresh data; it is a summary of fold-to-fold spread.
type Result struct {
	Folds []FoldResult `json:"folds"`
	Mean  float64      `json:"mean"`
	CI    eval.CI      `json:"ci"`
}

// NestedCV runs repeated nested cross-validation over the folds of
// RepeatedNested(data.Labels, data.Groups, OuterK, InnerK, Repeats, Seed).
// For each outer fold it fits every candidate on each inner training part
// and scores it on the inner test part; picks the candidate with the highest
// mean inner score (the first among equals); refits that candidate on the
// whole outer training part; and scores it once on the outer test part.
// Higher scores are better (negate a loss).
//
// fit receives training indices and a candidate and returns a model; score
// receives a model and test indices. Neither may keep the slices. The outer
// test indices reach score exactly once per fold, after the choice, and
// never reach fit: selection cannot see the outer test fold. Calls are made
// one at a time, in the order described.
//
// Errors: no candidates, nil fit or score, those of RepeatedNested, a fit or
// score error (wrapped with its repeat, fold and candidate), a NaN score,
// those of eval.BootstrapMean, and ctx's error once ctx is done (checked
// before every fit).
func NestedCV[M, P any](
	ctx context.Context,
	data Data,
	cfg NestedConfig,
	fit func(train []int, params P) (M, error),
	candidates []P,
	score func(model M, test []int) (float64, error),
) (Result, error) {
	if len(candidates) == 0 {
		return Result{}, fmt.Errorf("cv: no candidates")
	}
	if fit == nil || score == nil {
		return Result{}, fmt.Errorf("cv: nil fit or score function")
	}
	cfg = cfg.withDefaults()
	folds, err := RepeatedNested(data.Labels, data.Groups, cfg.OuterK, cfg.InnerK, cfg.Repeats, cfg.Seed)
	if err != nil {
		return Result{}, err
	}
	fitScore := func(train, test []int, c int) (float64, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		m, err := fit(train, candidates[c])
		if err != nil {
			return 0, fmt.Errorf("fit candidate %d: %w", c, err)
		}
		s, err := score(m, test)
		if err != nil {
			return 0, fmt.Errorf("score candidate %d: %w", c, err)
		}
		if math.IsNaN(s) {
			return 0, fmt.Errorf("score candidate %d is NaN", c)
		}
		return s, nil
	}

	res := Result{Folds: make([]FoldResult, 0, len(folds))}
	scores := make([]float64, 0, len(folds))
	for _, of := range folds {
		fr := FoldResult{Repeat: of.Repeat, Fold: of.Fold, Outer: of.Outer, InnerMeans: make([]float64, len(candidates))}
		for c := range candidates {
			sum := 0.0
			for i, in := range of.Inner {
				s, err := fitScore(in.Train, in.Test, c)
				if err != nil {
					return Result{}, fmt.Errorf("cv: repeat %d outer fold %d inner fold %d: %w", of.Repeat, of.Fold, i, err)
				}
				sum += s
			}
			fr.InnerMeans[c] = sum / float64(len(of.Inner))
			if fr.InnerMeans[c] > fr.InnerMeans[fr.Chosen] {
				fr.Chosen = c
			}
		}
		s, err := fitScore(of.Outer.Train, of.Outer.Test, fr.Chosen)
		if err != nil {
			return Result{}, fmt.Errorf("cv: repeat %d outer fold %d refit: %w", of.Repeat, of.Fold, err)
		}
		fr.Score = s
		res.Folds = append(res.Folds, fr)
		scores = append(scores, s)
	}
	sum := 0.0
	for _, s := range scores {
		sum += s
	}
	res.Mean = sum / float64(len(scores))
	if res.CI, err = eval.BootstrapMean(scores, cfg.CI); err != nil {
		return Result{}, fmt.Errorf("cv: interval across folds: %w", err)
	}
	return res, nil
}
