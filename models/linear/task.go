package linear

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// task trains on labelled examples and validates on others; it satisfies
// trainers.DeviceTask.
type task struct {
	m           *Model
	train, eval *Net // eval is nil without validation examples
	ex          models.Examples
	trainIdx    []int
	valIdx      []int
	cw          classWeights
	valWeight   float64 // the validation examples' total class weight
	pos         []int
}

var _ trainers.DeviceTask = (*task)(nil)

func newTask(m *Model, ex models.Examples, trainIdx, valIdx []int, batch, evalBatch int, factory graph.RunnerFactory) (*task, error) {
	if len(trainIdx) == 0 {
		return nil, fmt.Errorf("linear: no training examples")
	}
	if err := ex.Matches(m.input()); err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	nPos, nNeg, err := countLabels(ex, trainIdx)
	if err != nil {
		return nil, err
	}
	if nPos+nNeg == 0 {
		return nil, fmt.Errorf("linear: none of the %d training examples is labelled", len(trainIdx))
	}
	pos, neg, err := m.Config.ClassWeights(nPos, nNeg)
	if err != nil {
		return nil, err
	}
	t := &task{m: m, ex: ex, trainIdx: trainIdx, valIdx: valIdx, cw: classWeights{pos: pos, neg: neg}}
	vPos, vNeg, err := countLabels(ex, valIdx)
	if err != nil {
		return nil, err
	}
	t.valWeight = float64(vPos)*pos + float64(vNeg)*neg
	if t.train, err = m.build(graph.Train, batch, factory); err != nil {
		return nil, err
	}
	if len(valIdx) == 0 {
		return t, nil // no eval net: nothing to validate
	}
	if t.eval, err = m.build(graph.Eval, evalBatch, factory); err != nil {
		_ = t.train.Close()
		return nil, err
	}
	return t, nil
}

// countLabels counts the positive and negative labels of examples idx;
// models.Pad (no label) is not counted, any other label is an error.
func countLabels(ex models.Examples, idx []int) (pos, neg int, err error) {
	for _, j := range idx {
		if j < 0 || j >= ex.N {
			return 0, 0, fmt.Errorf("linear: example %d out of range [0, %d)", j, ex.N)
		}
		switch y := ex.IntAt(j)[0]; y {
		case 1:
			pos++
		case 0:
			neg++
		case models.Pad:
		default:
			return 0, 0, fmt.Errorf("linear: example %d: label %d is not 0, 1 or %d (none)", j, y, models.Pad)
		}
	}
	return pos, neg, nil
}

// TrainLen is the number of training examples.
func (t *task) TrainLen() int { return len(t.trainIdx) }

// Params are the parameters, aligned with TrainStep's gradients.
func (t *task) Params() []*graph.Param { return t.train.Program.Params() }

// TrainStep runs forward and backward on training examples idx (positions
// in the training set); the loss is their class-weighted mean hinge loss
// plus the L2 term.
func (t *task) TrainStep(idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	if err := t.fillTrain(idx); err != nil {
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

// fillTrain sets the train net's inputs to training examples idx.
func (t *task) fillTrain(idx []int) error {
	t.pos = t.pos[:0]
	for _, i := range idx {
		if i < 0 || i >= len(t.trainIdx) {
			return fmt.Errorf("linear: training example %d out of range [0, %d)", i, len(t.trainIdx))
		}
		t.pos = append(t.pos, t.trainIdx[i])
	}
	_, err := t.train.fill(t.ex, t.pos, t.cw, 0, true)
	return err
}

// ValidationLoss is the class-weighted mean hinge loss over every labelled
// validation example (the training set's class weights), plus the L2 term.
func (t *task) ValidationLoss() (float64, bool, error) {
	if t.eval == nil || t.valWeight == 0 {
		return 0, false, nil
	}
	var sum float64
	err := batches(t.eval, t.ex, t.valIdx, t.cw, t.valWeight, true, func(int) error {
		loss, err := t.eval.Program.Loss()
		sum += loss
		return err
	})
	if err != nil {
		return 0, false, err
	}
	return sum + t.m.l2Term(), true, nil
}

// Close releases the nets.
func (t *task) Close() error {
	err := t.train.Close()
	if t.eval == nil {
		return err
	}
	if e := t.eval.Close(); err == nil {
		err = e
	}
	return err
}

// batches runs an eval net over examples idx in batches (see Net.fill),
// calling read with the number of examples of each.
func batches(n *Net, ex models.Examples, idx []int, cw classWeights, norm float64, labels bool, read func(k int) error) error {
	if n.Mode != graph.Eval {
		return fmt.Errorf("linear: scoring needs an eval net")
	}
	for start := 0; start < len(idx); start += n.Batch {
		end := min(start+n.Batch, len(idx))
		if _, err := n.fill(ex, idx[start:end], cw, norm, labels); err != nil {
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

// scorer scores examples with an eval net.
type scorer struct{ net *Net }

// Score returns "decision", w·x + b of each example (higher: more
// anomalous); labels are not read.
func (s *scorer) Score(ex models.Examples, idx []int) ([]models.Score, error) {
	dec := models.Score{Name: "decision", Width: 1, Values: make([]float64, 0, len(idx))}
	err := batches(s.net, ex, idx, classWeights{}, 0, false, func(k int) error {
		f, err := graph.Float32s(s.net.Decision)
		if err != nil {
			return err
		}
		for _, v := range f[:k] {
			dec.Values = append(dec.Values, float64(v))
		}
		return nil
	})
	return []models.Score{dec}, err
}

func (s *scorer) Close() error { return s.net.Close() }
