package program_test

import (
	"flag"
	"fmt"
	"github.com/vigil-ml/vigil/cuda/program"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
	G "gorgonia.org/gorgonia"
)

// tinyConfig is a small ConvVAE with a strided layer, dropout and a
// transposed convolution.
func tinyConfig() convvae.Config { return convvae.Tiny() }

// closeTo reports the first value of got differing from want by more than
// 1e-4 relative, with an absolute floor of 1e-4 of a hundredth of want's
// largest magnitude (sums of many terms lose relative precision near zero).
func closeTo(name string, got, want []float32) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: %d values, want %d", name, len(got), len(want))
	}
	var scale float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(float64(w)))
	}
	worst, at := 0.0, -1
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		e := math.Abs(g-w) / math.Max(math.Abs(w), 1e-2*scale+1e-30)
		if !(e <= worst) { // NaN counts as worst
			worst, at = e, i
		}
	}
	if *verbose {
		fmt.Printf("%-40s worst rel err %.3g\n", name, worst)
	}
	if !(worst <= 1e-4) {
		return fmt.Errorf("%s[%d] = %v, want %v", name, at, got[at], want[at])
	}
	return nil
}

var verbose = flag.Bool("errs", false, "print the largest relative error of each compared value")

// paramNode finds a parameter's node in g.
func paramNode(t *testing.T, g *G.ExprGraph, name string) *G.Node {
	t.Helper()
	for _, n := range g.ByName(name) {
		if n.Op() == nil {
			return n
		}
	}
	t.Fatalf("no node for parameter %q", name)
	return nil
}

// tapeRun runs prog on gorgonia's tape machine and returns the loss and a
// copy of every parameter gradient by name.
func tapeRun(t *testing.T, prog graph.Runner, rng *rand.Rand) (float32, map[string][]float32) {
	t.Helper()
	if err := prog.Run(rng); err != nil {
		t.Fatal(err)
	}
	loss, err := prog.Loss()
	if err != nil {
		t.Fatal(err)
	}
	grads := map[string][]float32{}
	if gs, err := prog.Grads(); err == nil {
		for i, prm := range prog.Params() {
			grads[prm.Name] = append([]float32(nil), gs[i]...)
		}
	}
	return float32(loss), grads
}

// checkAgainstTape compares the interpreter's loss and gradients with the
// tape machine's.
func checkAgainstTape(t *testing.T, p *program.Program, m *program.Machine, g *G.ExprGraph, loss *G.Node, wantLoss float32, wantGrads map[string][]float32) {
	t.Helper()
	got, err := m.Value(loss)
	if err != nil {
		t.Fatal(err)
	}
	if err := closeTo("loss", got, []float32{wantLoss}); err != nil {
		t.Error(err)
	}
	if len(p.Grads) != len(wantGrads) {
		t.Errorf("program has %d gradients, tape %d", len(p.Grads), len(wantGrads))
	}
	for name, want := range wantGrads {
		gd, err := m.Grad(paramNode(t, g, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := closeTo("grad "+name, gd, want); err != nil {
			t.Error(err)
		}
	}
}

// fillInput sets an input node to uniform values in [0, 1).
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

// checkPlan verifies the memory plan, that buffers are reused, and that a
// second execution on the same arena (arguments bound once) gives the same
// outputs and gradients and leaves the arguments intact.
func checkPlan(t *testing.T, p *program.Program) {
	t.Helper()
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	if p.ArenaSize >= p.UnsharedSize() {
		t.Errorf("arena %d is not smaller than the %d of unshared buffers", p.ArenaSize, p.UnsharedSize())
	}
	m := program.NewMachine(p)
	if err := m.Bind(); err != nil {
		t.Fatal(err)
	}
	bound := append([]float32(nil), m.Arena[:p.PinnedSize]...)
	snapshot := func() [][]float32 {
		var out [][]float32
		for _, o := range p.Outputs {
			out = append(out, append([]float32(nil), m.Buffer(o)...))
		}
		for _, g := range p.Grads {
			out = append(out, append([]float32(nil), m.Buffer(g.Value)...))
		}
		return out
	}
	if err := m.Exec(); err != nil {
		t.Fatal(err)
	}
	first := snapshot()
	for i, v := range p.Values {
		if (v.Role == program.Arg || v.Role == program.Const) && !v.Dead {
			for j, x := range m.Buffer(i) {
				if math.Float32bits(x) != math.Float32bits(bound[v.Offset+j]) {
					t.Fatalf("argument %q overwritten at %d", v.Node.Name(), j)
				}
			}
		}
	}
	if err := m.Exec(); err != nil {
		t.Fatal(err)
	}
	for i, s := range snapshot() {
		for j := range s {
			if math.Float32bits(s[j]) != math.Float32bits(first[i][j]) || math.IsNaN(float64(s[j])) {
				t.Fatalf("result %d differs between runs at %d: %v then %v", i, j, first[i][j], s[j])
			}
		}
	}
}

// trainCheck lowers a train net and compares loss and every parameter
// gradient with the tape machine over steps runs with fresh inputs and
// noise.
func trainCheck(t *testing.T, cfg convvae.Config, batch, steps int) *program.Program {
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
	g := net.Program.Graph()
	p, err := program.Lower(g, net.Loss)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Grads) != len(m.Reg.Params()) {
		t.Fatalf("%d gradients, want one per parameter (%d)", len(p.Grads), len(m.Reg.Params()))
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for step := range steps {
		fillInput(t, net.X, rng)
		// The noise inputs keep the values of this run: the interpreter
		// binds them from the graph.
		loss, grads := tapeRun(t, net.Program, rng)
		mc, err := program.Interpret(p)
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstTape(t, p, mc, g, net.Loss, loss, grads)
		if t.Failed() {
			t.Fatalf("step %d", step)
		}
	}
	checkPlan(t, p)
	return p
}

func TestConvVAETrainMatchesTape(t *testing.T) {
	p := trainCheck(t, tinyConfig(), 2, 3)
	t.Logf("train: %d instructions (%d folded, %d dropped), arena %d floats (%d pinned), unshared %d",
		len(p.Instrs), p.Folded, p.Dropped, p.ArenaSize, p.PinnedSize, p.UnsharedSize())
}

func TestSeedConvVAETrainMatchesTape(t *testing.T) {
	if testing.Short() {
		t.Skip("seed-sized model")
	}
	p := trainCheck(t, convvae.Seed(100, 50), 2, 1)
	t.Logf("seed train batch 2: %d instructions (%d folded, %d dropped), arena %d floats (%d pinned), unshared %d",
		len(p.Instrs), p.Folded, p.Dropped, p.ArenaSize, p.PinnedSize, p.UnsharedSize())
}

// evalCheck lowers an eval net and compares loss, per-example scores and
// reconstructions with the tape machine.
func evalCheck(t *testing.T, cfg convvae.Config, batch int) *program.Program {
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
	p, err := program.Lower(net.Program.Graph(), net.Loss, net.Recon, net.Output)
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
	// Recon is checked both against the tape's Recon node and against the
	// BCE of the tape's reconstruction probabilities, computed here.
	for _, n := range []*G.Node{net.Loss, net.Recon, net.Output} {
		want, err := graph.Float32s(n)
		if err != nil {
			t.Fatal(err)
		}
		got, err := mc.Value(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := closeTo(n.Name(), got, want); err != nil {
			t.Error(err)
		}
	}
	probs, err := graph.Float32s(net.Output)
	if err != nil {
		t.Fatal(err)
	}
	x, err := graph.Float32s(net.X)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, batch)
	d := len(x) / batch
	for e := range want {
		var s float64
		for i := e * d; i < (e+1)*d; i++ {
			p, t := float64(probs[i]), float64(x[i])
			s -= t*math.Log(p) + (1-t)*math.Log(1-p)
		}
		want[e] = float32(s / float64(d))
	}
	got, err := mc.Value(net.Recon)
	if err != nil {
		t.Fatal(err)
	}
	if err := closeTo("recon", got, want); err != nil {
		t.Error(err)
	}
	checkPlan(t, p)
	return p
}

func TestConvVAEEvalMatchesTape(t *testing.T) {
	p := evalCheck(t, tinyConfig(), 3)
	t.Logf("eval: %d instructions, arena %d floats (%d pinned), unshared %d", len(p.Instrs), p.ArenaSize, p.PinnedSize, p.UnsharedSize())
}

func TestSeedConvVAEEvalMatchesTape(t *testing.T) {
	if testing.Short() {
		t.Skip("seed-sized model")
	}
	p := evalCheck(t, convvae.Seed(100, 50), 2)
	t.Logf("seed eval batch 2: %d instructions, arena %d floats (%d pinned), unshared %d", len(p.Instrs), p.ArenaSize, p.PinnedSize, p.UnsharedSize())
}

// TestRegressionMatchesTape lowers loss = mean((x·w - y)²) on gorgonia's
// own matrix product, reductions and mean gradient.
func TestRegressionMatchesTape(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	reg := graph.NewRegistry()
	if _, err := reg.Add("w", []int{3, 1}, graph.Normal(1), rng); err != nil {
		t.Fatal(err)
	}
	b := graph.NewBuilder(reg, graph.Train)
	x := b.Input("x", 4, 3)
	y := b.Input("y", 4, 1)
	w := b.Param(reg.Get("w"))
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(G.Must(G.Mul(x, w)), y))))))
	fillInput(t, x, rng)
	fillInput(t, y, rng)
	prog, err := graph.Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	p, err := program.Lower(prog.Graph(), loss)
	if err != nil {
		t.Fatal(err)
	}
	wantLoss, wantGrads := tapeRun(t, prog, nil)
	m, err := program.Interpret(p)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstTape(t, p, m, prog.Graph(), loss, wantLoss, wantGrads)
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestBuiltinsMatchTape covers gorgonia ops beyond the models' own:
// transpose, matrix-vector and outer products, broadcasting, comparisons,
// max and unary functions, with gradients where gorgonia has them.
func TestBuiltinsMatchTape(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	reg := graph.NewRegistry()
	for _, p := range []struct {
		name  string
		shape []int
	}{{"a", []int{3, 4}}, {"v", []int{4}}, {"u", []int{3}}, {"r", []int{1, 4}}} {
		if _, err := reg.Add(p.name, p.shape, graph.Normal(1), rng); err != nil {
			t.Fatal(err)
		}
	}
	b := graph.NewBuilder(reg, graph.Train)
	a, v, u, r := b.Param(reg.Get("a")), b.Param(reg.Get("v")), b.Param(reg.Get("u")), b.Param(reg.Get("r"))
	must := G.Must
	terms := []*G.Node{
		must(G.Sum(must(G.Square(must(G.Transpose(a)))), 0)), // [3]
		must(G.Tanh(must(G.Mul(a, v)))),                      // matVec [3]
		must(G.Sum(must(G.Sigmoid(must(G.OuterProd(u, u)))), 1)),
		must(G.Sum(must(G.BroadcastAdd(a, r, nil, []byte{0})), 1)),
		must(G.Sum(must(G.HadamardProd(a, must(G.Gt(a, G.NewConstant(float32(0)), true)))), 1)),
		must(G.Sum(must(G.Softplus(a)), 1)),
		must(G.Sum(must(G.HadamardDiv(must(G.Exp(a)), must(G.Add(must(G.Square(a)), G.NewConstant(float32(1)))))), 1)),
	}
	total := terms[0]
	for _, tm := range terms[1:] {
		total = must(G.Add(total, tm))
	}
	loss := must(G.Mean(total))
	prog, err := graph.Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	p, err := program.Lower(prog.Graph(), loss)
	if err != nil {
		t.Fatal(err)
	}
	wantLoss, wantGrads := tapeRun(t, prog, nil)
	m, err := program.Interpret(p)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstTape(t, p, m, prog.Graph(), loss, wantLoss, wantGrads)
	checkPlan(t, p)
}

// TestMaxMatchesTape checks the max reduction without gradients.
func TestMaxMatchesTape(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	reg := graph.NewRegistry()
	b := graph.NewBuilder(reg, graph.Eval)
	x := b.Input("x", 2, 3, 4)
	fillInput(t, x, rng)
	mx := G.Must(G.Max(x, 0, 2))
	loss := G.Must(G.Sum(G.Must(G.Max(x, 1))))
	prog, err := graph.Compile(b, loss, false)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	p, err := program.Lower(prog.Graph(), loss, mx)
	if err != nil {
		t.Fatal(err)
	}
	if err := prog.Run(nil); err != nil {
		t.Fatal(err)
	}
	m, err := program.Interpret(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []*G.Node{loss, mx} {
		want, _ := graph.Float32s(n)
		got, err := m.Value(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := closeTo(n.Name(), got, want); err != nil {
			t.Error(err)
		}
	}
}

func TestUnsupportedOpIsAnError(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, G.Float32, G.WithShape(2, 3), G.WithName("x"), G.WithInit(G.Zeroes()))
	sm := G.Must(G.SoftMax(x))
	loss := G.Must(G.Sum(x))
	_ = sm // not needed by loss, but every node must lower
	_, err := program.Lower(g, loss)
	if err == nil {
		t.Fatal("softmax lowered")
	}
	for _, want := range []string{"softmax", "unsupported op"} {
		if !strings.Contains(strings.ToLower(err.Error()), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestInstrString(t *testing.T) {
	in := program.Instr{Kind: program.KindConv2D, Out: 7, In: []int{0, 1}, Conv: program.Conv{Kernel: 3, Stride: 1, Pad: 1}}
	if got, want := in.String(), "%7 = conv2d{k=3,s=1,p=1} %0 %1"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestCheckFindsOverlaps(t *testing.T) {
	m, err := convvae.New(tinyConfig(), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	net, err := m.Build(graph.Eval, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	p, err := program.Lower(net.Program.Graph(), net.Loss)
	if err != nil {
		t.Fatal(err)
	}
	// Place the second instruction's output on its input, the first's.
	p.Values[p.Instrs[1].Out].Offset = p.Values[p.Instrs[0].Out].Offset
	if err := p.Check(); err == nil {
		t.Error("overlapping output and input accepted")
	}
	q, _ := program.Lower(net.Program.Graph(), net.Loss)
	q.Values[q.Instrs[0].Out].Offset = q.Values[q.Instrs[0].In[0]].Offset // onto the input x
	if err := q.Check(); err == nil {
		t.Error("temporary on a pinned buffer accepted")
	}
}

func TestDtypeIsChecked(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, G.Float64, G.WithShape(2, 2), G.WithName("x"), G.WithInit(G.Zeroes()))
	loss := G.Must(G.Sum(x))
	if _, err := program.Lower(g, loss); err == nil || !strings.Contains(err.Error(), "float32") {
		t.Errorf("float64 graph: error %v", err)
	}
}
