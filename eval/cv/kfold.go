package cv

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// shuffleStream is the PCG stream constant of every shuffle in this package;
// the caller's seed picks the state, so equal seeds give equal folds.
const shuffleStream = 0x2545f4914f6cdd1d

// ErrOneClassFold is returned by RepeatedNested (and so NestedCV) when an
// outer or inner test fold lacks positives or negatives, so that a ranking
// metric such as average precision is undefined on it. Fewer folds, or more
// positive groups, remove it.
var ErrOneClassFold = errors.New("cv: a test fold lacks one class")

// StratifiedKFold splits the indices 0..len(labels)-1 into k test folds,
// each holding as nearly as possible the same number of items of each class,
// exactly as scikit-learn's StratifiedKFold (version 1.2) does: classes are
// numbered by first appearance, the per-fold allocation is a round robin
// over the labels sorted by that number, and each class hands its items, in
// index order, to folds 0, 0, ..., 1, 1, ... by that allocation. So every
// fold's count of a class differs from another fold's by at most one.
//
// Without shuffle the folds equal scikit-learn's for the same labels. With
// shuffle, each class's fold assignment is permuted by a PCG generator
// seeded with seed, which is deterministic but not NumPy's stream, so the
// folds differ from scikit-learn's shuffled ones. Each fold's indices are
// ascending. Errors: k < 2, k > len(labels), or k larger than the count of
// every class (scikit-learn's rule; a class smaller than k leaves some folds
// without it, which is allowed).
func StratifiedKFold(labels []bool, k int, shuffle bool, seed uint64) ([][]int, error) {
	n := len(labels)
	if k < 2 || k > n {
		return nil, fmt.Errorf("cv: %d folds of %d items, need 2 <= k <= items", k, n)
	}
	// Class 0 is the class of labels[0], class 1 the other.
	class := func(i int) int {
		if labels[i] == labels[0] {
			return 0
		}
		return 1
	}
	var counts [2]int
	for i := range labels {
		counts[class(i)]++
	}
	if k > counts[0] && k > counts[1] {
		return nil, fmt.Errorf("cv: %d folds exceed the count of every class (%d, %d)", k, counts[0], counts[1])
	}
	// allocation[f][c] counts class c among positions f, f+k, ... of the
	// labels sorted by class (counts[0] zeros, then ones).
	allocation := make([][2]int, k)
	for j := range n {
		c := 0
		if j >= counts[0] {
			c = 1
		}
		allocation[j%k][c]++
	}
	var rng *rand.Rand
	if shuffle {
		rng = rand.New(rand.NewPCG(seed, shuffleStream))
	}
	testFold := make([]int, n)
	for c := range 2 {
		foldsForClass := make([]int, 0, counts[c])
		for f := range k {
			for range allocation[f][c] {
				foldsForClass = append(foldsForClass, f)
			}
		}
		if shuffle {
			rng.Shuffle(len(foldsForClass), func(a, b int) {
				foldsForClass[a], foldsForClass[b] = foldsForClass[b], foldsForClass[a]
			})
		}
		next := 0
		for i := range labels {
			if class(i) == c {
				testFold[i] = foldsForClass[next]
				next++
			}
		}
	}
	return foldsFromAssignment(testFold, k), nil
}

// foldsFromAssignment lists, for each of k folds, the ascending indices i
// with assign[i] equal to it.
func foldsFromAssignment(assign []int, k int) [][]int {
	folds := make([][]int, k)
	for i, f := range assign {
		folds[f] = append(folds[f], i)
	}
	return folds
}
