package datasets

import (
	"math"
	"math/rand/v2"
	"sort"
)

// popularityExp shapes the global popularity of non-common commands: the
// k-th (0-based) is chosen into personal subsets with weight 1/(k+1)^exp,
// so popular tools are shared by many users and masqueraders.
const popularityExp = 1.0

// weightedSample draws up to n distinct items of pool without replacement,
// item k with weight 1/(k+1)^popularityExp, skipping excluded items; the
// result is in draw order (Efraimidis-Spirakis keys u^(1/w)).
func weightedSample(pool []int, n int, exclude map[int]bool, rng *rand.Rand) []int {
	type keyed struct {
		item int
		key  float64
	}
	ks := make([]keyed, 0, len(pool))
	for k, it := range pool {
		u := rng.Float64()
		if exclude[it] {
			continue
		}
		w := 1 / math.Pow(float64(k+1), popularityExp)
		ks = append(ks, keyed{it, math.Log(u) / w})
	}
	sort.SliceStable(ks, func(a, b int) bool { return ks[a].key > ks[b].key })
	out := make([]int, 0, n)
	for _, k := range ks[:min(n, len(ks))] {
		out = append(out, k.item)
	}
	return out
}
