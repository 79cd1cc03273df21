package layers

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
)

// TestDenseApplyMatchesLoops checks Apply against plain loops for every
// activation, with sizes that leave partial GEMM tiles.
func TestDenseApplyMatchesLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, act := range []Activation{Linear, ReLU, Sigmoid, Tanh} {
		d, err := NewDense(graph.NewRegistry(), "d", 37, 19, act, rng)
		if err != nil {
			t.Fatal(err)
		}
		for i := range d.B.Data() {
			d.B.Data()[i] = float32(rng.NormFloat64())
		}
		n := 13
		x := make([]float32, n*d.In)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		got := make([]float32, n*d.Out)
		if err := d.Apply(x, n, got); err != nil {
			t.Fatal(err)
		}
		w, b := d.W.Data(), d.B.Data()
		for r := 0; r < n; r++ {
			for c := 0; c < d.Out; c++ {
				s := float64(b[c])
				for k := 0; k < d.In; k++ {
					s += float64(x[r*d.In+k]) * float64(w[k*d.Out+c])
				}
				switch act {
				case ReLU:
					s = math.Max(s, 0)
				case Sigmoid:
					s = 1 / (1 + math.Exp(-s))
				case Tanh:
					s = math.Tanh(s)
				}
				if math.Abs(float64(got[r*d.Out+c])-s) > 1e-5 {
					t.Fatalf("%s: [%d,%d] = %v, want %v", act, r, c, got[r*d.Out+c], s)
				}
			}
		}
	}
	d, _ := NewDense(graph.NewRegistry(), "d", 2, 2, Linear, rng)
	if err := d.Apply(make([]float32, 3), 2, make([]float32, 4)); err == nil {
		t.Fatal("wrong input size accepted")
	}
}
