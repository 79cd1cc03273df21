package cert

import (
	"math"
	"slices"
)

// percentile returns the p-th percentile (0 to 100) of sorted values,
// interpolating linearly between order statistics (NumPy's default).
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 1 {
		return sorted[0]
	}
	pos := p / 100 * float64(len(sorted)-1)
	i := int(math.Floor(pos))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
}

// clipColumns clips each column to its [p, 100-p] percentiles over the
// rows where it is not missing (NaN).
func clipColumns(rows []UserFeatures, p float64) {
	if len(rows) == 0 {
		return
	}
	col := make([]float64, 0, len(rows))
	for j := range rows[0].Values {
		col = col[:0]
		for _, r := range rows {
			if v := r.Values[j]; !math.IsNaN(v) {
				col = append(col, v)
			}
		}
		if len(col) == 0 {
			continue
		}
		slices.Sort(col)
		lo, hi := percentile(col, p), percentile(col, 100-p)
		for _, r := range rows {
			if v := r.Values[j]; !math.IsNaN(v) {
				r.Values[j] = min(max(v, lo), hi)
			}
		}
	}
}

// fillMissing replaces each NaN by the mean of its column over the rows
// that have a value, or 0 when none has.
func fillMissing(rows []UserFeatures) {
	if len(rows) == 0 {
		return
	}
	for j := range rows[0].Values {
		sum, n := 0.0, 0
		for _, r := range rows {
			if v := r.Values[j]; !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		mean := 0.0
		if n > 0 {
			mean = sum / float64(n)
		}
		for _, r := range rows {
			if math.IsNaN(r.Values[j]) {
				r.Values[j] = mean
			}
		}
	}
}
