package ipinsights

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	"github.com/vigil-ml/vigil/models"
	G "gorgonia.org/gorgonia"
)

// net is the training graph of batches of Batch true pairs: every pair
// gives 1+R+S rows (itself, then its shuffled and random negatives, block
// by block). The graph starts from the gathered vectors, inputs whose
// gradients it computes: the host gathers table rows before each run and
// scatters the gradients into row-sparse updates after it, so that no
// dense gradient of a table is ever formed.
type net struct {
	Batch, Rows int
	Runner      graph.Runner
	ent, ip     *G.Node // [Rows, Dim] entity vectors, summed prefix vectors
	label       *G.Node // [Rows, 1]
	weight      *G.Node // [Rows]: 1/(real rows) for real rows, 0 for padding
	gEnt, gIP   *G.Node // their gradients

	keys, ips []uint32 // per row
	valid     []bool   // per row
	entBuf    []float32
	ipBuf     []float32
	labels    []float32
	weights   []float32
}

// build compiles the training graph for batch true pairs.
func (m *Model) build(batch int, factory graph.RunnerFactory) (*net, error) {
	if batch < 1 {
		return nil, fmt.Errorf("ipinsights: batch %d", batch)
	}
	c := m.Config
	n := &net{Batch: batch, Rows: batch * (1 + c.RandomRate + c.ShuffledRate)}
	b := graph.NewBuilder(m.Reg, graph.Train)
	n.ent = b.DiffInput("entity_vectors", n.Rows, c.Dim)
	n.ip = b.DiffInput("prefix_sums", n.Rows, c.Dim)
	n.label = b.Input("labels", n.Rows, 1)
	n.weight = b.Input("row_weights", n.Rows)
	loss, err := m.loss(b, n)
	if err != nil {
		return nil, err
	}
	prog, err := graph.Compile(b, loss, true)
	if err != nil {
		return nil, err
	}
	grads := prog.InputGrads()
	n.gEnt, n.gIP = grads[0], grads[1]
	n.Runner = prog
	if factory != nil {
		if n.Runner, err = factory(prog, n.gEnt, n.gIP); err != nil {
			_ = prog.Close()
			return nil, err
		}
	}
	n.keys, n.ips, n.valid = make([]uint32, n.Rows), make([]uint32, n.Rows), make([]bool, n.Rows)
	n.entBuf, n.ipBuf = make([]float32, n.Rows*c.Dim), make([]float32, n.Rows*c.Dim)
	n.labels, n.weights = make([]float32, n.Rows), make([]float32, n.Rows)
	return n, nil
}

// loss is sum_r weight_r · BCE(dot(entity_r, encode(prefixes_r)), label_r).
func (m *Model) loss(b *graph.Builder, n *net) (*G.Node, error) {
	h := n.ip
	var err error
	for _, d := range m.enc {
		if h, err = d.Forward(b, h); err != nil {
			return nil, err
		}
	}
	prod, err := G.HadamardProd(n.ent, h)
	if err != nil {
		return nil, fmt.Errorf("ipinsights: %w", err)
	}
	dot, err := G.Sum(prod, 1)
	if err != nil {
		return nil, fmt.Errorf("ipinsights: %w", err)
	}
	logits, err := G.Reshape(dot, []int{n.Rows, 1})
	if err != nil {
		return nil, fmt.Errorf("ipinsights: %w", err)
	}
	bce, err := layers.BCEWithLogits(logits, n.label)
	if err != nil {
		return nil, err
	}
	weighted, err := G.HadamardProd(bce, n.weight)
	if err != nil {
		return nil, fmt.Errorf("ipinsights: %w", err)
	}
	return G.Sum(weighted)
}

// fill lays out the rows of true pairs idx of ex (at most Batch) and their
// negatives drawn from rng (see layoutRows).
func (n *net) fill(m *Model, ex models.Examples, idx []int, rng *rand.Rand) error {
	k := len(idx)
	if k < 1 || k > n.Batch {
		return fmt.Errorf("ipinsights: %d pairs for a batch of %d", k, n.Batch)
	}
	if ex.IntSize() != 2 || ex.FloatSize() != 0 {
		return fmt.Errorf("ipinsights: examples of %v ints and %v floats, want (entity, IPv4) pairs", ex.IntShape, ex.FloatShape)
	}
	clear(n.valid)
	for i, e := range idx {
		f := ex.IntAt(e)
		n.keys[i], n.ips[i] = uint32(f[0]), uint32(f[1])
	}
	layoutRows(m.Config, k, n.Batch, n.keys, n.ips, n.labels, n.valid, rng)
	return n.gather(m)
}

// layoutRows completes rows whose first k keys and ips are true pairs:
// it labels them 1 and fills the negative blocks (each stride rows apart)
// with label 0, marking the rows it sets valid. Each shuffled block pairs
// every entity with the address of a pair drawn by a permutation of the
// k (possibly its own, as the reference does), each random block with a
// uniform address; rng is drawn in that order.
func layoutRows(c Config, k, stride int, keys, ips []uint32, labels []float32, valid []bool, rng *rand.Rand) {
	for i := range k {
		labels[i], valid[i] = 1, true
	}
	set := func(row int, key, ip uint32) {
		keys[row], ips[row], labels[row], valid[row] = key, ip, 0, true
	}
	for s := range c.ShuffledRate {
		off := stride * (1 + s)
		for i, j := range rng.Perm(k) {
			set(off+i, keys[i], ips[j])
		}
	}
	for r := range c.RandomRate {
		off := stride * (1 + c.ShuffledRate + r)
		for i := range k {
			set(off+i, keys[i], rng.Uint32())
		}
	}
}

// gather weighs the valid rows equally, zeroes the others and copies the
// vectors of every row into the graph's inputs.
func (n *net) gather(m *Model) error {
	real := 0
	for _, v := range n.valid {
		if v {
			real++
		}
	}
	d := m.Config.Dim
	for r, v := range n.valid {
		ent, ip := n.entBuf[r*d:(r+1)*d], n.ipBuf[r*d:(r+1)*d]
		if !v {
			clear(ent)
			clear(ip)
			n.weights[r], n.labels[r] = 0, 0
			continue
		}
		n.weights[r] = 1 / float32(real)
		m.gatherEntity(n.keys[r], ent)
		m.gatherPrefixes(n.ips[r], ip)
	}
	for _, in := range []struct {
		node *G.Node
		data []float32
	}{{n.ent, n.entBuf}, {n.ip, n.ipBuf}, {n.label, n.labels}, {n.weight, n.weights}} {
		if err := graph.SetInput(in.node, in.data); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the runner.
func (n *net) Close() error { return n.Runner.Close() }
