package oversample

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// gaussianData returns nMin minority rows (label true) followed by nMaj
// majority rows shifted by +2 in every feature.
func gaussianData(rng *rand.Rand, nMin, nMaj, dim int) ([][]float64, []bool) {
	x := make([][]float64, 0, nMin+nMaj)
	y := make([]bool, 0, nMin+nMaj)
	for i := 0; i < nMin+nMaj; i++ {
		row := make([]float64, dim)
		for j := range row {
			row[j] = rng.NormFloat64()
			if i >= nMin {
				row[j] += 2
			}
		}
		x = append(x, row)
		y = append(y, i < nMin)
	}
	return x, y
}

func rowsWhere(x [][]float64, y []bool, label bool) [][]float64 {
	var out [][]float64
	for i, row := range x {
		if y[i] == label {
			out = append(out, row)
		}
	}
	return out
}

// sortedNeighbours is the reference neighbour search: sort all other rows by
// (squared distance, index) and keep the first k.
func sortedNeighbours(pts [][]float64, i, k int) []int {
	var idx []int
	for j := range pts {
		if j != i {
			idx = append(idx, j)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return sqDist(pts[i], pts[idx[a]]) < sqDist(pts[i], pts[idx[b]])
	})
	return idx[:k]
}

// segmentDistance returns the distance from p to the closed segment [a, b]
// and the position t in [0, 1] of the closest point a + t*(b-a).
func segmentDistance(p, a, b []float64) (dist, t float64) {
	var ab2, apab float64
	for i := range a {
		ab2 += (b[i] - a[i]) * (b[i] - a[i])
		apab += (p[i] - a[i]) * (b[i] - a[i])
	}
	if ab2 > 0 {
		t = math.Min(1, math.Max(0, apab/ab2))
	}
	var d2 float64
	for i := range a {
		d := p[i] - (a[i] + t*(b[i]-a[i]))
		d2 += d * d
	}
	return math.Sqrt(d2), t
}

// onNeighbourSegment reports whether p lies within tol of a segment from a
// minority row to one of its k nearest minority neighbours.
func onNeighbourSegment(p []float64, minority [][]float64, k int, tol float64) bool {
	for i := range minority {
		for _, j := range sortedNeighbours(minority, i, k) {
			if d, _ := segmentDistance(p, minority[i], minority[j]); d <= tol {
				return true
			}
		}
	}
	return false
}

func TestNeighbourCacheMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, _ := gaussianData(rng, 30, 0, 3)
	// Duplicates and exact ties exercise the index tie-break.
	x = append(x, slices.Clone(x[0]), slices.Clone(x[0]), []float64{9, 9, 9}, []float64{-9, -9, -9})
	for _, k := range []int{1, 3, 5, len(x) - 1} {
		cache := newNeighbourCache(x, k)
		for i := range x {
			got, want := cache.neighbours(i), sortedNeighbours(x, i, k)
			if !slices.Equal(got, want) {
				t.Fatalf("k=%d row %d: neighbours %v, want %v", k, i, got, want)
			}
		}
	}
}

func TestNearestTieLowestIndex(t *testing.T) {
	pts := [][]float64{{2, 0}, {-1, 0}, {1, 0}}
	if got := nearest(pts, []float64{0, 0}); got != 1 {
		t.Fatalf("nearest = %d, want 1", got)
	}
}
