package sweep

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// TPE is the tree-structured Parzen estimator of Bergstra et al. (2011),
// univariate, with Optuna's defaults. For each active parameter it splits
// the finished trials that had it (Complete, and Pruned ranked by how far
// they got) into the best Gamma(n) and the rest, fits a Parzen estimator
// l(x) to the first and g(x) to the second, draws EICandidates values from
// l and keeps the one with the highest l(x)/g(x). A parameter with fewer
// than StartupTrials such trials is drawn as Random draws it. Conditional
// keys are fitted only on the trials where they were active.
//
// NewTPE sets the fields to Optuna's defaults; change them before the first
// Sample.
type TPE struct {
	space *Space
	// Direction of the objective (zero value: Minimize).
	Direction Direction
	// StartupTrials is how many finished trials with a parameter it takes
	// before TPE models that parameter (default 10).
	StartupTrials int
	// EICandidates is how many values are drawn from l(x) (default 24).
	EICandidates int
	// PriorWeight weighs the prior component, a Gaussian over the whole
	// range or a uniform count per choice (default 1.0).
	PriorWeight float64
	// ConsiderPrior adds the prior component (default true).
	ConsiderPrior bool
	// ConsiderMagicClip bounds the components' widths below by
	// range/min(100, 1+components) (default true).
	ConsiderMagicClip bool
	// ConsiderEndpoints lets the outermost components' widths reach the
	// range's ends (default false).
	ConsiderEndpoints bool
	// Gamma is the number of "good" trials out of n (default DefaultGamma).
	Gamma func(n int) int
	// Weights weighs n observations, oldest first (default DefaultWeights).
	Weights func(n int) []float64
}

// NewTPE returns a TPE sampler over space with Optuna's defaults. It panics
// if space is nil.
func NewTPE(space *Space, dir Direction) *TPE {
	if space == nil {
		panic("sweep: NewTPE: nil space")
	}
	return &TPE{
		space:             space,
		Direction:         dir,
		StartupTrials:     10,
		EICandidates:      24,
		PriorWeight:       1,
		ConsiderPrior:     true,
		ConsiderMagicClip: true,
		Gamma:             DefaultGamma,
		Weights:           DefaultWeights,
	}
}

// DefaultGamma is Optuna's min(ceil(0.1·n), 25).
func DefaultGamma(n int) int { return min(int(math.Ceil(0.1*float64(n))), 25) }

// DefaultWeights is Optuna's: all ones below 25 observations, else a ramp
// from 1/n to 1 over the oldest n-25 and ones for the newest 25.
func DefaultWeights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	if n >= 25 {
		m := n - 25
		for i := range m { // numpy linspace(1/n, 1, m)
			if m == 1 {
				w[i] = 1 / float64(n)
			} else {
				w[i] = 1/float64(n) + float64(i)*(1-1/float64(n))/float64(m-1)
			}
		}
	}
	return w
}

// Sample proposes a point from history.
func (s *TPE) Sample(history []Trial, rng *rand.Rand) (Point, error) {
	if rng == nil {
		return nil, errNilRand
	}
	if err := s.Direction.Validate(); err != nil {
		return nil, fmt.Errorf("tpe: %w", err)
	}
	if s.EICandidates < 1 || s.Gamma == nil || s.Weights == nil || s.PriorWeight <= 0 {
		return nil, fmt.Errorf("tpe: need EICandidates >= 1, PriorWeight > 0, Gamma and Weights")
	}
	done := make([]*Trial, 0, len(history))
	for i := range history {
		if history[i].State == Complete || history[i].State == Pruned {
			done = append(done, &history[i])
		}
	}
	slices.SortStableFunc(done, func(a, b *Trial) int { return cmp.Compare(a.Number, b.Number) })
	return s.space.build(func(p *Param) (any, error) {
		below, above, n := s.split(p, done)
		if len(s.Weights(len(below))) != len(below) || len(s.Weights(len(above))) != len(above) {
			return nil, fmt.Errorf("tpe: Weights(n) must return n weights")
		}
		if n < s.StartupTrials || n == 0 || (p.Kind != Choice && p.Low == p.High) {
			return randomValue(p, rng), nil
		}
		if p.Kind == Choice {
			return p.Choices[s.sampleChoice(len(p.Choices), below, above, rng)], nil
		}
		return s.sampleNumber(p, below, above, rng), nil
	})
}

// observation is one finished trial's value of a parameter (a choice index,
// or a number in the estimator's space) and its rank key.
type observation struct {
	x     float64
	step  float64 // -Inf for Complete; -last step for Pruned (+Inf: none)
	score float64 // objective (minimised), or the last intermediate value
}

// split returns p's values in the good and the other trials, oldest first,
// and how many trials had p.
func (s *TPE) split(p *Param, done []*Trial) (below, above []float64, n int) {
	sign := s.Direction.sign()
	var obs []observation
	for _, t := range done {
		v, ok := t.Params.Get(p.Key)
		if !ok {
			continue
		}
		x, ok := p.internal(v)
		if !ok {
			continue // not in the domain (the space changed): ignore
		}
		o := observation{x: x, step: math.Inf(-1), score: sign * t.Value}
		if t.State == Pruned {
			if last, ok := t.LastStep(); ok {
				o.step, o.score = -float64(last), sign*t.Intermediate[last]
			} else {
				o.step, o.score = math.Inf(1), 0
			}
		}
		if math.IsNaN(o.score) {
			o.score = math.Inf(1)
		}
		obs = append(obs, o)
	}
	order := make([]int, len(obs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(obs[a].step, obs[b].step), cmp.Compare(obs[a].score, obs[b].score))
	})
	nBelow := min(max(s.Gamma(len(obs)), 0), len(obs))
	isBelow := make([]bool, len(obs))
	for _, i := range order[:nBelow] {
		isBelow[i] = true
	}
	for i, o := range obs {
		if isBelow[i] {
			below = append(below, o.x)
		} else {
			above = append(above, o.x)
		}
	}
	return below, above, len(obs)
}

// internal maps a value of p to the estimator's space: its choice index;
// log(v) for log ranges; v - Low for stepped ranges; v otherwise.
func (p *Param) internal(v any) (float64, bool) {
	c, err := p.canonicalValue(v)
	if err != nil {
		return 0, false
	}
	if p.Kind == Choice {
		return float64(p.choiceIndex(c)), true
	}
	x, _ := number(c)
	switch {
	case p.Log:
		return math.Log(x), true
	case p.Step > 0:
		return x - p.Low, true
	}
	return x, true
}

// bounds are the estimator's range and rounding quantum for p: stepped
// ranges are shifted to [-q/2, High-Low+q/2], Int log ranges widened to
// [log(Low-0.5), log(High+0.5)] as in Optuna.
func (p *Param) bounds() (lo, hi, q float64) {
	switch {
	case p.Kind == Int && p.Log:
		return math.Log(p.Low - 0.5), math.Log(p.High + 0.5), 0
	case p.Log:
		return math.Log(p.Low), math.Log(p.High), 0
	case p.Step > 0:
		return -p.Step / 2, p.High - p.Low + p.Step/2, p.Step
	}
	return p.Low, p.High, 0
}

// external maps an estimator-space value back to a value of p.
func (p *Param) external(x float64) any {
	switch {
	case p.Log:
		return p.value(math.Exp(x))
	case p.Step > 0:
		return p.value(p.Low + x)
	}
	return p.value(x)
}

func (s *TPE) sampleNumber(p *Param, below, above []float64, rng *rand.Rand) any {
	lo, hi, q := p.bounds()
	l := s.parzen(below, lo, hi)
	g := s.parzen(above, lo, hi)
	cand := make([]float64, s.EICandidates)
	for i := range cand {
		cand[i] = l.sample(rng, lo, hi, q)
	}
	best, bestScore := 0, math.Inf(-1)
	for i, x := range cand {
		sc := l.logPDF(x, lo, hi, q) - g.logPDF(x, lo, hi, q)
		if math.IsNaN(sc) {
			sc = math.Inf(-1)
		}
		if sc > bestScore || i == 0 {
			best, bestScore = i, sc
		}
	}
	return p.external(cand[best])
}

// sampleChoice returns a choice index: candidates drawn from the weighted,
// prior-smoothed counts of the good trials, scored by l/g.
func (s *TPE) sampleChoice(n int, below, above []float64, rng *rand.Rand) int {
	pl := s.choiceProbs(n, below)
	pg := s.choiceProbs(n, above)
	best, bestScore := 0, math.Inf(-1)
	for i := range s.EICandidates {
		c := drawIndex(pl, rng)
		if sc := math.Log(pl[c]) - math.Log(pg[c]); sc > bestScore || i == 0 {
			best, bestScore = c, sc
		}
	}
	return best
}

func (s *TPE) choiceProbs(n int, obs []float64) []float64 {
	p := make([]float64, n)
	w := s.Weights(len(obs))
	for i, x := range obs {
		p[int(x)] += w[i]
	}
	sum := 0.0
	for i := range p {
		p[i] += s.PriorWeight
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// drawIndex draws i with probability p[i] (p sums to 1).
func drawIndex(p []float64, rng *rand.Rand) int {
	u := rng.Float64()
	for i, pi := range p {
		if u < pi {
			return i
		}
		u -= pi
	}
	return len(p) - 1
}
