package tabular

import (
	"errors"
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

// Table is a task's rows: features, labels (true = an insider, a miner),
// groups that folds never split (users, programs) and row ids.
type Table struct {
	Features []string
	X        [][]float64
	Y        []bool
	Groups   []string // nil: every row is its own group
	IDs      []string
}

// Check verifies the shapes and that every value is finite.
func (t *Table) Check() error {
	n := len(t.X)
	if n == 0 {
		return errors.New("tabular: no rows")
	}
	if len(t.Y) != n || len(t.IDs) != n || (t.Groups != nil && len(t.Groups) != n) {
		return fmt.Errorf("tabular: %d rows with %d labels, %d ids and %d groups", n, len(t.Y), len(t.IDs), len(t.Groups))
	}
	pos := 0
	for i, row := range t.X {
		if len(row) != len(t.Features) {
			return fmt.Errorf("tabular: row %s has %d features, want %d", t.IDs[i], len(row), len(t.Features))
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("tabular: row %s: feature %s is %v", t.IDs[i], t.Features[j], v)
			}
		}
		if t.Y[i] {
			pos++
		}
	}
	if pos == 0 || pos == n {
		return fmt.Errorf("tabular: %d of %d rows are positive; both classes are needed", pos, n)
	}
	return nil
}

// group is row i's group.
func (t *Table) group(i int) string {
	if t.Groups == nil {
		return t.IDs[i]
	}
	return t.Groups[i]
}

func (t *Table) groups() []string {
	if t.Groups != nil {
		return t.Groups
	}
	return t.IDs
}

// subset returns rows idx of x and y.
func (t *Table) subset(idx []int) ([][]float64, []bool) {
	x := make([][]float64, len(idx))
	y := make([]bool, len(idx))
	for k, i := range idx {
		x[k], y[k] = t.X[i], t.Y[i]
	}
	return x, y
}

// Scaler standardises features: (v - Mean) / Scale.
type Scaler struct {
	Mean  []float64 `json:"mean"`
	Scale []float64 `json:"scale"`
}

// fitScaler is the standardisation of x (a zero spread leaves the column
// centred but unscaled).
func fitScaler(x [][]float64) *Scaler {
	d := len(x[0])
	s := &Scaler{Mean: make([]float64, d), Scale: make([]float64, d)}
	for _, row := range x {
		for j, v := range row {
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(len(x))
	}
	for _, row := range x {
		for j, v := range row {
			s.Scale[j] += (v - s.Mean[j]) * (v - s.Mean[j])
		}
	}
	for j := range s.Scale {
		s.Scale[j] = math.Sqrt(s.Scale[j] / float64(len(x)))
		if s.Scale[j] == 0 {
			s.Scale[j] = 1
		}
	}
	return s
}

// apply returns v standardised (v itself when s is nil).
func (s *Scaler) apply(v []float64) []float64 {
	if s == nil {
		return v
	}
	out := make([]float64, len(v))
	for j, x := range v {
		out[j] = (x - s.Mean[j]) / s.Scale[j]
	}
	return out
}

func (s *Scaler) applyAll(x [][]float64) [][]float64 {
	if s == nil {
		return x
	}
	out := make([][]float64, len(x))
	for i, v := range x {
		out[i] = s.apply(v)
	}
	return out
}

// Profile describes the table's features, for drift tests.
func (t *Table) Profile() tasks.Profile {
	p := tasks.Profile{Numeric: map[string][]float64{}}
	for j, name := range t.Features {
		col := make([]float64, len(t.X))
		for i, row := range t.X {
			col[i] = row[j]
		}
		p.Numeric[name] = col
	}
	return p
}
