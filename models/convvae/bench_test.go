package convvae

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkConvVAEStepBatch16 times one training step (forward, backward and
// a plain SGD update) of the seed's 2,911,589-parameter model on 1x100x50
// windows, batch 16, and reports samples/s.
func BenchmarkConvVAEStepBatch16(b *testing.B) {
	const batch = 16
	cfg := Seed(100, 50)
	m, err := New(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	w := Windows{N: batch, Size: 100 * 50, Data: make([]float32, batch*100*50)}
	for i := range w.Data {
		w.Data[i] = rng.Float32()
	}
	task, err := NewTask(m, w, allIdx(batch), nil, batch, batch)
	if err != nil {
		b.Fatal(err)
	}
	defer task.Close()
	idx := allIdx(batch)
	step := func() {
		_, grads, err := task.TrainStep(idx, rng)
		if err != nil {
			b.Fatal(err)
		}
		for i, p := range task.Params() {
			d := p.Data()
			for j := range d {
				d[j] -= 1e-4 * grads[i][j]
			}
		}
	}
	step() // warm-up: allocates the tape's buffers
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "samples/s")
}
