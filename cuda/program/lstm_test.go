package program_test

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

// seedLikeLSTM is a small model shaped like the seed's (Kim et al.: an
// embedding of 32, one wide LSTM layer), with layers stacked.
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

// captured is a compiled program a model built through capture.
type captured struct {
	p       *graph.Program
	outputs []*G.Node
}

// capture is a runner factory that records every program and runs it on
// the tape machine.
func capture(dst *[]captured) graph.RunnerFactory {
	return func(p *graph.Program, outputs ...*G.Node) (graph.Runner, error) {
		*dst = append(*dst, captured{p, outputs})
		return p, nil
	}
}

// lstmTrainCheck runs train steps of an LSTM language model on the tape and
// compares the interpreter's loss, NLL and every gradient with it.
func lstmTrainCheck(t *testing.T, cfg lstm.Config, batch, steps int) *program.Program {
	t.Helper()
	m, err := lstm.New(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	ex := lstmWindows(cfg, 3*batch, rng)
	var progs []captured
	task, err := m.TrainTask(ex, seq(3*batch), nil, batch, batch, capture(&progs))
	if err != nil {
		t.Fatal(err)
	}
	defer task.Close()
	tr := progs[0]
	g := tr.p.Graph()
	p, err := program.Lower(g, append([]*G.Node{tr.p.LossNode()}, tr.outputs...)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Grads) != len(m.Reg.Params()) {
		t.Fatalf("%d gradients, want one per parameter (%d)", len(p.Grads), len(m.Reg.Params()))
	}
	for step := range steps {
		idx := seq(batch)
		for i := range idx {
			idx[i] += (step * batch) % (2 * batch)
		}
		loss, grads, err := task.(trainers.Task).TrainStep(idx, rng)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]float32{}
		for i, prm := range task.(trainers.Task).Params() {
			want[prm.Name] = append([]float32(nil), grads[i]...)
		}
		mc, err := program.Interpret(p)
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstTape(t, p, mc, g, tr.p.LossNode(), float32(loss), want)
		checkOutputs(t, mc, tr.outputs)
		if t.Failed() {
			t.Fatalf("step %d", step)
		}
	}
	checkPlan(t, p)
	return p
}

// checkOutputs compares the interpreter's values of nodes with the tape's.
func checkOutputs(t *testing.T, mc *program.Machine, nodes []*G.Node) {
	t.Helper()
	for _, n := range nodes {
		want, err := graph.Float32s(n)
		if err != nil {
			t.Fatal(err)
		}
		got, err := mc.Value(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := closeTo(n.Name(), got, want); err != nil {
			t.Error(err)
		}
	}
}

// lstmEvalCheck scores windows with the eval net on the tape and compares
// the interpreter's loss, NLL and target probabilities with it.
func lstmEvalCheck(t *testing.T, cfg lstm.Config, batch int) *program.Program {
	t.Helper()
	m, err := lstm.New(cfg, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	var progs []captured
	s, err := m.Scorer(batch, capture(&progs))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ev := progs[0]
	nodes := append([]*G.Node{ev.p.LossNode()}, ev.outputs...)
	p, err := program.Lower(ev.p.Graph(), nodes...)
	if err != nil {
		t.Fatal(err)
	}
	// batch-1 windows: the last example of the batch is padding.
	ex := lstmWindows(cfg, batch-1, rand.New(rand.NewPCG(5, 5)))
	if _, err := s.Score(ex, seq(batch-1)); err != nil {
		t.Fatal(err)
	}
	mc, err := program.Interpret(p)
	if err != nil {
		t.Fatal(err)
	}
	checkOutputs(t, mc, nodes)
	checkPlan(t, p)
	return p
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestLSTMTrainMatchesTape(t *testing.T) {
	for _, c := range []struct {
		name  string
		cfg   lstm.Config
		batch int
	}{{"tiny", lstm.Tiny(), 3}, {"seed-like 1 layer", seedLikeLSTM(1), 4}, {"seed-like 2 layers", seedLikeLSTM(2), 4}} {
		t.Run(c.name, func(t *testing.T) {
			p := lstmTrainCheck(t, c.cfg, c.batch, 2)
			t.Logf("train: %d instructions (%d folded, %d dropped), arena %d (%d pinned), unshared %d",
				len(p.Instrs), p.Folded, p.Dropped, p.ArenaSize, p.PinnedSize, p.UnsharedSize())
		})
	}
}

func TestLSTMEvalMatchesTape(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  lstm.Config
	}{{"tiny", lstm.Tiny()}, {"seed-like 1 layer", seedLikeLSTM(1)}, {"seed-like 2 layers", seedLikeLSTM(2)}} {
		t.Run(c.name, func(t *testing.T) {
			p := lstmEvalCheck(t, c.cfg, 4)
			t.Logf("eval: %d instructions, arena %d (%d pinned), unshared %d", len(p.Instrs), p.ArenaSize, p.PinnedSize, p.UnsharedSize())
		})
	}
}
