//go:build gpu

package exec

import (
	"testing"

	"github.com/vigil-ml/vigil/models/lstm"
)

// The LSTM language model's train and eval nets on the GPU against the CPU
// backend, instruction by instruction. The embedding gradient's atomic
// scatter-add sums repeated ids in any order.
func TestGPULSTM(t *testing.T) {
	for _, c := range []struct {
		name  string
		cfg   lstm.Config
		batch int
	}{{"tiny", lstm.Tiny(), 3}, {"seed-like 2 layers", seedLikeLSTM(2), 4}} {
		for _, train := range []bool{true, false} {
			t.Run(c.name+map[bool]string{true: " train", false: " eval"}[train], func(t *testing.T) {
				net := buildLSTM(t, c.cfg, c.batch, train)
				gpuCheck(t, net.p, net.nodes, 1e-4)
			})
		}
	}
}
