package oversample

// SMOTE is the Synthetic Minority Over-sampling Technique of Chawla et al.
// (2002). Each synthetic row is
//
//	a + u*(b - a),  u ~ Uniform[0, 1),
//
// where a is a minority row drawn uniformly and b is drawn uniformly from
// the K nearest minority neighbours of a (a itself excluded). As in
// imbalanced-learn's SMOTE, the (a, b) pair is drawn as one uniform index
// over all nMin*K (row, neighbour) pairs.
type SMOTE struct {
	// K is the number of nearest minority neighbours; zero means DefaultK
	// (5). It must not exceed the number of minority rows minus one.
	K int
	// Seed seeds the PCG generator; equal seeds and inputs give equal output.
	Seed uint64
}

// Resample returns nNew synthetic rows of the class marked true in y. x and
// y are not modified, and the new rows share no memory with x. It returns
// ErrInvalidInput for empty or ragged x, len(x) != len(y), non-finite
// values or nNew < 0; ErrInvalidParam for K < 0; and, when nNew > 0,
// ErrTooFewMinority for fewer than 2 minority rows or K > minority rows - 1.
func (s SMOTE) Resample(x [][]float64, y []bool, nNew int) ([][]float64, error) {
	return s.resample(x, y, true, nNew)
}

// Balance returns x and y followed by synthetic rows of the smaller class
// until both classes have equal counts (nothing is added when they already
// do). The returned x' shares the row slices of x. Errors are as for
// Resample, with the smaller class as the minority.
func (s SMOTE) Balance(x [][]float64, y []bool) ([][]float64, []bool, error) {
	return balance(x, y, func(label bool, nNew int) ([][]float64, error) {
		return s.resample(x, y, label, nNew)
	})
}

func (s SMOTE) resample(x [][]float64, y []bool, minorityLabel bool, nNew int) ([][]float64, error) {
	if s.K < 0 {
		_, err := resolveK(s.K, 0)
		return nil, err
	}
	if err := checkCount(nNew); err != nil {
		return nil, err
	}
	c, err := splitClasses(x, y, minorityLabel)
	if err != nil {
		return nil, err
	}
	if nNew == 0 {
		return [][]float64{}, nil
	}
	k, err := resolveK(s.K, len(c.minority))
	if err != nil {
		return nil, err
	}
	rng := newRNG(s.Seed)
	nn := newNeighbourCache(c.minority, k)
	out := make([][]float64, nNew)
	for n := range out {
		pair := rng.IntN(len(c.minority) * k)
		row, col := pair/k, pair%k
		a := c.minority[row]
		b := c.minority[nn.neighbours(row)[col]]
		u := rng.Float64()
		p := make([]float64, len(a))
		for i := range p {
			p[i] = a[i] + u*(b[i]-a[i])
		}
		out[n] = p
	}
	return out, nil
}
