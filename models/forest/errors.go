package forest

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Errors that TrainForest and TrainIsolation wrap; test them with
// errors.Is.
var (
	// ErrEmpty: no rows, or rows without features.
	ErrEmpty = errors.New("no training data")
	// ErrRagged: rows of different lengths, or as many labels as rows not.
	ErrRagged = errors.New("inconsistent shapes")
	// ErrNotFinite: a NaN or infinite feature, or one beyond the float32
	// range that the trees store features in (scikit-learn rejects those
	// too).
	ErrNotFinite = errors.New("feature not finite in float32")
	// ErrOneClass: every label is the same.
	ErrOneClass = errors.New("labels of one class only")
	// ErrConfig: a setting out of range.
	ErrConfig = errors.New("invalid configuration")
)

// toColumns validates x and returns it as float32 columns, one slice per
// feature, rounded as numpy's astype(float32) rounds.
func toColumns(x [][]float64) ([][]float32, error) {
	if len(x) == 0 {
		return nil, fmt.Errorf("forest: %w", ErrEmpty)
	}
	d := len(x[0])
	if d == 0 {
		return nil, fmt.Errorf("forest: rows have no features: %w", ErrEmpty)
	}
	cols := make([][]float32, d)
	for f := range cols {
		cols[f] = make([]float32, len(x))
	}
	for i, row := range x {
		if len(row) != d {
			return nil, fmt.Errorf("forest: row %d has %d features, row 0 has %d: %w", i, len(row), d, ErrRagged)
		}
		for f, v := range row {
			v32 := float32(v)
			if math.IsNaN(v) || math.IsInf(float64(v32), 0) {
				return nil, fmt.Errorf("forest: x[%d][%d] = %v: %w", i, f, v, ErrNotFinite)
			}
			cols[f][i] = v32
		}
	}
	return cols, nil
}

// labels checks y against n rows and returns it as class indices, 0 for
// false and 1 for true (scikit-learn's classes_ = [False, True]).
func labels(y []bool, n int) ([]uint8, error) {
	if len(y) != n {
		return nil, fmt.Errorf("forest: %d labels for %d rows: %w", len(y), n, ErrRagged)
	}
	if !slices.Contains(y, true) || !slices.Contains(y, false) {
		return nil, fmt.Errorf("forest: all %d labels are %v: %w", n, y[0], ErrOneClass)
	}
	out := make([]uint8, n)
	for i, v := range y {
		if v {
			out[i] = 1
		}
	}
	return out, nil
}

// toFloat32 rounds a query row as the trees stored the training rows. It
// panics if the row has the wrong length.
func toFloat32(x []float64, d int, who string) []float32 {
	if len(x) != d {
		panic(fmt.Sprintf("forest: %s on %d features, the model has %d", who, len(x), d))
	}
	out := make([]float32, d)
	for f, v := range x {
		out[f] = float32(v)
	}
	return out
}
