package convvae

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/trainers"
)

func TestSeedArchitectureHasThePublishedParameterCount(t *testing.T) {
	m, err := New(Seed(100, 50), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.NumParams(); got != 2911589 {
		t.Fatalf("parameters = %d, want 2,911,589", got)
	}
	if m.decShape[0] != (shape{32, 100, 50}) {
		t.Fatalf("decoder output %v, want 32x100x50", m.decShape[0])
	}
}

// tiny is a small config that trains in well under a second.
func tiny() Config { return Tiny() }

// stripes makes n windows of two alternating patterns with noise, in [0, 1].
func stripes(n, rows, cols int, rng *rand.Rand) Windows {
	w := Windows{N: n, Size: rows * cols, Data: make([]float32, n*rows*cols)}
	for e := 0; e < n; e++ {
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				v := 0.1
				if (r+c+e)%2 == 0 {
					v = 0.9
				}
				w.Data[e*w.Size+r*cols+c] = float32(v + 0.05*rng.NormFloat64())
			}
		}
	}
	return w
}

func trainTiny(t *testing.T, seed uint64, steps int) (*Model, []float64) {
	t.Helper()
	cfg := tiny()
	m, err := New(cfg, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	w := stripes(32, cfg.Rows, cfg.Cols, rand.New(rand.NewPCG(9, 9)))
	task, err := NewTask(m, w, allIdx(24), []int{24, 25, 26, 27, 28, 29, 30, 31}, 8, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer task.Close()
	rng := rand.New(rand.NewPCG(seed, 2))
	opt := trainers.NewAdam(trainers.AdamConfig{LR: 1e-2})
	var losses []float64
	for s := 0; s < steps; s++ {
		idx := []int{(s * 8) % 24, (s*8 + 1) % 24, (s*8 + 2) % 24, (s*8 + 3) % 24, (s*8 + 4) % 24, (s*8 + 5) % 24, (s*8 + 6) % 24, (s*8 + 7) % 24}
		loss, grads, err := task.TrainStep(idx, rng)
		if err != nil {
			t.Fatal(err)
		}
		losses = append(losses, loss)
		if err := opt.Step(task.Params(), grads); err != nil {
			t.Fatal(err)
		}
	}
	return m, losses
}

func allIdx(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestTrainingLowersTheLoss(t *testing.T) {
	_, losses := trainTiny(t, 3, 60)
	first := (losses[0] + losses[1] + losses[2]) / 3
	last := (losses[57] + losses[58] + losses[59]) / 3
	if !(last < 0.9*first) {
		t.Fatalf("loss did not fall: first %.4f, last %.4f", first, last)
	}
}

func TestSameSeedSameWeights(t *testing.T) {
	a, la := trainTiny(t, 5, 5)
	b, lb := trainTiny(t, 5, 5)
	for i := range la {
		if la[i] != lb[i] {
			t.Fatalf("step %d loss %v vs %v", i, la[i], lb[i])
		}
	}
	for i, p := range a.Reg.Params() {
		q := b.Reg.Params()[i].Data()
		for j, v := range p.Data() {
			if v != q[j] {
				t.Fatalf("%s[%d] differs: %v vs %v", p.Name, j, v, q[j])
			}
		}
	}
}

func TestEvalScoresAreDeterministicAndFinite(t *testing.T) {
	m, _ := trainTiny(t, 7, 3)
	net, err := m.Build(graph.Eval, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	w := stripes(7, m.Config.Rows, m.Config.Cols, rand.New(rand.NewPCG(1, 1)))
	s1, err := Score(net, w, allIdx(7))
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := Score(net, w, allIdx(7))
	if len(s1) != 7 {
		t.Fatalf("%d scores for 7 windows", len(s1))
	}
	for i := range s1 {
		if s1[i] != s2[i] || math.IsNaN(s1[i]) || s1[i] <= 0 {
			t.Fatalf("score %d: %v then %v", i, s1[i], s2[i])
		}
	}
}

func TestStandardSamplingAndBadConfigs(t *testing.T) {
	c := tiny()
	c.Sampling = "standard"
	if _, err := New(c, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	c.Sampling = "other"
	if _, err := New(c, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Fatal("unknown sampling accepted")
	}
	c = tiny()
	c.Kernel = 2
	if _, err := New(c, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Fatal("even kernel accepted")
	}
}

func TestResultsDoNotDependOnGOMAXPROCS(t *testing.T) {
	cfg := Seed(40, 32) // 5,120 flattened features: the dense layer takes the split-k path
	cfg.Filters, cfg.Strides, cfg.Dropouts = []int{8, 16}, []int{1, 2}, []float64{0, 0.1}
	step := func(procs int) []float32 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, err := New(cfg, rand.New(rand.NewPCG(4, 4)))
		if err != nil {
			t.Fatal(err)
		}
		w := stripes(16, cfg.Rows, cfg.Cols, rand.New(rand.NewPCG(5, 5)))
		task, err := NewTask(m, w, allIdx(16), nil, 16, 16)
		if err != nil {
			t.Fatal(err)
		}
		defer task.Close()
		_, grads, err := task.TrainStep(allIdx(16), rand.New(rand.NewPCG(6, 6)))
		if err != nil {
			t.Fatal(err)
		}
		var flat []float32
		for _, g := range grads {
			flat = append(flat, g...)
		}
		return flat
	}
	one, four := step(1), step(4)
	for i := range one {
		if one[i] != four[i] {
			t.Fatalf("gradient %d: %v with GOMAXPROCS=1, %v with 4", i, one[i], four[i])
		}
	}
}

// TestEvalScoreIsTheReconstructionBCE recomputes each window's BCE from the
// eval net's reconstruction and input in float64: the score must be exactly
// the reconstruction loss, with nothing added to it.
func TestEvalScoreIsTheReconstructionBCE(t *testing.T) {
	m, _ := trainTiny(t, 11, 3)
	net, err := m.Build(graph.Eval, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	w := stripes(4, m.Config.Rows, m.Config.Cols, rand.New(rand.NewPCG(2, 3)))
	scores, err := Score(net, w, allIdx(4))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Reconstruct(net, w, allIdx(4))
	if err != nil {
		t.Fatal(err)
	}
	for e := range scores {
		var s float64
		for i, x := range w.Window(e) {
			y := float64(rec[e][i])
			s -= float64(x)*math.Log(y) + (1-float64(x))*math.Log(1-y)
		}
		s /= float64(w.Size)
		if math.Abs(s-scores[e]) > 1e-5 {
			t.Fatalf("window %d: score %.7f, BCE of the reconstruction %.7f", e, scores[e], s)
		}
	}
}
