package cv

import (
	"fmt"
	"math/rand/v2"
)

// seedStream is the PCG stream constant from which RepeatedNested derives
// the seeds of its splits.
const seedStream = 0xda942042e4dd58b5

// Split is a training part and a test part, as indices into the caller's
// data, each ascending and disjoint from the other.
type Split struct {
	Train []int `json:"train"`
	Test  []int `json:"test"`
}

// OuterFold is one outer fold of repeated nested cross-validation: the outer
// split, and Inner, the inner folds over the outer training part only. Every
// index of Inner, in a Train or a Test, belongs to Outer.Train, so tuning on
// the inner folds never sees Outer.Test.
type OuterFold struct {
	Repeat int     `json:"repeat"`
	Fold   int     `json:"fold"`
	Outer  Split   `json:"outer"`
	Inner  []Split `json:"inner"`
}

// RepeatedNested returns the folds of repeats rounds of nested
// cross-validation, repeat-major then by outer fold. Each round splits all
// items into outerK outer folds; for each, the remaining items (the outer
// training part) are split again into innerK inner folds, each inner split
// being that training part less one inner test fold.
//
// With groups nil every item is its own group and both levels use
// StratifiedKFold with shuffling; otherwise (groups[i] names item i's group,
// a user say) both levels use StratifiedGroupKFold with shuffling, so no
// group is ever split across an outer or an inner train/test boundary. All
// seeds derive from seed, so equal arguments give equal folds. Rounds differ
// only as far as the shuffle can move things: with groups, StratifiedGroupKFold
// only reorders groups of equal class spread, so rounds over groups of
// distinct compositions may repeat the same folds.
//
// Errors: labels empty, groups of another length, repeats < 1, those of the
// splitters (outerK or innerK < 2, fewer groups than folds, ...), and
// ErrOneClassFold when an outer or inner test fold lacks positives or
// negatives.
func RepeatedNested(labels []bool, groups []string, outerK, innerK, repeats int, seed uint64) ([]OuterFold, error) {
	if len(labels) == 0 {
		return nil, fmt.Errorf("cv: no labels")
	}
	if groups != nil && len(groups) != len(labels) {
		return nil, fmt.Errorf("cv: %d labels but %d groups", len(labels), len(groups))
	}
	if repeats < 1 {
		return nil, fmt.Errorf("cv: %d repeats, need at least 1", repeats)
	}
	seeds := rand.New(rand.NewPCG(seed, seedStream))
	var out []OuterFold
	for r := range repeats {
		outerTests, err := split(labels, groups, outerK, seeds.Uint64())
		if err != nil {
			return nil, fmt.Errorf("cv: repeat %d outer folds: %w", r, err)
		}
		for f, test := range outerTests {
			if err := checkBothClasses(test, labels); err != nil {
				return nil, fmt.Errorf("repeat %d outer fold %d: %w", r, f, err)
			}
			train := complement(test, len(labels))
			inner, err := innerSplits(labels, groups, train, innerK, seeds.Uint64())
			if err != nil {
				return nil, fmt.Errorf("cv: repeat %d outer fold %d: %w", r, f, err)
			}
			out = append(out, OuterFold{Repeat: r, Fold: f, Outer: Split{Train: train, Test: test}, Inner: inner})
		}
	}
	return out, nil
}

// innerSplits splits the items train (indices into labels and groups) into
// k inner folds, returning the splits as indices into labels.
func innerSplits(labels []bool, groups []string, train []int, k int, seed uint64) ([]Split, error) {
	subLabels := make([]bool, len(train))
	var subGroups []string
	if groups != nil {
		subGroups = make([]string, len(train))
	}
	for j, i := range train {
		subLabels[j] = labels[i]
		if groups != nil {
			subGroups[j] = groups[i]
		}
	}
	tests, err := split(subLabels, subGroups, k, seed)
	if err != nil {
		return nil, fmt.Errorf("inner folds: %w", err)
	}
	splits := make([]Split, len(tests))
	for f, test := range tests {
		if err := checkBothClasses(test, subLabels); err != nil {
			return nil, fmt.Errorf("inner fold %d: %w", f, err)
		}
		subTrain := complement(test, len(train))
		splits[f] = Split{Train: lookup(train, subTrain), Test: lookup(train, test)}
	}
	return splits, nil
}

// split returns shuffled stratified test folds, grouped when groups is not
// nil.
func split(labels []bool, groups []string, k int, seed uint64) ([][]int, error) {
	if groups == nil {
		return StratifiedKFold(labels, k, true, seed)
	}
	return StratifiedGroupKFold(labels, groups, k, true, seed)
}

// complement returns the ascending indices of 0..n-1 not in the ascending
// slice test.
func complement(test []int, n int) []int {
	out := make([]int, 0, n-len(test))
	j := 0
	for i := range n {
		if j < len(test) && test[j] == i {
			j++
			continue
		}
		out = append(out, i)
	}
	return out
}

// lookup maps positions into base to base's values.
func lookup(base, positions []int) []int {
	out := make([]int, len(positions))
	for j, p := range positions {
		out[j] = base[p]
	}
	return out
}

func checkBothClasses(idx []int, labels []bool) error {
	pos := 0
	for _, i := range idx {
		if labels[i] {
			pos++
		}
	}
	if pos == 0 || pos == len(idx) {
		return fmt.Errorf("%w (%d positives of %d)", ErrOneClassFold, pos, len(idx))
	}
	return nil
}
