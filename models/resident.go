package models

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
)

// Resident helps a family's training task implement trainers.DeviceTask
// for a train graph run by Runner: when the runner can hold the
// parameters on a device (graph.ResidentRunner), the step's update is
// applied there.
type Resident struct{ Runner graph.Runner }

// OnDevice reports whether the runner holds the parameters on a device.
func (r Resident) OnDevice() bool {
	_, ok := r.Runner.(graph.ResidentRunner)
	return ok
}

// Step runs fill (which sets the inputs), then forward, backward and, when
// the loss and every gradient are finite, u on the device; see
// trainers.DeviceTask.DeviceStep.
func (r Resident) Step(fill func() error, rng *rand.Rand, u graph.Update) (float64, bool, [][]float32, error) {
	rr, ok := r.Runner.(graph.ResidentRunner)
	if !ok {
		return 0, false, nil, fmt.Errorf("models: the train graph runs on %T, which cannot hold its parameters on a device", r.Runner)
	}
	if err := fill(); err != nil {
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

// Sync copies the device's parameters to the host.
func (r Resident) Sync() error {
	if rr, ok := r.Runner.(graph.ResidentRunner); ok {
		return rr.Sync()
	}
	return nil
}

// Release makes the runner upload the host's parameters again.
func (r Resident) Release() {
	if rr, ok := r.Runner.(graph.ResidentRunner); ok {
		rr.Release()
	}
}
