package lstm

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
)

// OnDevice reports whether the train net runs on a backend that can hold
// the parameters (cuda/exec); see trainers.DeviceTask.
func (t *task) OnDevice() bool {
	_, ok := t.train.Program.(graph.ResidentRunner)
	return ok
}

// DeviceStep is TrainStep with the update applied by the backend; see
// trainers.DeviceTask.
func (t *task) DeviceStep(idx []int, rng *rand.Rand, u graph.Update) (float64, bool, [][]float32, error) {
	rr, ok := t.train.Program.(graph.ResidentRunner)
	if !ok {
		return 0, false, nil, fmt.Errorf("lstm: the train net cannot hold its parameters on a device")
	}
	ex := make([]int, len(idx))
	for i, j := range idx {
		ex[i] = t.trainIdx[j]
	}
	if err := t.train.fill(t.ex, ex); err != nil {
		return 0, false, nil, err
	}
	applied, err := rr.Step(rng, u)
	if err != nil {
		return 0, false, nil, err
	}
	loss, err := rr.Loss()
	if err != nil || applied {
		return loss, applied, nil, err
	}
	grads, err := rr.Grads()
	return loss, false, grads, err
}

// SyncParams copies the train net's device parameters to the host.
func (t *task) SyncParams() error {
	if rr, ok := t.train.Program.(graph.ResidentRunner); ok {
		return rr.Sync()
	}
	return nil
}

// ReleaseParams makes the train net upload the host's parameters again.
func (t *task) ReleaseParams() {
	if rr, ok := t.train.Program.(graph.ResidentRunner); ok {
		rr.Release()
	}
}
