package ipinsights

import "github.com/vigil-ml/vigil/trainers"

// rowAccumulator sums gradient rows by table row, remembering first-use
// order: a row-sparse gradient built without touching the whole table.
type rowAccumulator struct {
	width int
	slot  []int32 // table row -> position in rows, -1 when absent
	grad  trainers.RowGrad
}

func newRowAccumulator(rows, width int) *rowAccumulator {
	a := &rowAccumulator{width: width, slot: make([]int32, rows)}
	for i := range a.slot {
		a.slot[i] = -1
	}
	return a
}

// add adds g (width values) to table row r's gradient.
func (a *rowAccumulator) add(r int32, g []float32) {
	s := a.slot[r]
	if s < 0 {
		a.slot[r] = int32(len(a.grad.Rows))
		a.grad.Rows = append(a.grad.Rows, r)
		a.grad.Values = append(a.grad.Values, g[:a.width]...)
		return
	}
	dst := a.grad.Values[int(s)*a.width:][:a.width]
	for j, v := range g[:a.width] {
		dst[j] += v
	}
}

// reset empties the accumulator, touching only the rows it holds.
func (a *rowAccumulator) reset() {
	for _, r := range a.grad.Rows {
		a.slot[r] = -1
	}
	a.grad.Rows, a.grad.Values = a.grad.Rows[:0], a.grad.Values[:0]
}
