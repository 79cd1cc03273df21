package vaegan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// TestProgramExecutorMatchesTape trains one model on gorgonia's tape
// machine and one through the lowered programs (cuda/exec's CPU backend,
// the GPU path's reference; the noise drawn on the host as the tape does)
// from the same seed: both updates' per-epoch losses agree within 1e-4
// relative, the parameters within 1e-3, and the scores within 1e-4; with
// a discriminator that judges windows, and one that judges every call and
// sees corrupted windows.
func TestProgramExecutorMatchesTape(t *testing.T) {
	cfg := Config{Vocab: 8, Steps: 8, Embedding: 6, Hidden: 8, Latent: 3, KLWeight: 1e-2, AdversarialWeight: 0.1,
		Lambda: 0.5, GRounds: 1, DRounds: 2, W2VEpochs: 2, InversionSteps: 5, InversionLR: 0.05}
	t.Run("window", func(t *testing.T) { programMatchesTape(t, cfg) })
	cfg.PerCall, cfg.Corruption = true, 0.25
	t.Run("calls+corruption", func(t *testing.T) { programMatchesTape(t, cfg) })
}

func programMatchesTape(t *testing.T, cfg Config) {
	ex := cyclic(60, 10, 8, 5, rand.New(rand.NewPCG(2, 2)))
	run := func(f graph.RunnerFactory) (*Model, trainers.Result, []models.Score) {
		m, err := New(cfg, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		tk, err := m.TrainTask(ex, seq(0, 50), seq(50, 60), 16, 16, f)
		if err != nil {
			t.Fatal(err)
		}
		defer tk.Close()
		tr, err := models.NewTrainer(trainers.Config{Epochs: 3, BatchSize: 16, LR: 0.01, Seed: 4}, tk)
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
		scores, err := s.Score(ex, seq(50, 70))
		if err != nil {
			t.Fatal(err)
		}
		return m, res, scores
	}
	tape, tr, ts := run(nil)
	prog, pr, ps := run(exec.CPUFactory(exec.HostNoise()))
	for k, h := range tr.PhaseLoss {
		for e, want := range h.TrainLoss {
			got := pr.PhaseLoss[k].TrainLoss[e]
			if math.Abs(got-want) > 1e-4*math.Abs(want) {
				t.Fatalf("%s epoch %d: program loss %v, tape %v", h.Phase, e, got, want)
			}
		}
	}
	for i, p := range tape.Reg.Params() {
		for j, v := range p.Data() {
			if d := math.Abs(float64(v - prog.Reg.Params()[i].Data()[j])); d > 1e-3 {
				t.Fatalf("%s[%d]: program %v, tape %v", p.Name, j, prog.Reg.Params()[i].Data()[j], v)
			}
		}
	}
	for k := range ts {
		for i, want := range ts[k].Values {
			if math.Abs(ps[k].Values[i]-want) > 1e-4*math.Max(1, math.Abs(want)) {
				t.Fatalf("%s score %d: program %v, tape %v", ts[k].Name, i, ps[k].Values[i], want)
			}
		}
	}
}
