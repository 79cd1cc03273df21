//go:build gpu

package experiments

import (
	"context"
	"math"
	"testing"

	"github.com/vigil-ml/vigil/experiments/tasks/logins"
)

// On a GPU (the emulated one in `make test`), IP Insights trains through
// the lowered program as gorgonia's tape machine does: the gathers and the
// row-sparse updates stay on the host, the encoder, dot products, BCE and
// their gradients (of the parameters and of the gathered vectors) run on
// the device.
func TestGPUIPInsightsRunMatchesTape(t *testing.T) {
	cfg, err := Parse([]byte(`
version: 1
name: tiny_logins
task: logins
seed: 5
device: cpu
data:
  synthetic: {users: 80, networks: 60, days: 4, login_scale: 10, max_logins: 80}
  train_days: 3
model: {kind: ipinsights, num_entity_vectors: 160, vector_dim: 8, num_ip_encoder_layers: 2, ip_hash_buckets: 256}
train: {epochs: 3, batch_size: 256, lr: 0.01}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	tapeOut, gpuOut := t.TempDir(), t.TempDir()
	tape, err := Run(context.Background(), cfg, RunOptions{Out: tapeOut})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Device, cfg.Executor = "cuda", "program"
	gpu, err := Run(context.Background(), cfg, RunOptions{Out: gpuOut})
	if err != nil {
		t.Fatal(err)
	}
	worst := compareLosses(t, "on the GPU", unitLosses(t, gpuOut), unitLosses(t, tapeOut), 1e-4)
	a, b := tape.Metrics.(*logins.Metrics), gpu.Metrics.(*logins.Metrics)
	if d := math.Abs(a.DiscriminatorAUC - b.DiscriminatorAUC); !(d <= 1e-3) {
		t.Fatalf("discriminator AUC %v on the GPU, %v on the tape", b.DiscriminatorAUC, a.DiscriminatorAUC)
	}
	t.Logf("largest relative training-loss difference %.2g; discriminator AUC GPU %v, tape %v", worst, b.DiscriminatorAUC, a.DiscriminatorAUC)
}
