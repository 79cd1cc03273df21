package ipinsights

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// The configuration of ../shared/bench/peers/torch_ipinsights.py: 20,000
// entity vectors of 128, 2^18 buckets per prefix table, one encoder layer,
// batches of 1,000 pairs with 1 shuffled and 1 random negative each.
func benchModel(b *testing.B) (*Model, models.Examples, []int) {
	m, err := New(Config{Entities: 20000, Dim: 128, Layers: 1, Buckets: 1 << 18, RandomRate: 1, ShuffledRate: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	var keys, ips []uint32
	for range 1000 {
		keys, ips = append(keys, uint32(rng.IntN(20000))), append(ips, rng.Uint32())
	}
	return m, *pairs(keys, ips, nil), nil2all(1000)
}

// BenchmarkIPInsightsTrainStep times one training step as the peer's:
// negatives, forward, backward, lazy Adam on the touched table rows and
// Adam on the encoder; it reports true pairs (events) per second.
func BenchmarkIPInsightsTrainStep(b *testing.B) {
	m, ex, idx := benchModel(b)
	tk, err := newTask(m, ex, idx, nil, 1000, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tk.Close()
	opt := trainers.NewAdam(trainers.AdamConfig{LR: 1e-3})
	rng := rand.New(rand.NewPCG(3, 3))
	step := func() {
		_, grads, err := tk.TrainStep(idx, rng)
		if err != nil {
			b.Fatal(err)
		}
		if err := opt.StepRows(tk.Params(), grads, tk.RowGrads()); err != nil {
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
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkIPInsightsScore times host scoring of batches of 10,000 pairs
// (records per second), what vigil score and /invocations do per request.
func BenchmarkIPInsightsScore(b *testing.B) {
	m, _, _ := benchModel(b)
	rng := rand.New(rand.NewPCG(4, 4))
	const n = 10000
	keys, ips := make([]uint32, n), make([]uint32, n)
	for i := range keys {
		keys[i], ips[i] = rng.Uint32(), rng.Uint32()
	}
	dot := make([]float64, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := m.Pairs(keys, ips, dot, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}
