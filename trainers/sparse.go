package trainers

import (
	"fmt"

	"github.com/vigil-ml/vigil/graph"
)

// RowGrad is the row-sparse gradient of a parameter of shape [rows, width...]:
// row Rows[i] has gradient Values[i*width:(i+1)*width], width = Size/Shape[0].
// Rows are distinct; rows not listed have gradient zero.
type RowGrad struct {
	Rows   []int32
	Values []float32
}

// SparseTask is a Task whose TrainStep returns a nil gradient for some
// parameters (embedding tables) and reports their gradients row-sparse instead.
// The Trainer applies its updates on the host, also when the task is a
// DeviceTask, and needs a RowOptimizer.
type SparseTask interface {
	Task
	// RowGrads returns, after each TrainStep, one entry per parameter aligned
	// with Params: the row gradient of every parameter whose dense gradient was
	// nil, nil for the others. Read before the next TrainStep.
	RowGrads() []*RowGrad
}

// RowOptimizer is an Optimizer that can apply row-sparse gradients lazily.
type RowOptimizer interface {
	Optimizer
	// StepRows is Step where parameter i has the dense gradient grads[i] or the
	// row gradient rows[i] (at most one of them non-nil; rows may be nil or
	// shorter-than-params meaning none). Only the listed rows of a row-updated
	// parameter and their moments change (lazy, as PyTorch's SparseAdam and
	// TensorFlow Addons' LazyAdam). The step count advances once. On error nothing changes.
	StepRows(params []*graph.Param, grads [][]float32, rows []*RowGrad) error
}

var (
	_ RowOptimizer = (*Adam)(nil)
	_ RowOptimizer = (*SGD)(nil)
)

// rowAt returns rows[i], nil when rows is shorter.
func rowAt(rows []*RowGrad, i int) *RowGrad {
	if i < len(rows) {
		return rows[i]
	}
	return nil
}

// rowWidth returns the values per row of p, ok false when p has no rows
// (a scalar or an empty first dimension).
func rowWidth(p *graph.Param) (width int, ok bool) {
	if len(p.Shape) == 0 || p.Shape[0] <= 0 {
		return 0, false
	}
	return p.Size() / p.Shape[0], true
}

// check verifies r against parameter p: rows in range and distinct, and
// one row of values per row.
func (r *RowGrad) check(p *graph.Param) error {
	width, ok := rowWidth(p)
	if !ok {
		return fmt.Errorf("trainers: parameter %q of shape %v has no rows for a row gradient", p.Name, p.Shape)
	}
	if len(r.Values) != len(r.Rows)*width {
		return fmt.Errorf("trainers: row gradient of %q has %d values for %d rows of %d", p.Name, len(r.Values), len(r.Rows), width)
	}
	n := p.Shape[0]
	seen := make([]uint64, (n+63)/64)
	for _, row := range r.Rows {
		if row < 0 || int(row) >= n {
			return fmt.Errorf("trainers: row gradient of %q lists row %d, outside [0, %d)", p.Name, row, n)
		}
		word, bit := row/64, uint64(1)<<(row%64)
		if seen[word]&bit != 0 {
			return fmt.Errorf("trainers: row gradient of %q lists row %d twice", p.Name, row)
		}
		seen[word] |= bit
	}
	return nil
}

// eachRow calls f with the index range of every listed row in p's data
// and that row's gradient values; r must have passed check.
func (r *RowGrad) eachRow(p *graph.Param, f func(lo, hi int, g []float32)) {
	width, _ := rowWidth(p)
	for k, row := range r.Rows {
		lo := int(row) * width
		f(lo, lo+width, r.Values[k*width:(k+1)*width])
	}
}
