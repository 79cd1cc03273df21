package convvae

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/trainers"
)

// relErr is |got-want| / max(|want|, floor).
func relErr(got, want, floor float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}

// noiseOf returns a copy of the noise inputs' values of the runner's program.
func noiseOf(t *testing.T, r graph.Runner) [][]float32 {
	t.Helper()
	var p *graph.Program
	switch r := r.(type) {
	case *graph.Program:
		p = r
	case *exec.Runner:
		p = r.Program()
	default:
		t.Fatalf("runner %T", r)
	}
	var out [][]float32
	for _, nz := range p.Noise() {
		d, err := graph.Float32s(nz.Node)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]float32(nil), d...))
	}
	return out
}

// TestExecRunnerMatchesTape trains the tiny model from one seed on the tape
// machine and through cuda/exec's CPU backend: the same noise, losses within
// 1e-4 and weights within 1e-3 at every step, and the same eval scores.
func TestExecRunnerMatchesTape(t *testing.T) {
	cfg := tiny()
	w := stripes(32, cfg.Rows, cfg.Cols, rand.New(rand.NewPCG(9, 9)))
	val := []int{24, 25, 26, 27, 28, 29, 30, 31}
	type run struct {
		m    *Model
		task *Task
		rng  *rand.Rand
		opt  *trainers.Adam
	}
	setup := func(f graph.RunnerFactory) run {
		m, err := New(cfg, rand.New(rand.NewPCG(4, 1)))
		if err != nil {
			t.Fatal(err)
		}
		task, err := NewTaskWith(m, w, allIdx(24), val, 8, 8, f)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { task.Close() })
		return run{m, task, rand.New(rand.NewPCG(4, 2)), trainers.NewAdam(trainers.AdamConfig{LR: 1e-2})}
	}
	tape, dev := setup(nil), setup(exec.CPUFactory(exec.HostNoise()))
	if _, ok := dev.task.Train.Program.(*exec.Runner); !ok {
		t.Fatalf("train net runs on %T", dev.task.Train.Program)
	}
	if len(noiseOf(t, tape.task.Train.Program)) == 0 {
		t.Fatal("the train net has no noise inputs")
	}
	for s := 0; s < 6; s++ {
		idx := make([]int, 8)
		for i := range idx {
			idx[i] = (s*8 + i) % 24
		}
		var losses [2]float64
		for k, r := range []run{tape, dev} {
			loss, grads, err := r.task.TrainStep(idx, r.rng)
			if err != nil {
				t.Fatal(err)
			}
			losses[k] = loss
			if err := r.opt.Step(r.task.Params(), grads); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("step %d: loss %.7g, tape %.7g", s, losses[1], losses[0])
		if e := relErr(losses[1], losses[0], 1e-30); !(e <= 1e-4) {
			t.Fatalf("step %d: loss %v, tape %v (rel err %.3g)", s, losses[1], losses[0], e)
		}
		a, b := noiseOf(t, tape.task.Train.Program), noiseOf(t, dev.task.Train.Program)
		for i := range a {
			for j := range a[i] {
				if math.Float32bits(a[i][j]) != math.Float32bits(b[i][j]) {
					t.Fatalf("step %d: noise input %d differs at %d: %v, tape %v", s, i, j, b[i][j], a[i][j])
				}
			}
		}
	}
	pa, pb := tape.task.Params(), dev.task.Params()
	for i := range pa {
		a, b := pa[i].Data(), pb[i].Data()
		var scale float64
		for _, v := range a {
			scale = math.Max(scale, math.Abs(float64(v)))
		}
		for j := range a {
			if e := relErr(float64(b[j]), float64(a[j]), 1e-2*scale+1e-30); !(e <= 1e-3) {
				t.Fatalf("%s[%d] = %v, tape %v (rel err %.3g)", pa[i].Name, j, b[j], a[j], e)
			}
		}
	}
	sa, err := Score(tape.task.Eval, w, allIdx(32))
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Score(dev.task.Eval, w, allIdx(32))
	if err != nil {
		t.Fatal(err)
	}
	for i := range sa {
		if e := relErr(sb[i], sa[i], 1e-30); !(e <= 1e-4) {
			t.Fatalf("score %d = %v, tape %v (rel err %.3g)", i, sb[i], sa[i], e)
		}
	}
	va, _, err := tape.task.ValidationLoss()
	if err != nil {
		t.Fatal(err)
	}
	vb, _, err := dev.task.ValidationLoss()
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(vb, va, 1e-30); !(e <= 1e-4) {
		t.Fatalf("validation loss %v, tape %v", vb, va)
	}
	ra, err := Reconstruct(tape.task.Eval, w, val)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := Reconstruct(dev.task.Eval, w, val)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ra {
		for j := range ra[i] {
			if e := relErr(float64(rb[i][j]), float64(ra[i][j]), 1e-6); !(e <= 1e-4) {
				t.Fatalf("reconstruction %d[%d] = %v, tape %v", i, j, rb[i][j], ra[i][j])
			}
		}
	}
}
