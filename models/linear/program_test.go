package linear

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/cuda/selftest"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// TestProgramExecutorMatchesTape trains one model on gorgonia's tape
// machine and one through the lowered programs (cuda/exec's CPU backend,
// the GPU path's reference, whose runner holds the parameters and applies
// Adam itself) from the same seed, with the imbalance-ratio penalty: the
// per-epoch training and validation losses agree within 1e-5 relative,
// the parameters within 1e-4 and the scores within 1e-4.
func TestProgramExecutorMatchesTape(t *testing.T) {
	ex := imbalanced(30, 270, 8, 1, rand.New(rand.NewPCG(4, 4)))
	perm := rand.New(rand.NewPCG(5, 5)).Perm(ex.N)
	train, val := perm[:240], perm[240:]
	run := func(f graph.RunnerFactory) (*Model, trainers.Result, []models.Score) {
		m, err := New(Config{Features: 8, Penalty: PenaltyIR, PosWeight: 1, NegWeight: 1, L2: 0.01}, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		tk, err := m.TrainTask(ex, train, val, 32, 25, f)
		if err != nil {
			t.Fatal(err)
		}
		defer tk.Close()
		tr, err := models.NewTrainer(trainers.Config{Epochs: 4, BatchSize: 32, LR: 0.01, Seed: 6}, tk)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tr.Run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		s, err := m.Scorer(16, f)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		scores, err := s.Score(ex, val)
		if err != nil {
			t.Fatal(err)
		}
		return m, res, scores
	}
	tape, tr, ts := run(nil)
	prog, pr, ps := run(exec.CPUFactory())
	close := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
			t.Fatalf("%s: program %v, tape %v", what, got, want)
		}
	}
	for e := range tr.TrainLoss {
		close("training loss", pr.TrainLoss[e], tr.TrainLoss[e], 1e-5)
		close("validation loss", pr.ValLoss[e], tr.ValLoss[e], 1e-5)
	}
	for i, p := range tape.Reg.Params() {
		for j, v := range p.Data() {
			close(p.Name, float64(prog.Reg.Params()[i].Data()[j]), float64(v), 1e-4)
		}
	}
	for i, v := range ts[0].Values {
		close("decision", ps[0].Values[i], v, 1e-4)
	}
	if !(tr.TrainLoss[3] < tr.TrainLoss[0]) {
		t.Fatalf("training loss %v did not fall", tr.TrainLoss)
	}
}

// TestGraphsLowerAndCheck: the train graph (with gradients and the L2
// term) and the eval graph lower completely and their memory plans check.
func TestGraphsLowerAndCheck(t *testing.T) {
	m, err := New(Tiny(), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []graph.Mode{graph.Train, graph.Eval} {
		n, err := m.build(mode, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := program.Lower(n.Program.Graph(), n.Loss, n.Decision)
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if err := p.Check(); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		_ = n.Close()
	}
}

// TestProbe: the family's probe trains on the CPU program backend as the
// self-test runs it, and its first loss is the tape machine's.
func TestProbe(t *testing.T) {
	p := Family{}.Probe()
	if err := selftest.Check(func() (exec.Backend, error) { return exec.NewCPUBackend(), nil }, p); err != nil {
		t.Fatal(err)
	}
	var losses []float64
	for _, f := range []graph.RunnerFactory{nil, exec.CPUFactory()} {
		r, fill, err := p.Build(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := fill(rand.New(rand.NewPCG(2, 2))); err != nil {
			t.Fatal(err)
		}
		if err := r.Run(nil); err != nil {
			t.Fatal(err)
		}
		loss, err := r.Loss()
		if err != nil {
			t.Fatal(err)
		}
		grads, err := r.Grads()
		if err != nil || len(grads) != 2 {
			t.Fatalf("%d gradients, err %v", len(grads), err)
		}
		losses = append(losses, loss)
		_ = r.Close()
	}
	if !(losses[0] > 0) || math.Abs(losses[0]-losses[1]) > 1e-5*losses[0] {
		t.Fatalf("probe loss on the tape %v, on the program %v", losses[0], losses[1])
	}
}
