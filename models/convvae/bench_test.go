package convvae

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
)

// benchBatch is the batch size of the benchmarks (and of torch_convvae.py).
const benchBatch = 16

// benchTask is the seed model on benchBatch random 100x50 windows, its
// nets built with factory, and the RNG of the steps.
func benchTask(b *testing.B, factory graph.RunnerFactory) (*Task, *rand.Rand) {
	m, err := New(Seed(100, 50), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	w := Windows{N: benchBatch, Size: 100 * 50, Data: make([]float32, benchBatch*100*50)}
	for i := range w.Data {
		w.Data[i] = rng.Float32()
	}
	task, err := NewTaskWith(m, w, allIdx(benchBatch), nil, benchBatch, benchBatch, factory)
	if err != nil {
		b.Fatal(err)
	}
	return task, rng
}

// BenchmarkConvVAEStepBatch16 times one training step (forward, backward and
// a plain SGD update) of the seed's 2,911,589-parameter model on 1x100x50
// windows, batch 16, and reports samples/s.
func BenchmarkConvVAEStepBatch16(b *testing.B) {
	task, rng := benchTask(b, nil)
	defer task.Close()
	idx := allIdx(benchBatch)
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
	b.ReportMetric(float64(benchBatch*b.N)/b.Elapsed().Seconds(), "samples/s")
}
