package cv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// StratifiedGroupKFold splits the indices 0..len(labels)-1 into k test folds
// such that no group (groups[i] names item i's group, a user say) lies in
// two folds, while each fold's share of every class stays as even as the
// groups allow. It follows scikit-learn's StratifiedGroupKFold (version
// 1.2), a greedy heuristic: groups, in the order of their sorted names,
// are stably sorted by the standard deviation of their per-class counts,
// largest first, and each in turn joins the fold that minimises the mean
// over classes of the standard deviation across folds of the fold's share
// of that class (count in fold / class total); a near tie (NumPy's isclose)
// goes to the fold with fewer items, and an exact tie to the lower fold.
// Classes present are numbered false, true. Each fold's indices are
// ascending.
//
// Without shuffle the folds equal scikit-learn's for the same labels and
// groups, float rounding included. With shuffle, the groups are permuted by
// a PCG generator seeded with seed before the stable sort, so only groups
// of equal spread change places; scikit-learn 1.2 instead permutes the rows
// of its per-group count table, detaching counts from group names (a known
// defect), so its shuffled folds are not reproduced.
//
// Errors: lengths differ, k < 2, fewer distinct groups than k (a fold would
// be empty), or k larger than the count of every class.
func StratifiedGroupKFold(labels []bool, groups []string, k int, shuffle bool, seed uint64) ([][]int, error) {
	n := len(labels)
	if len(groups) != n {
		return nil, fmt.Errorf("cv: %d labels but %d groups", n, len(groups))
	}
	if k < 2 {
		return nil, fmt.Errorf("cv: %d folds, need at least 2", k)
	}
	// Classes present, false before true, as np.unique orders them.
	var present [2]int
	for _, l := range labels {
		present[boolIndex(l)]++
	}
	var classTotal []float64
	classOf := [2]int{-1, -1}
	for c, cnt := range present {
		if cnt > 0 {
			classOf[c] = len(classTotal)
			classTotal = append(classTotal, float64(cnt))
		}
	}
	if k > present[0] && k > present[1] {
		return nil, fmt.Errorf("cv: %d folds exceed the count of every class (%d negatives, %d positives)", k, present[0], present[1])
	}
	names := slices.Clone(groups)
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) < k {
		return nil, fmt.Errorf("cv: %d folds but only %d groups", k, len(names))
	}
	groupOf := make([]int, n)
	counts := make([][]float64, len(names))
	for g := range counts {
		counts[g] = make([]float64, len(classTotal))
	}
	for i, name := range groups {
		g, _ := slices.BinarySearch(names, name)
		groupOf[i] = g
		counts[g][classOf[boolIndex(labels[i])]]++
	}

	order := make([]int, len(names))
	for g := range order {
		order[g] = g
	}
	if shuffle {
		rng := rand.New(rand.NewPCG(seed, shuffleStream))
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	}
	spread := make([]float64, len(names))
	for g := range names {
		spread[g] = npStd(counts[g])
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case spread[a] > spread[b]:
			return -1
		case spread[a] < spread[b]:
			return 1
		}
		return 0
	})

	perFold := make([][]float64, k)
	for f := range perFold {
		perFold[f] = make([]float64, len(classTotal))
	}
	foldOf := make([]int, len(names))
	for _, g := range order {
		f := bestFold(perFold, classTotal, counts[g])
		for c, v := range counts[g] {
			perFold[f][c] += v
		}
		foldOf[g] = f
	}
	assign := make([]int, n)
	for i, g := range groupOf {
		assign[i] = foldOf[g]
	}
	return foldsFromAssignment(assign, k), nil
}

// bestFold is scikit-learn's _find_best_fold: the fold whose taking
// groupCounts minimises the mean over classes of the population standard
// deviation across folds of count/classTotal.
func bestFold(perFold [][]float64, classTotal, groupCounts []float64) int {
	best := -1
	minEval := math.Inf(1)
	minSamples := math.Inf(1)
	share := make([]float64, len(perFold))
	for f := range perFold {
		for c, v := range groupCounts {
			perFold[f][c] += v
		}
		sumStd := 0.0
		for c := range classTotal {
			for j := range perFold {
				share[j] = perFold[j][c] / classTotal[c]
			}
			sumStd += npStd(share)
		}
		for c, v := range groupCounts {
			perFold[f][c] -= v
		}
		eval := sumStd / float64(len(classTotal))
		samples := 0.0
		for _, v := range perFold[f] {
			samples += v
		}
		if eval < minEval || (isClose(eval, minEval) && samples < minSamples) {
			best, minEval, minSamples = f, eval, samples
		}
	}
	return best
}

// npStd is NumPy's np.std with ddof 0, summing in index order as NumPy does
// for these short vectors.
func npStd(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		d := x - mean
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(xs)))
}

// isClose is NumPy's isclose(a, b) with its default tolerances for finite a:
// false against an infinite b.
func isClose(a, b float64) bool {
	if math.IsInf(b, 0) {
		return false
	}
	return math.Abs(a-b) <= 1e-8+1e-5*math.Abs(b)
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}
