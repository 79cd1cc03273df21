package exec

import (
	"github.com/vigil-ml/vigil/trainers"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/models/lstm"
	G "gorgonia.org/gorgonia"
)

// seedLikeLSTM is a small model shaped like the seed's (an embedding of 32,
// a wide LSTM), with layers stacked and dropout between them.
func seedLikeLSTM(layers int) lstm.Config {
	return lstm.Config{Vocab: 60, Steps: 10, Embedding: 32, Hidden: 48, Layers: layers, Dropout: 0.2}
}

// lstmWindows is n random windows of T+1 call ids, some with padded tails.
func lstmWindows(cfg lstm.Config, n int, rng *rand.Rand) models.Examples {
	ex := models.Examples{Input: models.Input{IntShape: []int{cfg.Steps + 1}, Vocab: cfg.Vocab}, N: n}
	for i := range n {
		for t := range cfg.Steps + 1 {
			v := int32(rng.IntN(cfg.Vocab))
			if i%3 == 2 && t > cfg.Steps/2 {
				v = models.Pad
			}
			ex.Int = append(ex.Int, v)
		}
	}
	return ex
}

func indices(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// lstmNet is a compiled LSTM net, run once on the tape machine with its
// inputs (and, for train nets, noise) left in the graph, and its lowering
// with the loss and the model's outputs.
type lstmNet struct {
	prog  *graph.Program
	nodes []*G.Node // loss, NLL and, for eval nets, the target probabilities
	p     *program.Program
	loss  float64
	grads [][]float32 // aligned with prog.Params(); train nets only
	close func() error
}

// buildLSTM builds the train (or eval) net of cfg through a factory that
// keeps the compiled program on the tape machine, runs one step of batch
// windows on it and lowers it.
func buildLSTM(t *testing.T, cfg lstm.Config, batch int, train bool) *lstmNet {
	t.Helper()
	m, err := lstm.New(cfg, rand.New(rand.NewPCG(1, 1)))
	must(t, err)
	var net lstmNet
	factory := func(p *graph.Program, outputs ...*G.Node) (graph.Runner, error) {
		if net.prog == nil {
			net.prog, net.nodes = p, append([]*G.Node{p.LossNode()}, outputs...)
		}
		return p, nil
	}
	rng := rand.New(rand.NewPCG(7, 7))
	ex := lstmWindows(cfg, batch, rng)
	if train {
		task, err := m.TrainTask(ex, indices(batch), nil, batch, batch, factory)
		must(t, err)
		net.close = task.Close
		net.loss, net.grads, err = task.(trainers.Task).TrainStep(indices(batch), rng)
		must(t, err)
	} else {
		s, err := m.Scorer(batch, factory)
		must(t, err)
		net.close = s.Close
		_, err = s.Score(ex, indices(batch-1)) // the last example is padding
		must(t, err)
		net.loss, err = net.prog.Loss()
		must(t, err)
	}
	t.Cleanup(func() { _ = net.close() })
	net.p, err = program.Lower(net.prog.Graph(), net.nodes...)
	must(t, err)
	return &net
}

// lstmCheck runs an LSTM net on the CPU backend and compares it with the
// interpreter and the tape machine within tol.
func lstmCheck(t *testing.T, cfg lstm.Config, batch int, train bool, tol float64) *Schedule {
	t.Helper()
	net := buildLSTM(t, cfg, batch, train)
	mc, err := program.Interpret(net.p)
	must(t, err)
	e := runCPU(t, net.p, Config{})
	compare(t, e, mc, net.nodes, tol)
	for _, n := range net.nodes {
		want, err := graph.Float32s(n)
		must(t, err)
		got, err := e.Read(n)
		must(t, err)
		if err := closeTo("tape "+n.Name(), got, want, tol); err != nil {
			t.Error(err)
		}
	}
	if len(net.p.Grads) != len(net.grads) {
		t.Fatalf("%d gradients, the tape has %d", len(net.p.Grads), len(net.grads))
	}
	for i, n := range net.prog.ParamNodes()[:len(net.grads)] {
		got, err := e.Grad(n)
		must(t, err)
		if err := closeTo("tape grad "+n.Name(), got, net.grads[i], tol); err != nil {
			t.Error(err)
		}
	}
	checkRerun(t, e, net.prog.LossNode())
	return e.S
}

func TestLSTMMatchesInterpreter(t *testing.T) {
	for _, c := range []struct {
		name  string
		cfg   lstm.Config
		batch int
	}{{"tiny", lstm.Tiny(), 3}, {"seed-like 1 layer", seedLikeLSTM(1), 4}, {"seed-like 2 layers", seedLikeLSTM(2), 4}} {
		for _, train := range []bool{true, false} {
			name := c.name + map[bool]string{true: " train", false: " eval"}[train]
			t.Run(name, func(t *testing.T) {
				s := lstmCheck(t, c.cfg, c.batch, train, 1e-4)
				t.Logf("%d steps, arena %d floats (scratch %d)", len(s.Steps), s.ArenaSize, s.ScratchSize)
			})
		}
	}
}
