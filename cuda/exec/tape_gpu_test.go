//go:build gpu

package exec

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
)

// TestGPUSeedConvVAEMatchesTheTape runs one train step (forward and
// backward) and one eval step of the seed-sized ConvVAE on the GPU and on
// gorgonia's tape machine, from the same parameters, inputs and noise (the
// GPU runner uploads the tape's dropout masks: HostNoise): the loss, the
// eval outputs and every parameter gradient agree within 1e-3 in relative
// 2-norm (float32 sums over 100×50 images in other orders: measured on the
// emulated GPU, the worst gradient differs by 4.7e-6).
func TestGPUSeedConvVAEMatchesTheTape(t *testing.T) {
	if testing.Short() {
		t.Skip("seed-sized model")
	}
	gpu := newGPU(t)
	m, err := convvae.New(convvae.Seed(100, 50), rand.New(rand.NewPCG(1, 1)))
	must(t, err)
	for _, mode := range []graph.Mode{graph.Train, graph.Eval} {
		tape, err := m.Build(mode, 2)
		must(t, err)
		defer tape.Close()
		dev, err := m.BuildWith(mode, 2, Factory(func() (Backend, error) { return unowned{gpu}, nil }, HostNoise()))
		must(t, err)
		defer dev.Close()
		var loss [2]float64
		var grads [2][][]float32
		var outs [2][]float32
		for k, net := range []*convvae.Net{tape, dev} {
			fillInput(t, net.X, rand.New(rand.NewPCG(5, 5)))
			must(t, net.Program.Run(rand.New(rand.NewPCG(7, 7))))
			loss[k], err = net.Program.Loss()
			must(t, err)
			if mode == graph.Train {
				grads[k], err = net.Program.Grads()
				must(t, err)
			} else {
				outs[k], err = graph.Float32s(net.Output)
				must(t, err)
			}
		}
		if d := math.Abs(loss[1]-loss[0]) / math.Abs(loss[0]); !(d <= 1e-4) {
			t.Fatalf("mode %v: loss %v on the GPU, %v on the tape (relative %.2g)", mode, loss[1], loss[0], d)
		}
		for i, p := range tape.Program.Params() {
			if mode == graph.Train {
				normClose(t, "gradient of "+p.Name, grads[1][i], grads[0][i], 1e-3)
			}
		}
		if mode == graph.Eval {
			normClose(t, "output", outs[1], outs[0], 1e-3)
		}
	}
}

// normClose fails when ||got-want|| > tol·||want||.
func normClose(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	var d2, w2 float64
	for i := range want {
		d := float64(got[i]) - float64(want[i])
		d2 += d * d
		w2 += float64(want[i]) * float64(want[i])
	}
	if e := math.Sqrt(d2 / math.Max(w2, 1e-30)); !(e <= tol) {
		t.Errorf("%s: relative 2-norm difference %.3g on the GPU against the tape (tolerance %g)", what, e, tol)
	}
}
