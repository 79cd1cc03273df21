package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// MaxGridPoints bounds the points a Grid enumerates.
const MaxGridPoints = 100_000

// Grid enumerates the Cartesian product of the parameters' grid values
// (Param.Grid): every choice, every step value of an Int range or a
// stepped Float range, or Grid evenly spaced values of a range. A
// conditional key multiplies only the points where it is active. Points go
// in lexicographic order over the space's order (the first key varies
// slowest).
type Grid struct {
	points []Point
}

// NewGrid enumerates space's grid. A continuous Float range without Grid
// is an error, as is a grid over MaxGridPoints. It panics if space is nil.
func NewGrid(space *Space) (*Grid, error) {
	if space == nil {
		panic("sweep: NewGrid: nil space")
	}
	axes := make([][]any, space.Len())
	for i := range space.params {
		vals, err := gridValues(&space.params[i])
		if err != nil {
			return nil, fmt.Errorf("grid: %s: %w", space.params[i].Key, err)
		}
		axes[i] = vals
	}
	// Unconditional keys are in every point: their product is a lower bound.
	lower := 1
	for i, p := range space.params {
		if len(p.When) == 0 {
			if lower *= len(axes[i]); lower > MaxGridPoints {
				return nil, fmt.Errorf("grid: more than %d points", MaxGridPoints)
			}
		}
	}
	g := &Grid{}
	values := map[string]any{}
	var pt Point
	var walk func(i int) error
	walk = func(i int) error {
		if i == len(space.params) {
			if len(g.points) == MaxGridPoints {
				return fmt.Errorf("grid: more than %d points", MaxGridPoints)
			}
			g.points = append(g.points, slices.Clone(pt))
			return nil
		}
		p := &space.params[i]
		if !active(p, values) {
			return walk(i + 1)
		}
		for _, v := range axes[i] {
			values[p.Key] = v
			pt = append(pt, Setting{Key: p.Key, Value: v})
			if err := walk(i + 1); err != nil {
				return err
			}
			pt = pt[:len(pt)-1]
		}
		delete(values, p.Key)
		return nil
	}
	if err := walk(0); err != nil {
		return nil, err
	}
	return g, nil
}

// gridValues lists p's grid values.
func gridValues(p *Param) ([]any, error) {
	if p.Kind == Choice {
		return p.Choices, nil
	}
	if p.Low == p.High {
		return []any{p.value(p.Low)}, nil
	}
	if p.Grid > 0 {
		var out []any
		for k := range p.Grid {
			t := float64(k) / float64(p.Grid-1)
			x := p.Low + t*(p.High-p.Low)
			if p.Log {
				x = math.Exp(math.Log(p.Low) + t*(math.Log(p.High)-math.Log(p.Low)))
			}
			switch k {
			case 0:
				x = p.Low
			case p.Grid - 1:
				x = p.High
			default: // 12 significant digits: 0.35, not 0.35000000000000003
				x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
			}
			v := p.value(x) // Int: rounded to a step value
			if !slices.ContainsFunc(out, func(w any) bool { return equalValues(v, w) }) {
				out = append(out, v)
			}
		}
		return out, nil
	}
	if p.Step == 0 {
		return nil, fmt.Errorf("continuous float range needs grid: N or step")
	}
	if n := p.steps(); n+1 > MaxGridPoints {
		return nil, fmt.Errorf("%d values, more than %d", n+1, MaxGridPoints)
	}
	out := make([]any, p.steps()+1)
	for k := range out {
		out[k] = p.value(p.Low + float64(k)*p.Step)
	}
	return out, nil
}

// Len is the number of grid points.
func (g *Grid) Len() int { return len(g.points) }

// Points returns the grid points in order.
func (g *Grid) Points() []Point { return slices.Clone(g.points) }

// Sample returns the first grid point that no trial of history has (in any
// state: drop failed trials from history to retry them), or ErrExhausted.
// rng is unused.
func (g *Grid) Sample(history []Trial, _ *rand.Rand) (Point, error) {
	for _, pt := range g.points {
		if !slices.ContainsFunc(history, func(t Trial) bool { return t.Params.Equal(pt) }) {
			return slices.Clone(pt), nil
		}
	}
	return nil, fmt.Errorf("grid: all %d points taken: %w", len(g.points), ErrExhausted)
}
