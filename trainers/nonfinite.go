package trainers

import (
	"errors"
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/graph"
)

// ErrNonFinite reports a NaN or infinite loss or gradient. The step that
// produced it is not applied and no checkpoint is written, so the last
// checkpoint on disk is the last good state.
var ErrNonFinite = errors.New("trainers: non-finite value")

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkStep verifies that grads align with params and that loss and every
// gradient value are finite. step is the 1-based number of the step.
func checkStep(step int, loss float64, params []*graph.Param, grads [][]float32) error {
	if len(grads) != len(params) {
		return fmt.Errorf("trainers: step %d: %d gradients for %d parameters", step, len(grads), len(params))
	}
	bad, at, val := "", 0, float32(0)
	for i, g := range grads {
		if g != nil && len(g) != params[i].Size() {
			return fmt.Errorf("trainers: step %d: gradient of %q has %d values, want %d", step, params[i].Name, len(g), params[i].Size())
		}
		for j, v := range g {
			if !finite(float64(v)) {
				bad, at, val = params[i].Name, j, v
				break
			}
		}
		if bad != "" {
			break
		}
	}
	switch {
	case !finite(loss) && bad != "":
		return fmt.Errorf("%w: step %d: loss is %v; first non-finite gradient in parameter %q (value %d is %v)", ErrNonFinite, step, loss, bad, at, val)
	case !finite(loss):
		return fmt.Errorf("%w: step %d: loss is %v (gradients are finite)", ErrNonFinite, step, loss)
	case bad != "":
		return fmt.Errorf("%w: step %d: gradient of parameter %q is %v at value %d", ErrNonFinite, step, bad, val, at)
	}
	return nil
}
