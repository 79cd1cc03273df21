package oversample

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// DefaultK is the number of nearest minority neighbours used when K is zero;
// it matches k_neighbors=5 of the reference implementations.
const DefaultK = 5

// pcgStream is the second PCG seed word; the first is the user's Seed.
const pcgStream = 0x6f76657273616d70 // "oversamp"

var (
	// ErrInvalidInput reports empty data, mismatched lengths, rows of
	// differing width, non-finite values or a negative sample count.
	ErrInvalidInput = errors.New("oversample: invalid input")
	// ErrInvalidParam reports an out-of-range oversampler setting.
	ErrInvalidParam = errors.New("oversample: invalid parameter")
	// ErrTooFewMinority reports fewer minority rows than the neighbour
	// search needs: at least 2, and at least K+1.
	ErrTooFewMinority = errors.New("oversample: too few minority samples")
)

// classes holds the rows of the class being oversampled and of the other
// class, in input order. The row slices alias the caller's.
type classes struct {
	minority, majority [][]float64
}

// splitClasses validates x and y and separates rows whose label equals
// minorityLabel from the rest.
func splitClasses(x [][]float64, y []bool, minorityLabel bool) (classes, error) {
	var c classes
	if len(x) == 0 {
		return c, fmt.Errorf("%w: no rows", ErrInvalidInput)
	}
	if len(x) != len(y) {
		return c, fmt.Errorf("%w: %d rows but %d labels", ErrInvalidInput, len(x), len(y))
	}
	dim := len(x[0])
	if dim == 0 {
		return c, fmt.Errorf("%w: rows have no features", ErrInvalidInput)
	}
	for i, row := range x {
		if len(row) != dim {
			return c, fmt.Errorf("%w: row %d has %d features, row 0 has %d", ErrInvalidInput, i, len(row), dim)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return c, fmt.Errorf("%w: x[%d][%d] = %v is not finite", ErrInvalidInput, i, j, v)
			}
		}
		if y[i] == minorityLabel {
			c.minority = append(c.minority, row)
		} else {
			c.majority = append(c.majority, row)
		}
	}
	return c, nil
}

// resolveK applies the default to k and checks it against nMin minority
// rows. Like the reference implementations (scikit-learn's NearestNeighbors
// raises when asked for more neighbours than there are samples), K is never
// silently reduced: K > nMin-1 is an error.
func resolveK(k, nMin int) (int, error) {
	if k == 0 {
		k = DefaultK
	}
	if k < 0 {
		return 0, fmt.Errorf("%w: K = %d, want >= 1 (0 means %d)", ErrInvalidParam, k, DefaultK)
	}
	if nMin < 2 {
		return 0, fmt.Errorf("%w: %d minority rows, need at least 2", ErrTooFewMinority, nMin)
	}
	if k > nMin-1 {
		return 0, fmt.Errorf("%w: K = %d neighbours need at least %d minority rows, have %d",
			ErrTooFewMinority, k, k+1, nMin)
	}
	return k, nil
}

func checkCount(nNew int) error {
	if nNew < 0 {
		return fmt.Errorf("%w: nNew = %d, want >= 0", ErrInvalidInput, nNew)
	}
	return nil
}

func newRNG(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, pcgStream))
}

func sqDist(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

// neighbourCache computes, on first use, the k nearest rows of pts to pts[i]
// other than pts[i] itself, ordered by distance and then by index.
// Duplicates of pts[i] at other indices count as neighbours at distance 0.
type neighbourCache struct {
	pts  [][]float64
	k    int
	rows [][]int
}

func newNeighbourCache(pts [][]float64, k int) *neighbourCache {
	return &neighbourCache{pts: pts, k: k, rows: make([][]int, len(pts))}
}

func (c *neighbourCache) neighbours(i int) []int {
	if c.rows[i] != nil {
		return c.rows[i]
	}
	idx := make([]int, 0, c.k)
	dist := make([]float64, 0, c.k)
	for j, p := range c.pts {
		if j == i {
			continue
		}
		d := sqDist(c.pts[i], p)
		if len(idx) == c.k && d >= dist[c.k-1] {
			continue
		}
		// Insert after every entry with distance <= d, keeping index order
		// among ties (j increases through the loop).
		pos := len(idx)
		for pos > 0 && dist[pos-1] > d {
			pos--
		}
		if len(idx) < c.k {
			idx = append(idx, 0)
			dist = append(dist, 0)
		}
		copy(idx[pos+1:], idx[pos:len(idx)-1])
		copy(dist[pos+1:], dist[pos:len(dist)-1])
		idx[pos], dist[pos] = j, d
	}
	c.rows[i] = idx
	return idx
}

// nearest returns the index of the row of pts nearest to q (lowest index on
// ties). pts must be non-empty.
func nearest(pts [][]float64, q []float64) int {
	best, bestD := 0, math.Inf(1)
	for j, p := range pts {
		if d := sqDist(q, p); d < bestD {
			best, bestD = j, d
		}
	}
	return best
}

// balance appends to x and y the rows produced by gen for the smaller class
// until both classes have equal counts. The returned x' shares the row
// slices of x; y' is a new slice.
func balance(x [][]float64, y []bool, gen func(minorityLabel bool, nNew int) ([][]float64, error)) ([][]float64, []bool, error) {
	nTrue := 0
	for _, v := range y {
		if v {
			nTrue++
		}
	}
	nFalse := len(y) - nTrue
	label, nNew := true, nFalse-nTrue
	if nTrue > nFalse {
		label, nNew = false, nTrue-nFalse
	}
	xNew, err := gen(label, nNew)
	if err != nil {
		return nil, nil, err
	}
	xOut := make([][]float64, 0, len(x)+len(xNew))
	xOut = append(append(xOut, x...), xNew...)
	yOut := make([]bool, len(y), len(y)+len(xNew))
	copy(yOut, y)
	for range xNew {
		yOut = append(yOut, label)
	}
	return xOut, yOut, nil
}
