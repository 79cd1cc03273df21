package cv

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestStratifiedKFoldMatchesSklearn(t *testing.T) {
	for _, g := range stratifiedKFoldGolden {
		got, err := StratifiedKFold(g.labels, g.k, false, 0)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if !equalFolds(got, g.folds) {
			t.Errorf("%s:\n got %v\nwant %v", g.name, got, g.folds)
		}
	}
}

func TestStratifiedKFoldShuffledProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 100 {
		n := 30 + rng.IntN(70)
		k := 2 + rng.IntN(9)
		labels := make([]bool, n)
		for i := range labels {
			labels[i] = rng.IntN(5) == 0
		}
		labels[0] = true // at least one of each class
		labels[1] = false
		seed := rng.Uint64()
		folds, err := StratifiedKFold(labels, k, true, seed)
		if err != nil {
			t.Fatal(err)
		}
		checkPartition(t, folds, n)
		for _, class := range []bool{true, false} {
			lo, hi := n, 0
			for _, f := range folds {
				c := countClass(f, labels, class)
				lo, hi = min(lo, c), max(hi, c)
			}
			if hi-lo > 1 {
				t.Fatalf("trial %d: class %v counts per fold range %d..%d", trial, class, lo, hi)
			}
		}
		again, _ := StratifiedKFold(labels, k, true, seed)
		if !equalFolds(folds, again) {
			t.Fatalf("trial %d: same seed, different folds", trial)
		}
	}
}

func TestStratifiedKFoldShuffleChangesFolds(t *testing.T) {
	labels := make([]bool, 40)
	for i := range labels {
		labels[i] = i%4 == 0
	}
	plain, _ := StratifiedKFold(labels, 4, false, 0)
	a, _ := StratifiedKFold(labels, 4, true, 1)
	b, _ := StratifiedKFold(labels, 4, true, 2)
	if equalFolds(plain, a) || equalFolds(a, b) {
		t.Error("shuffled folds equal the unshuffled ones or each other across seeds")
	}
}

func TestStratifiedKFoldErrors(t *testing.T) {
	labels := []bool{true, false, true, false}
	for _, k := range []int{0, 1, 5} {
		if _, err := StratifiedKFold(labels, k, false, 0); err == nil {
			t.Errorf("k %d accepted", k)
		}
	}
	if _, err := StratifiedKFold([]bool{true, false, false, true, false}, 4, false, 0); err == nil {
		t.Error("k above every class count accepted")
	}
}

// checkPartition fails unless folds hold each of 0..n-1 exactly once, each
// fold ascending and none empty.
func checkPartition(t *testing.T, folds [][]int, n int) {
	t.Helper()
	seen := make([]int, n)
	for f, fold := range folds {
		if len(fold) == 0 {
			t.Fatalf("fold %d empty", f)
		}
		if !slices.IsSorted(fold) {
			t.Fatalf("fold %d not ascending: %v", f, fold)
		}
		for _, i := range fold {
			seen[i]++
		}
	}
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("index %d in %d folds", i, c)
		}
	}
}

func countClass(idx []int, labels []bool, class bool) int {
	c := 0
	for _, i := range idx {
		if labels[i] == class {
			c++
		}
	}
	return c
}

func equalFolds(a, b [][]int) bool {
	return slices.EqualFunc(a, b, func(x, y []int) bool { return slices.Equal(x, y) })
}
