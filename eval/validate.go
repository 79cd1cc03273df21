package eval

import (
	"errors"
	"fmt"
	"math"
)

// ErrOneClass is returned when the labels contain no positives or no
// negatives, so that a rate over the missing class is undefined.
var ErrOneClass = errors.New("eval: labels need at least one positive and one negative")

// checkScores reports mismatched lengths and non-finite scores.
func checkScores(scores []float64, labels []bool) error {
	if len(scores) != len(labels) {
		return fmt.Errorf("eval: %d scores but %d labels", len(scores), len(labels))
	}
	return checkFinite(scores)
}

// checkFinite reports the first NaN or infinite value.
func checkFinite(scores []float64) error {
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("eval: score %d is %v, want a finite value", i, s)
		}
	}
	return nil
}

// countClasses returns the number of positive and negative labels and
// ErrOneClass when either is zero.
func countClasses(labels []bool) (pos, neg int, err error) {
	for _, l := range labels {
		if l {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return pos, neg, fmt.Errorf("%w (got %d positives, %d negatives)", ErrOneClass, pos, neg)
	}
	return pos, neg, nil
}

// checkRate reports a rate outside [0, 1], or outside [0, 1) when allowOne
// is false.
func checkRate(name string, r float64, allowOne bool) error {
	if math.IsNaN(r) || r < 0 || r > 1 || (!allowOne && r == 1) {
		upper := "1]"
		if !allowOne {
			upper = "1)"
		}
		return fmt.Errorf("eval: %s %v outside [0, %s", name, r, upper)
	}
	return nil
}
