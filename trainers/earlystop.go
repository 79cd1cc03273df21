package trainers

import "github.com/vigil-ml/vigil/graph"

// earlyStop tracks the best validation loss the way Keras' EarlyStopping
// does: an epoch improves when its loss is below best - minDelta, and the run
// stops after patience consecutive epochs without improvement.
type earlyStop struct {
	best        float64
	bestEpoch   int // -1 before the first validation
	wait        int
	stopped     bool
	bestWeights [][]float32 // nil unless kept
}

func newEarlyStop() earlyStop { return earlyStop{bestEpoch: -1} }

// update records the validation loss v of epoch. With keep, the weights of
// an improving epoch are copied. It reports whether v improved.
func (e *earlyStop) update(epoch int, v float64, patience int, minDelta float64, params []*graph.Param, keep bool) bool {
	e.wait++
	if e.bestEpoch < 0 || v < e.best-minDelta {
		e.best, e.bestEpoch, e.wait = v, epoch, 0
		if keep {
			e.bestWeights = copyWeights(params, e.bestWeights)
		}
		return true
	}
	if patience > 0 && e.wait >= patience {
		e.stopped = true
	}
	return false
}

// copyWeights copies the parameter values into dst, reusing its buffers.
func copyWeights(params []*graph.Param, dst [][]float32) [][]float32 {
	if len(dst) != len(params) {
		dst = make([][]float32, len(params))
	}
	for i, p := range params {
		dst[i] = append(dst[i][:0], p.Data()...)
	}
	return dst
}

// restoreWeights copies src back into the parameters.
func restoreWeights(params []*graph.Param, src [][]float32) {
	for i, p := range params {
		copy(p.Data(), src[i])
	}
}
