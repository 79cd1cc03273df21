package lstm

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// The configuration of ../shared/bench/peers/torch_lstm_lm.py: vocabulary
// 341, embedding 32, one LSTM layer of 200, windows of 64 calls, batch 64.
const (
	benchVocab = 341
	benchSteps = 64
	benchBatch = 64
)

// benchWindows are benchBatch random windows and a model of the peer's sizes.
func benchWindows(b *testing.B) (*Model, models.Examples, []int) {
	m, err := New(Config{Vocab: benchVocab, Steps: benchSteps, Embedding: 32, Hidden: 200, Layers: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	ex := models.Examples{Input: models.Input{IntShape: []int{benchSteps + 1}, Vocab: benchVocab}, N: benchBatch}
	for range benchBatch * (benchSteps + 1) {
		ex.Int = append(ex.Int, int32(rng.IntN(benchVocab)))
	}
	return m, ex, seq(0, benchBatch)
}

// BenchmarkLSTMLMTrainStep times one training step as the peer's: forward,
// backward and an Adam update, and reports tokens (predicted calls) per second.
func BenchmarkLSTMLMTrainStep(b *testing.B) {
	m, ex, idx := benchWindows(b)
	task, err := m.TrainTask(ex, idx, nil, benchBatch, benchBatch, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer task.Close()
	opt := trainers.NewAdam(trainers.AdamConfig{LR: 1e-3})
	rng := rand.New(rand.NewPCG(3, 3))
	step := func() {
		_, grads, err := task.(trainers.Task).TrainStep(idx, rng)
		if err != nil {
			b.Fatal(err)
		}
		if err := opt.Step(task.(trainers.Task).Params(), grads); err != nil {
			b.Fatal(err)
		}
	}
	for range 3 { // warm-up, as the peer
		step()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	b.ReportMetric(float64(benchBatch*benchSteps*b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkLSTMLMScore times scoring: the eval net's forward pass over a
// batch of windows with both per-call scores, and reports calls scored per
// second.
func BenchmarkLSTMLMScore(b *testing.B) {
	m, ex, idx := benchWindows(b)
	s, err := m.Scorer(benchBatch, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for range 3 {
		if _, err := s.Score(ex, idx); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Score(ex, idx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchBatch*benchSteps*b.N)/b.Elapsed().Seconds(), "calls/s")
}
