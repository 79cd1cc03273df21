package vaegan

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// BenchmarkVAEGANTrainStep times one training step in the configuration of
// ../shared/bench/peers/torch_lstm_vaegan.py: windows of 32 calls embedded
// in 32 dimensions, LSTMs of 60, latent 10, batches of 64, and the step's
// two updates (encoder/decoder, then discriminator), each with its Adam
// update; it reports windows per second.
func BenchmarkVAEGANTrainStep(b *testing.B) { benchTrainStep(b, nil) }

// benchTrainStep runs BenchmarkVAEGANTrainStep's step with the nets run by
// factory's runners (nil: the tape).
func benchTrainStep(b *testing.B, factory graph.RunnerFactory) {
	const T, B = 32, 64
	cfg := Config{Vocab: 341, Steps: T, Embedding: 32, Hidden: 60, Latent: 10, KLWeight: 1e-3, AdversarialWeight: 0.1,
		Lambda: 0.5, GRounds: 1, DRounds: 1, W2VEpochs: 1}
	m, err := New(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	ex := models.Examples{Input: models.Input{IntShape: []int{T + 1}, Vocab: cfg.Vocab}, N: B}
	for range B * (T + 1) {
		ex.Int = append(ex.Int, int32(rng.IntN(cfg.Vocab)))
	}
	tk, err := newTask(m, ex, seq(0, B), nil, B, B, factory)
	if err != nil {
		b.Fatal(err)
	}
	defer tk.Close()
	phases := tk.Phases()
	opts := []*trainers.Adam{trainers.NewAdam(trainers.AdamConfig{LR: 1e-3}), trainers.NewAdam(trainers.AdamConfig{LR: 1e-3})}
	idx := seq(0, B)
	noise := rand.New(rand.NewPCG(3, 3))
	step := func() {
		for p := range phases {
			_, grads, err := tk.PhaseStep(p, idx, noise)
			if err != nil {
				b.Fatal(err)
			}
			if err := opts[p].Step(phases[p].Params, grads); err != nil {
				b.Fatal(err)
			}
		}
	}
	for range 3 { // warm-up, as the peer
		step()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	b.ReportMetric(float64(B*b.N)/b.Elapsed().Seconds(), "windows/s")
}
