//go:build gpu

package exec

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
	"github.com/vigil-ml/vigil/trainers"
)

// TestGPUResidentAdamMatchesCPU runs eight Adam steps with parameters and
// moments held by the GPU and by the CPU backend from the same start (the
// GPU replays its schedule as a CUDA graph from the second step on):
// losses, parameters and moments agree within 1e-3 relative (the
// backends sum in different orders; the update itself is the same
// float64 arithmetic on both).
func TestGPUResidentAdamMatchesCPU(t *testing.T) {
	gpu := newGPU(t)
	type side struct {
		net *convvae.Net
		r   *Runner
		opt *trainers.Adam
		rng *rand.Rand
	}
	build := func(b Backend) side {
		m, err := convvae.New(tinyConfig(), rand.New(rand.NewPCG(1, 1)))
		must(t, err)
		// The test closes the GPU backend; the runner must not.
		f := Factory(func() (Backend, error) { return struct{ Backend }{b}, nil })
		net, err := m.BuildWith(graph.Train, 4, f)
		must(t, err)
		t.Cleanup(func() { net.Close() })
		return side{net, net.Program.(*Runner), trainers.NewAdam(trainers.AdamConfig{LR: 1e-2}), rand.New(rand.NewPCG(7, 7))}
	}
	sides := [2]side{build(gpu), build(NewCPUBackend())}
	for step := 1; step <= 8; step++ {
		var loss [2]float64
		for k := range sides {
			fillInput(t, sides[k].net.X, rand.New(rand.NewPCG(uint64(step), 9)))
			s := sides[k]
			u, err := s.opt.NextUpdate(s.r.Params())
			must(t, err)
			applied, err := s.r.Step(s.rng, u)
			must(t, err)
			if !applied {
				t.Fatalf("step %d: not applied", step)
			}
			s.opt.Advance()
			loss[k], err = s.r.Loss()
			must(t, err)
		}
		if err := closeTo("loss", []float32{float32(loss[0])}, []float32{float32(loss[1])}, 1e-3); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
	}
	if err := sides[0].r.Executor().RecordErr; err != nil {
		t.Errorf("the schedule could not be recorded as a CUDA graph: %v", err)
	}
	for k := range sides {
		must(t, sides[k].r.Sync())
	}
	pg, pc := sides[0].r.Params(), sides[1].r.Params()
	for i := range pg {
		if err := closeTo(pg[i].Name, pg[i].Data(), pc[i].Data(), 1e-3); err != nil {
			t.Error(err)
		}
	}
	sg, sc := sides[0].opt.State(), sides[1].opt.State()
	for i := range sg.Tensors {
		if err := closeTo(sg.Tensors[i].Name, sg.Tensors[i].Data, sc.Tensors[i].Data, 1e-3); err != nil {
			t.Error(err)
		}
	}
}
