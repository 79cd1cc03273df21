package convvae

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// Windows is a set of N model inputs laid out [N, 1, Rows, Cols].
type Windows struct {
	Data []float32
	N    int
	Size int // Rows*Cols values per window
}

// Window returns example i.
func (w Windows) Window(i int) []float32 { return w.Data[i*w.Size : (i+1)*w.Size] }

// fill copies the examples idx into the net's input, repeating them
// cyclically when there are fewer than the batch size (a final partial batch).
func fill(n *Net, w Windows, idx []int) error {
	x, err := graph.Float32s(n.X)
	if err != nil {
		return err
	}
	if len(idx) == 0 || len(idx) > n.Batch {
		return fmt.Errorf("convvae: %d examples for a batch of %d", len(idx), n.Batch)
	}
	for i := 0; i < n.Batch; i++ {
		j := idx[i%len(idx)]
		if j < 0 || j >= w.N {
			return fmt.Errorf("convvae: example %d out of range [0, %d)", j, w.N)
		}
		copy(x[i*w.Size:(i+1)*w.Size], w.Window(j))
	}
	return nil
}

// Task trains a model on a subset of windows and validates on another; it
// satisfies trainers.Task.
type Task struct {
	Train, Eval *Net
	windows     Windows
	trainIdx    []int
	valIdx      []int
}

// NewTask builds the train and eval nets of m.
func NewTask(m *Model, w Windows, trainIdx, valIdx []int, batch, evalBatch int) (*Task, error) {
	return NewTaskWith(m, w, trainIdx, valIdx, batch, evalBatch, nil)
}

// NewTaskWith is NewTask with both nets built by BuildWith(factory).
func NewTaskWith(m *Model, w Windows, trainIdx, valIdx []int, batch, evalBatch int, factory graph.RunnerFactory) (*Task, error) {
	if w.Size != m.Config.Rows*m.Config.Cols {
		return nil, fmt.Errorf("convvae: windows of %d values, model wants %dx%d", w.Size, m.Config.Rows, m.Config.Cols)
	}
	if len(trainIdx) == 0 {
		return nil, fmt.Errorf("convvae: no training windows")
	}
	tr, err := m.BuildWith(graph.Train, batch, factory)
	if err != nil {
		return nil, err
	}
	ev, err := m.BuildWith(graph.Eval, evalBatch, factory)
	if err != nil {
		tr.Close()
		return nil, err
	}
	return &Task{Train: tr, Eval: ev, windows: w, trainIdx: trainIdx, valIdx: valIdx}, nil
}

// TrainLen is the number of training windows.
func (t *Task) TrainLen() int { return len(t.trainIdx) }

// Params are the parameters updated by training, aligned with TrainStep's gradients.
func (t *Task) Params() []*graph.Param { return t.Train.Program.Params() }

// TrainStep runs forward and backward on training windows idx (positions in the training set).
func (t *Task) TrainStep(idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	if err := fill(t.Train, t.windows, t.examples(idx)); err != nil {
		return 0, nil, err
	}
	if err := t.Train.Program.Run(rng); err != nil {
		return 0, nil, err
	}
	loss, err := t.Train.Program.Loss()
	if err != nil {
		return 0, nil, err
	}
	grads, err := t.Train.Program.Grads()
	return loss, grads, err
}

// ValidationLoss is the mean reconstruction BCE of the validation windows in eval mode.
func (t *Task) ValidationLoss() (float64, bool, error) {
	if len(t.valIdx) == 0 {
		return 0, false, nil
	}
	s, err := Score(t.Eval, t.windows, t.valIdx)
	if err != nil {
		return 0, false, err
	}
	var sum float64
	for _, v := range s {
		sum += v
	}
	return sum / float64(len(s)), true, nil
}

// Close releases both nets.
func (t *Task) Close() error {
	err := t.Train.Close()
	if e := t.Eval.Close(); err == nil {
		err = e
	}
	return err
}

// Score returns the reconstruction BCE of windows idx under an eval net.
func Score(n *Net, w Windows, idx []int) ([]float64, error) {
	out := make([]float64, 0, len(idx))
	err := batches(n, w, idx, func(k int) error {
		r, err := graph.Float32s(n.Recon)
		if err != nil {
			return err
		}
		for i := 0; i < k; i++ {
			out = append(out, float64(r[i]))
		}
		return nil
	})
	return out, err
}

// Reconstruct returns the reconstruction probabilities of windows idx.
func Reconstruct(n *Net, w Windows, idx []int) ([][]float32, error) {
	var out [][]float32
	err := batches(n, w, idx, func(k int) error {
		r, err := graph.Float32s(n.Output)
		if err != nil {
			return err
		}
		for i := 0; i < k; i++ {
			out = append(out, append([]float32(nil), r[i*w.Size:(i+1)*w.Size]...))
		}
		return nil
	})
	return out, err
}

// batches runs n over idx in batches and calls read with the number of real examples.
func batches(n *Net, w Windows, idx []int, read func(k int) error) error {
	if n.Mode != graph.Eval {
		return fmt.Errorf("convvae: scoring needs an eval net")
	}
	for start := 0; start < len(idx); start += n.Batch {
		end := min(start+n.Batch, len(idx))
		if err := fill(n, w, idx[start:end]); err != nil {
			return err
		}
		if err := n.Program.Run(nil); err != nil {
			return err
		}
		if err := read(end - start); err != nil {
			return err
		}
	}
	return nil
}

// The device path of trainers.DeviceTask, through models.Resident.

func (t *Task) resident() models.Resident { return models.Resident{Runner: t.Train.Program} }

// OnDevice reports whether the train net holds its parameters on a device.
func (t *Task) OnDevice() bool { return t.resident().OnDevice() }

// DeviceStep is TrainStep with the update applied on the device.
func (t *Task) DeviceStep(idx []int, rng *rand.Rand, u graph.Update) (float64, bool, [][]float32, error) {
	set := func() error { return fill(t.Train, t.windows, t.examples(idx)) }
	return t.resident().Step(set, rng, u)
}

// SyncParams copies the train net's device parameters to the host.
func (t *Task) SyncParams() error { return t.resident().Sync() }

// ReleaseParams makes the train net upload the host's parameters again.
func (t *Task) ReleaseParams() { t.resident().Release() }

// examples maps positions in the training set to window indices.
func (t *Task) examples(idx []int) []int {
	ex := make([]int, len(idx))
	for i, j := range idx {
		ex[i] = t.trainIdx[j]
	}
	return ex
}
