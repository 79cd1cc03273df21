package lstm

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// task trains on windows and validates on others; it satisfies
// trainers.Task.
type task struct {
	train, eval *Net
	ex          models.Examples
	trainIdx    []int
	valIdx      []int
}

func newTask(m *Model, ex models.Examples, trainIdx, valIdx []int, batch, evalBatch int, factory graph.RunnerFactory) (*task, error) {
	if len(trainIdx) == 0 {
		return nil, fmt.Errorf("lstm: no training windows")
	}
	if ex.IntSize() != m.Config.Steps+1 {
		return nil, fmt.Errorf("lstm: windows of %d ids, the model takes %d", ex.IntSize(), m.Config.Steps+1)
	}
	tr, err := m.build(graph.Train, batch, factory)
	if err != nil {
		return nil, err
	}
	ev, err := m.build(graph.Eval, evalBatch, factory)
	if err != nil {
		_ = tr.Close()
		return nil, err
	}
	return &task{train: tr, eval: ev, ex: ex, trainIdx: trainIdx, valIdx: valIdx}, nil
}

// TrainLen is the number of training windows.
func (t *task) TrainLen() int { return len(t.trainIdx) }

// Params are the parameters, aligned with TrainStep's gradients.
func (t *task) Params() []*graph.Param { return t.train.Program.Params() }

// TrainStep runs forward and backward on training windows idx (positions in
// the training set); the loss is the mean NLL of their counted targets.
func (t *task) TrainStep(idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	if err := t.train.fill(t.ex, t.examples(idx)); err != nil {
		return 0, nil, err
	}
	if err := t.train.Program.Run(rng); err != nil {
		return 0, nil, err
	}
	loss, err := t.train.Program.Loss()
	if err != nil {
		return 0, nil, err
	}
	grads, err := t.train.Program.Grads()
	return loss, grads, err
}

// ValidationLoss is the mean NLL over every counted target of the
// validation windows, in eval mode.
func (t *task) ValidationLoss() (float64, bool, error) {
	if len(t.valIdx) == 0 {
		return 0, false, nil
	}
	var sum float64
	total := 0
	err := batches(t.eval, t.ex, t.valIdx, func(k, counted int) error {
		loss, err := t.eval.Program.Loss()
		sum += loss * float64(counted)
		total += counted
		return err
	})
	if err != nil || total == 0 {
		return 0, false, err
	}
	return sum / float64(total), true, nil
}

// Close releases both nets.
func (t *task) Close() error {
	err := t.train.Close()
	if e := t.eval.Close(); err == nil {
		err = e
	}
	return err
}

// batches runs an eval net over windows idx in batches, calling read with
// the number of windows and of counted targets of each.
func batches(n *Net, ex models.Examples, idx []int, read func(k, counted int) error) error {
	if n.Mode != graph.Eval {
		return fmt.Errorf("lstm: scoring needs an eval net")
	}
	for start := 0; start < len(idx); start += n.Batch {
		end := min(start+n.Batch, len(idx))
		counted, err := n.fillCount(ex, idx[start:end])
		if err != nil {
			return err
		}
		if err := n.Program.Run(nil); err != nil {
			return err
		}
		if err := read(end-start, counted); err != nil {
			return err
		}
	}
	return nil
}

// scorer scores windows with an eval net.
type scorer struct{ net *Net }

// Score returns, per window and position t, "one_minus_p" (1 - the
// probability of call t+1 given the calls before it in the window) and
// "nll" (its negative log-likelihood); padded positions score 0.
func (s *scorer) Score(ex models.Examples, idx []int) ([]models.Score, error) {
	T, B := s.net.steps, s.net.Batch
	omp := models.Score{Name: "one_minus_p", Width: T, Values: make([]float64, 0, len(idx)*T)}
	nll := models.Score{Name: "nll", Width: T, Values: make([]float64, 0, len(idx)*T)}
	err := batches(s.net, ex, idx, func(k, _ int) error {
		l, err := graph.Float32s(s.net.NLL)
		if err != nil {
			return err
		}
		p, err := graph.Float32s(s.net.Prob)
		if err != nil {
			return err
		}
		for i := 0; i < k; i++ {
			for t := 0; t < T; t++ {
				nll.Values = append(nll.Values, float64(l[t*B+i]))
				omp.Values = append(omp.Values, 1-float64(p[t*B+i]))
			}
		}
		return nil
	})
	return []models.Score{omp, nll}, err
}

func (s *scorer) Close() error { return s.net.Close() }
