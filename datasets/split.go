package datasets

import "fmt"

// Range is the half-open index range [Lo, Hi).
type Range struct {
	Lo, Hi int
}

// Len is the number of indices in r.
func (r Range) Len() int { return r.Hi - r.Lo }

// SplitTrainVal splits n windows in order: the first nTrain are for
// training, the remaining n-nTrain for validation. It fails when nTrain is
// negative or greater than n.
func SplitTrainVal(n, nTrain int) (train, val Range, err error) {
	if nTrain < 0 || nTrain > n {
		return Range{}, Range{}, fmt.Errorf("datasets: cannot take %d training windows out of %d", nTrain, n)
	}
	return Range{0, nTrain}, Range{nTrain, n}, nil
}
