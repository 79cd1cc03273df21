package linear

import (
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// The device path of trainers.DeviceTask, through models.Resident.

func (t *task) resident() models.Resident { return models.Resident{Runner: t.train.Program} }

// OnDevice reports whether the train net holds its parameters on a device.
func (t *task) OnDevice() bool { return t.resident().OnDevice() }

// DeviceStep is TrainStep with the update applied on the device.
func (t *task) DeviceStep(idx []int, rng *rand.Rand, u graph.Update) (float64, bool, [][]float32, error) {
	return t.resident().Step(func() error { return t.fillTrain(idx) }, rng, u)
}

// SyncParams copies the train net's device parameters to the host.
func (t *task) SyncParams() error { return t.resident().Sync() }

// ReleaseParams makes the train net upload the host's parameters again.
func (t *task) ReleaseParams() { t.resident().Release() }
