package ipinsights

import (
	"github.com/vigil-ml/vigil/models"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/trainers"
)

// TestProgramExecutorMatchesTape trains one model on gorgonia's tape
// machine and one through the lowered program (cuda/exec's CPU backend,
// the GPU path's reference) from the same seed: the per-epoch losses agree
// within 1e-5 relative and every parameter within 1e-4.
func TestProgramExecutorMatchesTape(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var keys, ips []uint32
	for range 400 {
		e := rng.IntN(20)
		keys = append(keys, uint32(e))
		ips = append(ips, uint32(50+e)<<24|uint32(rng.IntN(4)))
	}
	ex := pairs(keys, ips, nil)
	train := nil2all(ex.N)
	cfg := Config{Entities: 32, Dim: 8, Layers: 2, Buckets: 64, RandomRate: 1, ShuffledRate: 2}
	run := func(f graph.RunnerFactory) (*Model, trainers.Result) {
		m, err := New(cfg, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		tk, err := m.TrainTask(*ex, train[:350], train[350:], 64, 64, f)
		if err != nil {
			t.Fatal(err)
		}
		defer tk.Close()
		tr, err := models.NewTrainer(trainers.Config{Epochs: 3, BatchSize: 64, LR: 0.01, WeightDecay: 1e-3, Seed: 4}, tk)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tr.Run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return m, res
	}
	tape, tr := run(nil)
	prog, pr := run(exec.CPUFactory())
	for e := range tr.TrainLoss {
		if d := math.Abs(pr.TrainLoss[e]-tr.TrainLoss[e]) / tr.TrainLoss[e]; d > 1e-5 {
			t.Fatalf("epoch %d: program loss %v, tape %v", e, pr.TrainLoss[e], tr.TrainLoss[e])
		}
	}
	for i, p := range tape.Reg.Params() {
		q := prog.Reg.Params()[i]
		for j, v := range p.Data() {
			if math.Abs(float64(v-q.Data()[j])) > 1e-4 {
				t.Fatalf("%s[%d]: program %v, tape %v", p.Name, j, q.Data()[j], v)
			}
		}
	}
	if !(tr.TrainLoss[2] < tr.TrainLoss[0]) {
		t.Fatalf("training loss %v did not fall", tr.TrainLoss)
	}
}
