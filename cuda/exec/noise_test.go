package exec

import (
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/kernels"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
)

// TestBackendDrawsDropoutMasks runs a train net whose dropout masks the
// backend draws: each mask equals kernels.MaskValue under the key the run
// took from its RNG (one Uint64 per mask, in creation order, other noise
// filled on the host in between), and HostNoise gives the graph's own
// host fill instead.
func TestBackendDrawsDropoutMasks(t *testing.T) {
	m, err := convvae.New(tinyConfig(), rand.New(rand.NewPCG(1, 1)))
	must(t, err)
	for _, host := range []bool{false, true} {
		var opts []Option
		if host {
			opts = append(opts, HostNoise())
		}
		net, err := m.BuildWith(graph.Train, 3, CPUFactory(opts...))
		must(t, err)
		r := net.Program.(*Runner)
		must(t, r.Run(rand.New(rand.NewPCG(8, 8))))
		replay := rand.New(rand.NewPCG(8, 8))
		masks := 0
		for _, nz := range r.Program().Noise() {
			got, err := r.Executor().Read(nz.Node)
			must(t, err)
			want := make([]float32, len(got))
			if nz.Mask != nil && !host {
				key, thr := replay.Uint64(), kernels.MaskThreshold(nz.Mask.Keep)
				for i := range want {
					want[i] = kernels.MaskValue(key, i, thr, nz.Mask.Scale)
				}
				masks++
			} else {
				nz.Fill(replay, want)
			}
			wantEq(t, nz.Node.Name(), got, want)
		}
		if !host && masks == 0 {
			t.Fatal("the tiny net has no dropout mask")
		}
		must(t, net.Close())
	}
}
