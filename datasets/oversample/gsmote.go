package oversample

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Selection strategies of GeometricSMOTE, named as in the reference package.
const (
	StrategyCombined = "combined"
	StrategyMinority = "minority"
	StrategyMajority = "majority"
)

// GeometricSMOTE is Geometric SMOTE (Douzas and Bacao, 2019), implemented
// after the reference package geometric-smote: GeometricSMOTE
// ._make_geometric_samples for the choice of center and surface point, and
// make_geometric_sample (_make_geometric_sample in older releases) for the
// sample itself.
//
// For each synthetic row:
//
//   - pair: one uniform index over all nMin*K (minority row, neighbour)
//     pairs (majority strategy: over the nMin minority rows); the center c
//     is that minority row.
//   - surface point s, by Strategy: "minority": the chosen one of c's K
//     nearest minority neighbours; "majority": c's nearest majority row;
//     "combined": the majority row if |c - s_min| > |c - s_maj|, else the
//     minority neighbour (ties go to the minority neighbour). When there are
//     no majority rows the strategy is forced to "minority", as in the
//     reference.
//   - if c == s elementwise, or r = |s - c| is 0, the sample is c.
//   - g ~ N(0, I_d), u ~ Uniform[0, 1) (drawn in that order);
//     x = u^(1/d) * g/|g|, uniform in the unit ball.
//   - e = (s - c)/r and p = x·e. With α = Truncation, if (α > 0 and
//     p < α - 1) or (α < 0 and p > α + 1), then x = x - 2*p*e: x is
//     reflected through the hyperplane through the center orthogonal to e
//     (the parallel component changes sign); it is not reflected across the
//     truncation hyperplane, nor rejected and redrawn.
//   - with β = Deformation, p = x·e recomputed and
//     x = p*e + (1 - β)*(x - p*e).
//   - sample = c + r*x.
//
// Hence, with v = sample - c, P = v·e and Q = |v - P*e|, every sample
// satisfies |v| <= r, Q^2 + (1-β)^2*P^2 <= (1-β)^2*r^2 (an ellipsoid of
// revolution about e; for β = 1 the segment from c - r*e to c + r*e), and
// P >= (α-1)*r when α > 0, P <= (α+1)*r when α < 0. The reflection doubles
// the density of the region it maps into: for α > 0 the cap P > (1-α)*r.
//
// With Strategy "minority", Truncation 1 and Deformation 1 every sample lies
// on the closed segment [c, s] between a minority row and one of its K
// nearest minority neighbours, the support of SMOTE. The position along it,
// t = P/r, is the absolute parallel coordinate of a uniform point in the
// unit d-ball, not Uniform[0, 1) as in SMOTE, except for d = 1; for d = 3,
// for instance, Pr(t <= 1/2) = 11/16.
//
// The zero value is not the reference default: its Truncation is 0 (no
// truncation) where the reference uses 1.0. NewGeometricSMOTE returns the
// reference defaults.
type GeometricSMOTE struct {
	// K is the number of nearest minority neighbours; zero means DefaultK
	// (5). For "minority" and "combined" it must not exceed the number of
	// minority rows minus one; "majority" does not use it.
	K int
	// Truncation is the truncation factor α in [-1, 1]. 0 (the zero value)
	// keeps the whole ball; 1 keeps the half towards the surface point; -1
	// the half away from it.
	Truncation float64
	// Deformation is the deformation factor β in [0, 1]. 0 (the zero value)
	// keeps the ball; 1 flattens it onto the line through c and s.
	Deformation float64
	// Strategy is StrategyCombined (also the meaning of ""),
	// StrategyMinority or StrategyMajority.
	Strategy string
	// Seed seeds the PCG generator; equal seeds and inputs give equal output.
	Seed uint64
}

// NewGeometricSMOTE returns the reference package's defaults: K 5,
// Truncation 1, Deformation 0, Strategy "combined", with the given seed.
func NewGeometricSMOTE(seed uint64) GeometricSMOTE {
	return GeometricSMOTE{K: DefaultK, Truncation: 1, Deformation: 0, Strategy: StrategyCombined, Seed: seed}
}

// Resample returns nNew synthetic rows of the class marked true in y. x and
// y are not modified, and the new rows share no memory with x. It returns
// ErrInvalidInput for empty or ragged x, len(x) != len(y), non-finite
// values or nNew < 0; ErrInvalidParam for K < 0, an unknown Strategy,
// Truncation outside [-1, 1] or Deformation outside [0, 1] (NaN included);
// and, when nNew > 0, ErrTooFewMinority for no minority rows, or, where
// minority neighbours are used, fewer than 2 minority rows or
// K > minority rows - 1.
func (g GeometricSMOTE) Resample(x [][]float64, y []bool, nNew int) ([][]float64, error) {
	draws, err := g.generate(x, y, true, nNew)
	if err != nil {
		return nil, err
	}
	return samplesOf(draws), nil
}

// Balance returns x and y followed by synthetic rows of the smaller class
// until both classes have equal counts (nothing is added when they already
// do). The returned x' shares the row slices of x. Errors are as for
// Resample, with the smaller class as the minority.
func (g GeometricSMOTE) Balance(x [][]float64, y []bool) ([][]float64, []bool, error) {
	return balance(x, y, func(label bool, nNew int) ([][]float64, error) {
		draws, err := g.generate(x, y, label, nNew)
		if err != nil {
			return nil, err
		}
		return samplesOf(draws), nil
	})
}

// geometricDraw records one synthetic row with the center and surface point
// it was generated from; center and surface alias rows of the input.
type geometricDraw struct {
	center, surface, sample []float64
}

func samplesOf(draws []geometricDraw) [][]float64 {
	out := make([][]float64, len(draws))
	for i, d := range draws {
		out[i] = d.sample
	}
	return out
}

func (g GeometricSMOTE) validate() (string, error) {
	strategy := g.Strategy
	if strategy == "" {
		strategy = StrategyCombined
	}
	switch strategy {
	case StrategyCombined, StrategyMinority, StrategyMajority:
	default:
		return "", fmt.Errorf("%w: Strategy %q, want %q, %q or %q",
			ErrInvalidParam, g.Strategy, StrategyCombined, StrategyMinority, StrategyMajority)
	}
	if g.K < 0 {
		_, err := resolveK(g.K, 0)
		return "", err
	}
	if !(g.Truncation >= -1 && g.Truncation <= 1) {
		return "", fmt.Errorf("%w: Truncation = %v, want in [-1, 1]", ErrInvalidParam, g.Truncation)
	}
	if !(g.Deformation >= 0 && g.Deformation <= 1) {
		return "", fmt.Errorf("%w: Deformation = %v, want in [0, 1]", ErrInvalidParam, g.Deformation)
	}
	return strategy, nil
}

func (g GeometricSMOTE) generate(x [][]float64, y []bool, minorityLabel bool, nNew int) ([]geometricDraw, error) {
	strategy, err := g.validate()
	if err != nil {
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
		return []geometricDraw{}, nil
	}
	if len(c.majority) == 0 {
		strategy = StrategyMinority
	}
	nMin := len(c.minority)
	if nMin == 0 {
		return nil, fmt.Errorf("%w: no minority rows", ErrTooFewMinority)
	}
	var nn *neighbourCache
	pairsPerRow := 1
	if strategy != StrategyMajority {
		k, err := resolveK(g.K, nMin)
		if err != nil {
			return nil, err
		}
		nn = newNeighbourCache(c.minority, k)
		pairsPerRow = k
	}
	nearestMaj := make([]int, nMin)
	for i := range nearestMaj {
		nearestMaj[i] = -1
	}
	majorityOf := func(row int) []float64 {
		if nearestMaj[row] < 0 {
			nearestMaj[row] = nearest(c.majority, c.minority[row])
		}
		return c.majority[nearestMaj[row]]
	}

	rng := newRNG(g.Seed)
	draws := make([]geometricDraw, nNew)
	for n := range draws {
		pair := rng.IntN(nMin * pairsPerRow)
		row, col := pair/pairsPerRow, pair%pairsPerRow
		center := c.minority[row]
		var surface []float64
		switch strategy {
		case StrategyMinority:
			surface = c.minority[nn.neighbours(row)[col]]
		case StrategyMajority:
			surface = majorityOf(row)
		default:
			pos, neg := c.minority[nn.neighbours(row)[col]], majorityOf(row)
			if math.Sqrt(sqDist(center, pos)) > math.Sqrt(sqDist(center, neg)) {
				surface = neg
			} else {
				surface = pos
			}
		}
		draws[n] = geometricDraw{
			center:  center,
			surface: surface,
			sample:  makeGeometricSample(rng, center, surface, g.Truncation, g.Deformation),
		}
	}
	return draws, nil
}

// makeGeometricSample returns a new point in the region of center and
// surface with truncation factor alpha and deformation factor beta; see
// GeometricSMOTE for the formulas. It mirrors the reference
// make_geometric_sample, with the extra guard that a zero radius (which
// floating-point underflow can give for distinct points) also returns a copy
// of center.
func makeGeometricSample(rng *rand.Rand, center, surface []float64, alpha, beta float64) []float64 {
	d := len(center)
	out := make([]float64, d)
	copy(out, center)
	e := make([]float64, d)
	equal := true
	for i := range e {
		e[i] = surface[i] - center[i]
		if e[i] != 0 {
			equal = false
		}
	}
	radius := math.Sqrt(sqDist(center, surface))
	if equal || radius == 0 {
		return out
	}
	for i := range e {
		e[i] /= radius
	}

	// Uniform point in the unit ball: direction g/|g|, length u^(1/d).
	x := make([]float64, d)
	var gNorm2 float64
	for gNorm2 == 0 {
		gNorm2 = 0
		for i := range x {
			x[i] = rng.NormFloat64()
			gNorm2 += x[i] * x[i]
		}
	}
	scale := math.Pow(rng.Float64(), 1/float64(d)) / math.Sqrt(gNorm2)
	for i := range x {
		x[i] *= scale
	}

	// Truncation: reflect through the hyperplane through the center
	// orthogonal to e when the point is beyond the truncation hyperplane.
	p := dot(x, e)
	if (alpha > 0 && p < alpha-1) || (alpha < 0 && p > alpha+1) {
		for i := range x {
			x[i] -= 2 * p * e[i]
		}
	}

	// Deformation: scale the component perpendicular to e by 1 - beta.
	p = dot(x, e)
	for i := range x {
		par := p * e[i]
		x[i] = par + (1-beta)*(x[i]-par)
	}

	for i := range out {
		out[i] += radius * x[i]
	}
	return out
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
