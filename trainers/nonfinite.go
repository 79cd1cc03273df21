package trainers

import (
	"errors"
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/graph"
)

// ErrNonFinite reports a NaN or infinite loss or gradient. The step that
// produced it is not applied (of a phased task's step, the updates before
// the failing one are) and no checkpoint is written, so the last
// checkpoint on disk is the last good state.
var ErrNonFinite = errors.New("trainers: non-finite value")

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkStep verifies that grads and rows align with params and that loss
// and every gradient value, dense or row, are finite. step is the 1-based
// number of the step.
func checkStep(step int, loss float64, params []*graph.Param, grads [][]float32, rows []*RowGrad) error {
	if len(grads) != len(params) {
		return fmt.Errorf("trainers: step %d: %d gradients for %d parameters", step, len(grads), len(params))
	}
	if len(rows) > len(params) {
		return fmt.Errorf("trainers: step %d: %d row gradients for %d parameters", step, len(rows), len(params))
	}
	bad, at, val := "", "", float32(0)
	for i, g := range grads {
		if g != nil && len(g) != params[i].Size() {
			return fmt.Errorf("trainers: step %d: gradient of %q has %d values, want %d", step, params[i].Name, len(g), params[i].Size())
		}
		if j := firstNonFinite(g); j >= 0 {
			bad, at, val = params[i].Name, fmt.Sprintf("value %d", j), g[j]
			break
		}
		if r := rowAt(rows, i); r != nil {
			if j := firstNonFinite(r.Values); j >= 0 {
				bad, at, val = params[i].Name, rowValue(params[i], r, j), r.Values[j]
				break
			}
		}
	}
	switch {
	case !finite(loss) && bad != "":
		return fmt.Errorf("%w: step %d: loss is %v; first non-finite gradient in parameter %q (%s is %v)", ErrNonFinite, step, loss, bad, at, val)
	case !finite(loss):
		return fmt.Errorf("%w: step %d: loss is %v (gradients are finite)", ErrNonFinite, step, loss)
	case bad != "":
		return fmt.Errorf("%w: step %d: gradient of parameter %q is %v at %s", ErrNonFinite, step, bad, val, at)
	}
	return nil
}

// firstNonFinite returns the index of the first NaN or infinite value, -1
// when all are finite.
func firstNonFinite(vs []float32) int {
	for j, v := range vs {
		if !finite(float64(v)) {
			return j
		}
	}
	return -1
}

// rowValue describes value j of row gradient r of p.
func rowValue(p *graph.Param, r *RowGrad, j int) string {
	width, ok := rowWidth(p)
	if !ok || width == 0 || j/width >= len(r.Rows) {
		return fmt.Sprintf("row-gradient value %d", j)
	}
	return fmt.Sprintf("row %d, value %d", r.Rows[j/width], j%width)
}
