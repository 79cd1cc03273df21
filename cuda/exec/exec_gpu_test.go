//go:build gpu

package exec

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
	G "gorgonia.org/gorgonia"
)

// newGPU returns a GPU backend on GPU 0, closed at the end of the test; the
// test skips without a GPU, or fails with VIGIL_EXPECT_GPU=1.
func newGPU(t *testing.T) *GPUBackend {
	t.Helper()
	g, err := NewGPUBackend(device.OpenForTest(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := g.Close(); err != nil {
			t.Error(err)
		}
	})
	return g
}

// gpuCheck runs p's schedule on the GPU and on the CPU, binding both from
// the graph, and compares the result of every instruction after it runs
// (which localizes a wrong kernel or argument), then nodes and every
// parameter gradient, within tol elementwise.
func gpuCheck(t *testing.T, p *program.Program, nodes []*G.Node, tol float64) {
	t.Helper()
	gpu := newGPU(t)
	eg, err := New(p, gpu)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := New(p, NewCPUBackend())
	if err != nil {
		t.Fatal(err)
	}
	must(t, eg.Bind())
	must(t, ec.Bind())
	s := eg.S
	var inScale float64
	for i, st := range s.Steps {
		if i == 0 || s.Steps[i-1].Instr != st.Instr {
			inScale = inputScale(t, ec, p.Instrs[st.Instr])
		}
		if err := st.run(gpu); err != nil {
			t.Fatalf("GPU %s: %v", st.Call, err)
		}
		must(t, st.run(ec.B))
		if i+1 < len(s.Steps) && s.Steps[i+1].Instr == st.Instr {
			continue
		}
		out := p.Instrs[st.Instr].Out
		b := eg.buf(out)
		got, want := make([]float32, b.Len), make([]float32, b.Len)
		must(t, gpu.Download(got, b))
		must(t, ec.B.Download(want, b))
		if err := closeToScale(p.Instrs[st.Instr].String(), got, want, tol, 1e-2*inScale); err != nil {
			t.Fatalf("after %s: %v", st.Call, err)
		}
	}
	// A second, whole run on the same arena gives the same results.
	must(t, eg.Run())
	for _, n := range nodes {
		got, err := eg.Read(n)
		must(t, err)
		want, err := ec.Read(n)
		must(t, err)
		if err := closeTo(n.Name(), got, want, tol); err != nil {
			t.Error(err)
		}
	}
	for _, g := range p.Grads {
		got, err := eg.Grad(g.Param)
		must(t, err)
		want, err := ec.Grad(g.Param)
		must(t, err)
		if err := closeTo("grad "+g.Param.Name(), got, want, tol); err != nil {
			t.Error(err)
		}
	}
}

// inputScale is the largest magnitude among in's float operands, read from the
// CPU executor before in runs (an instruction may write over an input). A
// result is compared at the scale of what it was computed from: a
// difference of two nearly equal values keeps only the operands' absolute
// rounding error (an H200 gave -0.00034314 for the CPU's -0.00034320 in
// the tiny ConvVAE's loss, one float32 ulp of the 0.69 operands).
func inputScale(t *testing.T, e *Executor, in program.Instr) float64 {
	t.Helper()
	scale := 0.0
	for _, v := range in.In {
		if e.S.P.Values[v].DType != program.Float32 {
			continue // int32 ids, stored bitwise
		}
		b := e.buf(v)
		x := make([]float32, b.Len)
		must(t, e.B.Download(x, b))
		for _, f := range x {
			if a := math.Abs(float64(f)); a <= math.MaxFloat32 { // NaN and Inf set no scale
				scale = math.Max(scale, a)
			}
		}
	}
	return scale
}

func gpuTrain(t *testing.T, cfg convvae.Config, batch int, tol float64) {
	m, err := convvae.New(cfg, rand.New(rand.NewPCG(1, 1)))
	must(t, err)
	net, err := m.Build(graph.Train, batch)
	must(t, err)
	defer net.Close()
	p, err := program.Lower(net.Program.Graph(), net.Loss)
	must(t, err)
	rng := rand.New(rand.NewPCG(7, 7))
	fillInput(t, net.X, rng)
	must(t, net.Program.Run(rng)) // fills the noise inputs
	gpuCheck(t, p, []*G.Node{net.Loss}, tol)
}

func gpuEval(t *testing.T, cfg convvae.Config, batch int, tol float64) {
	m, err := convvae.New(cfg, rand.New(rand.NewPCG(3, 3)))
	must(t, err)
	net, err := m.Build(graph.Eval, batch)
	must(t, err)
	defer net.Close()
	nodes := []*G.Node{net.Loss, net.Recon, net.Output}
	p, err := program.Lower(net.Program.Graph(), nodes...)
	must(t, err)
	fillInput(t, net.X, rand.New(rand.NewPCG(5, 5)))
	gpuCheck(t, p, nodes, tol)
}

func TestGPUConvVAETrain(t *testing.T) { gpuTrain(t, tinyConfig(), 3, 1e-4) }
func TestGPUConvVAEEval(t *testing.T)  { gpuEval(t, tinyConfig(), 3, 1e-4) }

// The seed-sized model sums thousands of float32 terms in a different
// order on each side (see TestSeedConvVAETrainMatchesInterpreter).
func TestGPUSeedConvVAETrain(t *testing.T) {
	if testing.Short() {
		t.Skip("seed-sized model")
	}
	gpuTrain(t, convvae.Seed(100, 50), 2, 2e-3)
}

func TestGPUSeedConvVAEEval(t *testing.T) {
	if testing.Short() {
		t.Skip("seed-sized model")
	}
	gpuEval(t, convvae.Seed(100, 50), 2, 2e-3)
}

// TestGPUPrimitives checks the hand-computed geometry cases on the GPU.
func TestGPUPrimitives(t *testing.T) {
	gpu := newGPU(t)
	must(t, gpu.Reserve(1024))
	g := Geom{N: 1, C: 1, H: 4, W: 4, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1, OH: 2, OW: 2}
	x, col, y := Buf{0, 16}, Buf{64, g.ColLen()}, Buf{128, 16}
	must(t, gpu.Upload(x, seq(16)))
	must(t, gpu.Im2col(col, x, g))
	got := make([]float32, g.ColLen())
	must(t, gpu.Download(got, col))
	wantEq(t, "im2col centre row", got[16:20], []float32{1, 3, 9, 11})
	ones := make([]float32, g.ColLen())
	for i := range ones {
		ones[i] = 1
	}
	must(t, gpu.Upload(col, ones))
	must(t, gpu.Col2im(y, col, g))
	img := make([]float32, 16)
	must(t, gpu.Download(img, y))
	wantEq(t, "col2im", img, []float32{1, 2, 1, 1, 2, 4, 2, 2, 1, 2, 1, 1, 1, 2, 1, 1})
	// [2, 3] plus a row broadcast through stride 0.
	a, r, z := Buf{256, 6}, Buf{320, 3}, Buf{384, 6}
	must(t, gpu.Upload(a, []float32{1, 2, 3, 4, 5, 6}))
	must(t, gpu.Upload(r, []float32{10, 20, 30}))
	must(t, gpu.BinaryBcast("add", z, a, r, [4]int{1, 1, 2, 3}, [4]int{0, 0, 3, 1}, [4]int{0, 0, 0, 1}))
	out := make([]float32, 6)
	must(t, gpu.Download(out, z))
	wantEq(t, "bcast", out, []float32{11, 22, 33, 14, 25, 36})
	// A transposed-A product: [[1 2 3] [4 5 6]] stored transposed times
	// [[1 0] [0 1] [1 1]].
	at, b, c := Buf{448, 6}, Buf{512, 6}, Buf{576, 4}
	must(t, gpu.Upload(at, []float32{1, 4, 2, 5, 3, 6}))
	must(t, gpu.Upload(b, []float32{1, 0, 0, 1, 1, 1}))
	must(t, gpu.Gemm(true, false, 2, 2, 3, 1, at, 2, b, 2, 0, c, 2))
	prod := make([]float32, 4)
	must(t, gpu.Download(prod, c))
	wantEq(t, "gemm", prod, []float32{4, 5, 10, 11})
}
