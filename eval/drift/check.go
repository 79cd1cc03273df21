package drift

import (
	"errors"
	"fmt"
	"math"
)

// ErrEmpty is wrapped by the error returned for an empty sample.
var ErrEmpty = errors.New("drift: empty sample")

// ErrNaN is wrapped by the error returned for a NaN value in a sample.
var ErrNaN = errors.New("drift: NaN value")

// ErrInfinite is wrapped by the error returned for an infinite value in a
// PSI reference sample (its quantiles become bin edges, so they must be finite).
var ErrInfinite = errors.New("drift: infinite value")

// checkSample rejects an empty sample and NaN values; with finite set it
// also rejects ±Inf. name is the sample's name in error messages.
func checkSample(name string, x []float64, finite bool) error {
	if len(x) == 0 {
		return fmt.Errorf("%w: %s has no values", ErrEmpty, name)
	}
	for i, v := range x {
		if math.IsNaN(v) {
			return fmt.Errorf("%w: %s[%d] is NaN", ErrNaN, name, i)
		}
		if finite && math.IsInf(v, 0) {
			return fmt.Errorf("%w: %s[%d] is %v", ErrInfinite, name, i, v)
		}
	}
	return nil
}
