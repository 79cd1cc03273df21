package exec

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
	G "gorgonia.org/gorgonia"
)

// tinyConfig is a small ConvVAE with a strided layer, dropout and a
// transposed convolution.
func tinyConfig() convvae.Config { return convvae.Tiny() }

// closeTo reports values of got differing from want by more than tol
// relative, elementwise with an absolute floor of a hundredth of want's
// largest magnitude (sums of many terms lose relative precision near
// zero), or by more than 1e-4 in the relative 2-norm of the difference.
func closeTo(name string, got, want []float32, tol float64) error {
	return closeToScale(name, got, want, tol, 0)
}

// closeToScale is closeTo with errors measured against at least floor: the
// magnitude below which a value is compared absolutely.
func closeToScale(name string, got, want []float32, tol, floor float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: %d values, want %d", name, len(got), len(want))
	}
	var scale, d2, w2 float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(float64(w)))
	}
	worst, at := 0.0, -1
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		e := math.Abs(g-w) / math.Max(math.Abs(w), math.Max(1e-2*scale, floor)+1e-30)
		if !(e <= worst) { // NaN counts as worst
			worst, at = e, i
		}
		d2 += (g - w) * (g - w)
		w2 += w * w
	}
	norm := math.Sqrt(d2 / math.Max(w2, math.Max(float64(len(want))*floor*floor, 1e-300)))
	if *verbose {
		fmt.Printf("%-32s worst %.3g norm %.3g\n", name, worst, norm)
	}
	if !(worst <= tol) {
		return fmt.Errorf("%s[%d] = %v, want %v (rel err %.3g)", name, at, got[at], want[at], worst)
	}
	if !(norm <= 1e-4) {
		return fmt.Errorf("%s: relative 2-norm error %.3g", name, norm)
	}
	return nil
}

var verbose = flag.Bool("errs", false, "print the errors of each compared value")

func fillInput(t *testing.T, n *G.Node, rng *rand.Rand) {
	t.Helper()
	d := make([]float32, n.Shape().TotalSize())
	for i := range d {
		d[i] = rng.Float32()
	}
	if err := graph.SetInput(n, d); err != nil {
		t.Fatal(err)
	}
}

// runCPU compiles p with cfg, binds it from the graph and runs it on a
// fresh CPUBackend.
func runCPU(t *testing.T, p *program.Program, cfg Config) *Executor {
	t.Helper()
	e, err := NewWith(p, NewCPUBackend(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Bind(); err != nil {
		t.Fatal(err)
	}
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	return e
}

// compare checks the executor's nodes and every parameter gradient
// against the interpreter's.
func compare(t *testing.T, e *Executor, m *program.Machine, nodes []*G.Node, tol float64) {
	t.Helper()
	for _, n := range nodes {
		got, err := e.Read(n)
		if err != nil {
			t.Fatal(err)
		}
		want, err := m.Value(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := closeTo(n.Name(), got, want, tol); err != nil {
			t.Error(err)
		}
	}
	for _, g := range e.S.P.Grads {
		got, err := e.Grad(g.Param)
		if err != nil {
			t.Fatal(err)
		}
		want, err := m.Grad(g.Param)
		if err != nil {
			t.Fatal(err)
		}
		if err := closeTo("grad "+g.Param.Name(), got, want, tol); err != nil {
			t.Error(err)
		}
	}
}

// trainCheck runs the train graph of cfg on the tape machine, the
// interpreter and the executor (with each cfgs) and compares them within
// tol elementwise.
func trainCheck(t *testing.T, cfg convvae.Config, batch int, tol float64, cfgs ...Config) *Schedule {
	t.Helper()
	m, err := convvae.New(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	net, err := m.Build(graph.Train, batch)
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	p, err := program.Lower(net.Program.Graph(), net.Loss)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	fillInput(t, net.X, rng)
	if err := net.Program.Run(rng); err != nil { // fills the noise inputs
		t.Fatal(err)
	}
	tapeLoss, err := net.Program.Loss()
	if err != nil {
		t.Fatal(err)
	}
	tapeGrads, err := net.Program.Grads()
	if err != nil {
		t.Fatal(err)
	}
	mc, err := program.Interpret(p)
	if err != nil {
		t.Fatal(err)
	}
	var s *Schedule
	for _, c := range cfgs {
		e := runCPU(t, p, c)
		s = e.S
		compare(t, e, mc, []*G.Node{net.Loss}, tol)
		loss, err := e.Read(net.Loss)
		if err != nil {
			t.Fatal(err)
		}
		if err := closeTo("tape loss", loss, []float32{float32(tapeLoss)}, tol); err != nil {
			t.Error(err)
		}
		for i, prm := range net.Program.Params() {
			for _, g := range p.Grads {
				if g.Param.Name() == prm.Name {
					got, err := e.Grad(g.Param)
					if err != nil {
						t.Fatal(err)
					}
					if err := closeTo("tape grad "+prm.Name, got, tapeGrads[i], tol); err != nil {
						t.Error(err)
					}
				}
			}
		}
		checkRerun(t, e, net.Loss)
		if t.Failed() {
			t.Fatalf("config %+v", c)
		}
	}
	return s
}

// checkRerun runs e again and checks that the loss and gradients are
// bit-identical (arguments intact, no state kept between runs).
func checkRerun(t *testing.T, e *Executor, loss *G.Node) {
	t.Helper()
	snap := func() [][]float32 {
		l, _ := e.Read(loss)
		out := [][]float32{l}
		for _, g := range e.S.P.Grads {
			d, _ := e.Grad(g.Param)
			out = append(out, d)
		}
		return out
	}
	first := snap()
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	for i, s := range snap() {
		for j := range s {
			if math.Float32bits(s[j]) != math.Float32bits(first[i][j]) {
				t.Fatalf("result %d differs between runs at %d: %v then %v", i, j, first[i][j], s[j])
			}
		}
	}
}

func TestConvVAETrainMatchesInterpreter(t *testing.T) {
	// The default schedule, and one converting a single image at a time.
	s := trainCheck(t, tinyConfig(), 3, 1e-4, Config{}, Config{ScratchLimit: 1})
	t.Logf("train: %d steps, arena %d floats (scratch %d)", len(s.Steps), s.ArenaSize, s.ScratchSize)
}

func TestSeedConvVAETrainMatchesInterpreter(t *testing.T) {
	if testing.Short() {
		t.Skip("seed-sized model")
	}
	// Sums of thousands of float32 terms (the filter gradients of 100×50
	// images, the per-example BCE) against float64 ones: the worst
	// elements of the tiny z_log_var gradients, which cancel, differ by
	// about 1e-3; every tensor agrees within 1e-4 in norm.
	s := trainCheck(t, convvae.Seed(100, 50), 2, 2e-3, Config{})
	t.Logf("seed train batch 2: %d steps, arena %d floats (scratch %d)", len(s.Steps), s.ArenaSize, s.ScratchSize)
}

func evalCheck(t *testing.T, cfg convvae.Config, batch int, tol float64) *Schedule {
	t.Helper()
	m, err := convvae.New(cfg, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	net, err := m.Build(graph.Eval, batch)
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	nodes := []*G.Node{net.Loss, net.Recon, net.Output}
	p, err := program.Lower(net.Program.Graph(), nodes...)
	if err != nil {
		t.Fatal(err)
	}
	fillInput(t, net.X, rand.New(rand.NewPCG(5, 5)))
	if err := net.Program.Run(nil); err != nil {
		t.Fatal(err)
	}
	mc, err := program.Interpret(p)
	if err != nil {
		t.Fatal(err)
	}
	e := runCPU(t, p, Config{})
	compare(t, e, mc, nodes, tol)
	for _, n := range nodes {
		want, err := graph.Float32s(n)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Read(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := closeTo("tape "+n.Name(), got, want, tol); err != nil {
			t.Error(err)
		}
	}
	return e.S
}

func TestConvVAEEvalMatchesInterpreter(t *testing.T) {
	s := evalCheck(t, tinyConfig(), 3, 1e-4)
	t.Logf("eval: %d steps, arena %d floats (scratch %d)", len(s.Steps), s.ArenaSize, s.ScratchSize)
}

func TestSeedConvVAEEvalMatchesInterpreter(t *testing.T) {
	if testing.Short() {
		t.Skip("seed-sized model")
	}
	s := evalCheck(t, convvae.Seed(100, 50), 2, 1e-4)
	t.Logf("seed eval batch 2: %d steps, arena %d floats (scratch %d)", len(s.Steps), s.ArenaSize, s.ScratchSize)
}
