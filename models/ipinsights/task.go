package ipinsights

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// validationSeed fixes the negatives of the validation loss, so that
// epochs are compared on the same pairs.
const validationSeed = 0x1f83d9abfb41bd6b

// task trains on true pairs and validates on others; it is a
// trainers.SparseTask: the tables get row-sparse gradients.
type task struct {
	m                *Model
	net              *net
	ex               models.Examples
	trainIdx, valIdx []int
	params           []*graph.Param
	ent, pre         *rowAccumulator
	rows             []*trainers.RowGrad
	pos              []int
}

var _ trainers.SparseTask = (*task)(nil)

func newTask(m *Model, ex models.Examples, trainIdx, valIdx []int, batch int, factory graph.RunnerFactory) (*task, error) {
	if len(trainIdx) == 0 {
		return nil, fmt.Errorf("ipinsights: no training pairs")
	}
	if err := ex.Matches(models.Input{IntShape: []int{2}}); err != nil {
		return nil, fmt.Errorf("ipinsights: %w", err)
	}
	n, err := m.build(batch, factory)
	if err != nil {
		return nil, err
	}
	t := &task{m: m, net: n, ex: ex, trainIdx: trainIdx, valIdx: valIdx,
		ent: newRowAccumulator(m.Config.Entities, m.Config.Dim), pre: newRowAccumulator(4*m.Config.Buckets, m.Config.Dim)}
	t.params = append(append(t.params, n.Runner.Params()...), m.Entity, m.Prefix)
	t.rows = make([]*trainers.RowGrad, len(t.params))
	return t, nil
}

// TrainLen is the number of training pairs.
func (t *task) TrainLen() int { return len(t.trainIdx) }

// Params are the encoder's parameters, then the entity and prefix tables.
func (t *task) Params() []*graph.Param { return t.params }

// TrainStep runs one batch of true pairs idx (positions in the training
// set) with fresh negatives from rng; the loss is the mean BCE of all rows.
// The tables' gradients are nil here and row-sparse in RowGrads.
func (t *task) TrainStep(idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	t.pos = t.pos[:0]
	for _, i := range idx {
		t.pos = append(t.pos, t.trainIdx[i])
	}
	n := t.net
	if err := n.fill(t.m, t.ex, t.pos, rng); err != nil {
		return 0, nil, err
	}
	if err := n.Runner.Run(nil); err != nil {
		return 0, nil, err
	}
	loss, err := n.Runner.Loss()
	if err != nil {
		return 0, nil, err
	}
	dense, err := n.Runner.Grads()
	if err != nil {
		return 0, nil, err
	}
	if err := t.scatter(); err != nil {
		return 0, nil, err
	}
	grads := append(append(make([][]float32, 0, len(t.params)), dense...), nil, nil)
	return loss, grads, nil
}

// scatter turns the gradients of the gathered vectors into row gradients:
// an entity row gets its rows' entity gradients, each of an address's four
// prefix rows the gradient of their sum.
func (t *task) scatter() error {
	gEnt, err := graph.Float32s(t.net.gEnt)
	if err != nil {
		return err
	}
	gIP, err := graph.Float32s(t.net.gIP)
	if err != nil {
		return err
	}
	t.ent.reset()
	t.pre.reset()
	d := t.m.Config.Dim
	for r, ok := range t.net.valid {
		if !ok {
			continue
		}
		t.ent.add(t.m.entityRow(t.net.keys[r]), gEnt[r*d:(r+1)*d])
		for _, p := range t.m.prefixRows(t.net.ips[r]) {
			t.pre.add(p, gIP[r*d:(r+1)*d])
		}
	}
	k := len(t.params)
	t.rows[k-2], t.rows[k-1] = &t.ent.grad, &t.pre.grad
	return nil
}

// RowGrads returns the tables' row gradients of the last step.
func (t *task) RowGrads() []*trainers.RowGrad { return t.rows }

// ValidationLoss is the mean BCE of the validation pairs and their
// negatives, drawn from a fixed seed, computed on the host.
func (t *task) ValidationLoss() (float64, bool, error) {
	if len(t.valIdx) == 0 {
		return 0, false, nil
	}
	rng := rand.New(rand.NewPCG(validationSeed, 0))
	var sum float64
	rows := 0
	for start := 0; start < len(t.valIdx); start += t.net.Batch {
		idx := t.valIdx[start:min(start+t.net.Batch, len(t.valIdx))]
		s, n, err := t.m.batchLoss(t.ex, idx, rng)
		if err != nil {
			return 0, false, err
		}
		sum += s
		rows += n
	}
	return sum / float64(rows), true, nil
}

// Close releases the graph.
func (t *task) Close() error { return t.net.Close() }
