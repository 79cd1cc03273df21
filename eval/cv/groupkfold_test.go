package cv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestStratifiedGroupKFoldMatchesSklearn(t *testing.T) {
	for _, g := range stratifiedGroupKFoldGolden {
		got, err := StratifiedGroupKFold(g.labels, g.groups, g.k, false, 0)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if !equalFolds(got, g.folds) {
			t.Errorf("%s:\n got %v\nwant %v", g.name, got, g.folds)
		}
	}
}

func TestStratifiedGroupKFoldProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 60 {
		n := 40 + rng.IntN(160)
		k := 2 + rng.IntN(4)
		nGroups := k + rng.IntN(30)
		labels, groups := randomGrouped(rng, n, nGroups)
		shuffle := trial%2 == 0
		folds, err := StratifiedGroupKFold(labels, groups, k, shuffle, rng.Uint64())
		if err != nil {
			t.Fatal(err)
		}
		checkPartition(t, folds, n)
		checkGroupsUnsplit(t, folds, groups)
		// Balance: each fold's share of the positives within 0.25 of 1/k
		// when there are enough positive groups to go round.
		posGroups := map[string]bool{}
		pos := 0
		for i, l := range labels {
			if l {
				posGroups[groups[i]] = true
				pos++
			}
		}
		if len(posGroups) >= 3*k {
			for f, fold := range folds {
				share := float64(countClass(fold, labels, true)) / float64(pos)
				if math.Abs(share-1/float64(k)) > 0.25 {
					t.Errorf("trial %d: fold %d holds %.2f of the positives with k %d", trial, f, share, k)
				}
			}
		}
	}
}

func TestStratifiedGroupKFoldShuffleMovesTiedGroups(t *testing.T) {
	// Singleton groups tie in spread, so shuffling reorders them.
	n := 30
	labels := make([]bool, n)
	groups := make([]string, n)
	for i := range n {
		labels[i] = i%5 == 0
		groups[i] = fmt.Sprintf("u%02d", i)
	}
	plain, _ := StratifiedGroupKFold(labels, groups, 3, false, 0)
	a, _ := StratifiedGroupKFold(labels, groups, 3, true, 1)
	a2, _ := StratifiedGroupKFold(labels, groups, 3, true, 1)
	b, _ := StratifiedGroupKFold(labels, groups, 3, true, 2)
	if equalFolds(plain, a) || equalFolds(a, b) || !equalFolds(a, a2) {
		t.Error("shuffle is not seed-deterministic or does not move tied groups")
	}
}

func TestStratifiedGroupKFoldErrors(t *testing.T) {
	labels := []bool{true, false, true, false}
	if _, err := StratifiedGroupKFold(labels, []string{"a", "b"}, 2, false, 0); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := StratifiedGroupKFold(labels, []string{"a", "a", "b", "b"}, 3, false, 0); err == nil {
		t.Error("fewer groups than folds accepted")
	}
	if _, err := StratifiedGroupKFold(labels, []string{"a", "b", "c", "d"}, 1, false, 0); err == nil {
		t.Error("k 1 accepted")
	}
	if _, err := StratifiedGroupKFold(labels, []string{"a", "b", "c", "d"}, 3, false, 0); err == nil {
		t.Error("k above every class count accepted")
	}
}

// randomGrouped draws n items in nGroups groups of uneven sizes, with
// positives concentrated in about a fifth of the groups.
func randomGrouped(rng *rand.Rand, n, nGroups int) ([]bool, []string) {
	labels := make([]bool, n)
	groups := make([]string, n)
	for i := range n {
		g := rng.IntN(nGroups)
		if i < nGroups {
			g = i // every group used
		}
		groups[i] = fmt.Sprintf("user%03d", g)
		labels[i] = g%5 == 0 && rng.IntN(2) == 0
	}
	labels[0] = true
	labels[1] = false
	return labels, groups
}

// checkGroupsUnsplit fails when a group appears in two folds.
func checkGroupsUnsplit(t *testing.T, folds [][]int, groups []string) {
	t.Helper()
	foldOf := map[string]int{}
	for f, fold := range folds {
		for _, i := range fold {
			if g, ok := foldOf[groups[i]]; ok && g != f {
				t.Fatalf("group %s in folds %d and %d", groups[i], g, f)
			}
			foldOf[groups[i]] = f
		}
	}
}
