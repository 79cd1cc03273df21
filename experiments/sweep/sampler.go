package sweep

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Sampler proposes the next point of a sweep.
type Sampler interface {
	// Sample returns the next point given every trial so far (any state, any
	// order); it uses rng for its randomness, so a seeded rng and the same
	// history give the same point. Grid ignores rng; the others need it.
	// Sample does not modify the sampler: concurrent callers may share one,
	// each with its own rng.
	Sample(history []Trial, rng *rand.Rand) (Point, error)
}

// ErrExhausted is returned (wrapped) by a sampler with no points left.
var ErrExhausted = errors.New("sweep: search space exhausted")

var errNilRand = errors.New("sweep: nil *rand.Rand")

// Random draws each active parameter independently: choices and stepped
// values uniformly, Float ranges uniformly (in log space when Log) and Int
// log ranges as Optuna does (log-uniform on [low-0.5, high+0.5], rounded).
type Random struct {
	space *Space
}

// NewRandom returns a random sampler over space. It panics if space is nil.
func NewRandom(space *Space) *Random {
	if space == nil {
		panic("sweep: NewRandom: nil space")
	}
	return &Random{space: space}
}

// Sample draws a point; history is unused.
func (r *Random) Sample(_ []Trial, rng *rand.Rand) (Point, error) {
	if rng == nil {
		return nil, errNilRand
	}
	return r.space.build(func(p *Param) (any, error) { return randomValue(p, rng), nil })
}

// randomValue draws one value of p.
func randomValue(p *Param, rng *rand.Rand) any {
	if p.Kind == Choice {
		return p.Choices[rng.IntN(len(p.Choices))]
	}
	if p.Low == p.High {
		return p.value(p.Low)
	}
	switch {
	case p.Kind == Int && p.Log:
		lo, hi := math.Log(p.Low-0.5), math.Log(p.High+0.5)
		return p.value(math.Round(math.Exp(lo + rng.Float64()*(hi-lo))))
	case p.Log:
		lo, hi := math.Log(p.Low), math.Log(p.High)
		return p.value(math.Exp(lo + rng.Float64()*(hi-lo)))
	case p.Step > 0:
		return p.value(p.Low + float64(rng.IntN(p.steps()+1))*p.Step)
	}
	return p.value(p.Low + rng.Float64()*(p.High-p.Low))
}

// steps is the number of Step intervals in [Low, High].
func (p *Param) steps() int { return int(math.Round((p.High - p.Low) / p.Step)) }

// value clamps x to [Low, High], snaps it to Low + k·Step when stepped,
// and returns it as an int for Int parameters.
func (p *Param) value(x float64) any {
	if p.Step > 0 {
		k := math.Max(0, math.Min(float64(p.steps()), math.Round((x-p.Low)/p.Step)))
		x = p.Low + k*p.Step
		if k == float64(p.steps()) {
			x = p.High
		} else if p.Kind == Float {
			x = roundTo(x, max(decimals(p.Low), decimals(p.Step)))
		}
	}
	x = math.Max(p.Low, math.Min(p.High, x))
	if p.Kind == Int {
		return int(math.Round(x))
	}
	return x
}

// decimals is the number of digits after the point in x's shortest form,
// at most 15.
func decimals(x float64) int {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return min(len(s)-i-1, 15)
	}
	return 0
}

// roundTo rounds x to d decimals, dropping the float error that Low + k·Step
// accumulates (0.1·3 = 0.30000000000000004 becomes 0.3).
func roundTo(x float64, d int) float64 {
	y, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', d, 64), 64)
	if err != nil {
		return x
	}
	return y
}
