package miner

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// GroupFolds assigns rows to k cross-validation folds by program, so that
// no program has rows in two folds. Miner programs and the others are
// each shuffled and dealt to the folds in turn (the miners from fold 0,
// the others continuing where the miners stopped), so every fold gets a
// miner program when there are at least k of them. It returns the fold
// of each row. A program whose rows disagree on the label counts as a
// miner. It fails when k < 2 or there are fewer programs than k; a nil
// rng means a PCG seeded with (0, 0).
func GroupFolds(rows []FeatureRow, k int, rng *rand.Rand) ([]int, error) {
	if k < 2 {
		return nil, fmt.Errorf("miner: %d folds, want at least 2", k)
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	miner := map[string]bool{}
	var order []string // programs in first-seen order, for determinism
	for _, r := range rows {
		m, seen := miner[r.Program]
		if !seen {
			order = append(order, r.Program)
		}
		miner[r.Program] = m || r.Miner
	}
	if len(order) < k {
		return nil, fmt.Errorf("miner: %d programs for %d folds", len(order), k)
	}
	var pos, neg []string
	for _, p := range order {
		if miner[p] {
			pos = append(pos, p)
		} else {
			neg = append(neg, p)
		}
	}
	fold := map[string]int{}
	next := 0
	for _, group := range [][]string{pos, neg} {
		group = slices.Clone(group)
		rng.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
		for _, p := range group {
			fold[p] = next % k
			next++
		}
	}
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = fold[r.Program]
	}
	return out, nil
}
