//go:build gpu

package exec

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
)

// TestGPUReplayAfterTheArenaGrows records the schedule as a CUDA graph (it
// is replayed from the second run on), grows the arena (Extra, as resident
// optimizer state does), and runs again: the recording over the old arena
// must not be replayed, and the loss must still match the CPU backend.
func TestGPUReplayAfterTheArenaGrows(t *testing.T) {
	gpu := newGPU(t)
	var losses [2][]float64
	for k, b := range []Backend{unowned{gpu}, NewCPUBackend()} {
		m, err := convvae.New(tinyConfig(), rand.New(rand.NewPCG(1, 1)))
		must(t, err)
		net, err := m.BuildWith(graph.Train, 4, Factory(func() (Backend, error) { return b, nil }))
		must(t, err)
		defer net.Close()
		r := net.Program.(*Runner)
		for run := 1; run <= 5; run++ {
			if run == 4 {
				_, err := r.Executor().Extra(1 << 20) // 4 MiB more: the arena is reallocated
				must(t, err)
			}
			fillInput(t, net.X, rand.New(rand.NewPCG(uint64(run), 3)))
			must(t, r.Run(rand.New(rand.NewPCG(5, uint64(run)))))
			loss, err := r.Loss()
			must(t, err)
			losses[k] = append(losses[k], loss)
		}
	}
	for i := range losses[0] {
		if err := closeTo("loss", []float32{float32(losses[0][i])}, []float32{float32(losses[1][i])}, 1e-4); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	if err := gpu.S.Synchronize(); err != nil {
		t.Fatal(err)
	}
}
