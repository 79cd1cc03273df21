package trainers

import (
	"context"
	"math"
	"slices"
	"testing"
)

// One SGD step by hand on reals {1.5, 2.5} from g = 0.5, w = 1, b = 0 with
// lr 0.1 and no noise, as a single full batch:
//
//	L_G = softplus(-0.5)                                 = 0.47407698
//	g'  = 0.5 + 0.1·σ(-0.5)                              = 0.53775407
//	L_D = (softplus(-1.5) + softplus(-2.5))/2 + softplus(g')  = 1.13789582
//	w'  = 1 - 0.1·((-1.5·σ(-1.5) - 2.5·σ(-2.5))/2 + g'·σ(g')) = 0.98921632
//	b'  = 0 - 0.1·((-σ(-1.5) - σ(-2.5))/2 + σ(g'))          = -0.05021480
//
// Had the discriminator seen the old g, w' would be 0.99204122 and b'
// -0.04933175.
func TestPhasedStepByHand(t *testing.T) {
	task := newGANTask(t, 1, 2)
	task.real = []float64{1.5, 2.5}
	copy(task.g.Data(), []float32{0.5})
	copy(task.w.Data(), []float32{1})
	copy(task.b.Data(), []float32{0})
	var steps []StepInfo
	rec := HookFuncs{Step: func(s StepInfo) error { steps = append(steps, s); return nil }}
	tr, err := NewPhased(Config{Optimizer: "sgd", LR: 0.1, BatchSize: 2, TrainSteps: 1}, task, WithHooks(rec))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(task.calls) != 2 || task.calls[0].phase != 0 || task.calls[1].phase != 1 {
		t.Fatalf("calls %+v, want the generator then the discriminator", task.calls)
	}
	if !near(task.calls[1].g, 0.53775407) {
		t.Errorf("the discriminator saw g = %v, want the updated 0.53775407", task.calls[1].g)
	}
	if !near(task.g.Data()[0], 0.53775407) || !near(task.w.Data()[0], 0.98921632) || !near(task.b.Data()[0], -0.05021480) {
		t.Errorf("after one step g, w, b = %v, %v, %v; want 0.53775407, 0.98921632, -0.05021480",
			task.g.Data()[0], task.w.Data()[0], task.b.Data()[0])
	}
	if len(steps) != 1 || len(steps[0].PhaseLoss) != 2 {
		t.Fatalf("step infos %+v", steps)
	}
	pl := steps[0].PhaseLoss
	if pl[0].Phase != "generator" || !near(float32(pl[0].Loss), 0.47407698) ||
		pl[1].Phase != "discriminator" || !near(float32(pl[1].Loss), 1.13789582) || steps[0].Loss != pl[0].Loss {
		t.Errorf("step losses %+v (loss %v), want generator 0.47407698, discriminator 1.13789582", pl, steps[0].Loss)
	}
	want := []PhaseHistory{{"generator", []float64{pl[0].Loss}}, {"discriminator", []float64{pl[1].Loss}}}
	if !samePhaseHistory(res.PhaseLoss, want) || !slices.Equal(res.TrainLoss, want[0].TrainLoss) {
		t.Errorf("result losses %+v, train %v; want %+v", res.PhaseLoss, res.TrainLoss, want)
	}
	if tr.Optimizer() != nil {
		t.Error("a phased trainer reports a single optimizer")
	}
}

func samePhaseHistory(a, b []PhaseHistory) bool {
	return slices.EqualFunc(a, b, func(x, y PhaseHistory) bool {
		return x.Phase == y.Phase && slices.Equal(x.TrainLoss, y.TrainLoss)
	})
}

func TestPhasedRoundsAndSeparateOptimizers(t *testing.T) {
	task := newGANTask(t, 1, 10)
	task.sigma, task.rounds, task.lr = 0.1, [2]int{0, 2}, [2]float64{0.01, 0}
	var steps []StepInfo
	var epochs []EpochInfo
	rec := HookFuncs{
		Step:  func(s StepInfo) error { steps = append(steps, s); return nil },
		Epoch: func(e EpochInfo) error { epochs = append(epochs, e); return nil },
	}
	tr, err := NewPhased(Config{LR: 0.002, BatchSize: 4, TrainSteps: 6}, task, WithHooks(rec))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(task.calls) != 18 {
		t.Fatalf("%d calls, want 3 per step", len(task.calls))
	}
	for s := 0; s < 6; s++ {
		c := task.calls[3*s : 3*s+3]
		if c[0].phase != 0 || c[1].phase != 1 || c[2].phase != 1 {
			t.Fatalf("step %d calls phases %d %d %d, want 0 1 1", s+1, c[0].phase, c[1].phase, c[2].phase)
		}
		if c[1].g == c[0].g || c[2].g != c[1].g || c[2].w == c[1].w {
			t.Errorf("step %d: the rounds did not see the earlier updates: %+v", s+1, c)
		}
		pl := steps[s].PhaseLoss
		if pl[0].Loss != c[0].loss || pl[1].Loss != (c[1].loss+c[2].loss)/2 {
			t.Errorf("step %d: losses %+v, want %v and the mean of %v, %v", s+1, pl, c[0].loss, c[1].loss, c[2].loss)
		}
	}
	// Epoch losses are example-weighted over batches of 4, 4 and 2.
	for e := 0; e < 2; e++ {
		for p := 0; p < 2; p++ {
			var sum float64
			for s, n := range []float64{4, 4, 2} {
				sum += steps[3*e+s].PhaseLoss[p].Loss * n
			}
			if got := res.PhaseLoss[p].TrainLoss[e]; got != sum/10 || epochs[e].PhaseLoss[p].Loss != got {
				t.Errorf("epoch %d phase %d: loss %v (epoch info %v), want %v", e, p, got, epochs[e].PhaseLoss[p].Loss, sum/10)
			}
		}
	}
	if !slices.Equal(res.TrainLoss, res.PhaseLoss[0].TrainLoss) {
		t.Errorf("TrainLoss %v is not the generator's %v", res.TrainLoss, res.PhaseLoss[0].TrainLoss)
	}
	opts := tr.PhaseOptimizers()
	gen, disc := opts[0].State(), opts[1].State()
	if gen.Step != 6 || disc.Step != 12 {
		t.Errorf("optimizer steps %d and %d, want 6 and 12", gen.Step, disc.Step)
	}
	if gen.Hyper["lr"] != 0.01 || disc.Hyper["lr"] != 0.002 {
		t.Errorf("learning rates %v and %v, want 0.01 and Config.LR 0.002", gen.Hyper["lr"], disc.Hyper["lr"])
	}
	names := func(s OptimizerState) []string {
		var out []string
		for _, m := range s.Tensors {
			out = append(out, m.Name)
		}
		return out
	}
	if g, d := names(gen), names(disc); !slices.Equal(g, []string{"m/g", "v/g"}) || !slices.Equal(d, []string{"m/w", "v/w", "m/b", "v/b"}) {
		t.Errorf("moments %v and %v", g, d)
	}
}

// With ClipNorm 0.01 and SGD at lr 0.1, every update (whose gradient norm
// is far above 0.01) moves its own parameters by 0.1·0.01 = 0.001.
func TestPhasedClipsEachUpdate(t *testing.T) {
	task := newGANTask(t, 1, 2)
	task.real = []float64{1.5, 2.5}
	copy(task.g.Data(), []float32{0.5})
	copy(task.w.Data(), []float32{1})
	copy(task.b.Data(), []float32{0})
	tr, err := NewPhased(Config{Optimizer: "sgd", LR: 0.1, BatchSize: 2, TrainSteps: 1, ClipNorm: 0.01}, task)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	dw, db := float64(task.w.Data()[0])-1, float64(task.b.Data()[0])
	if !near(task.g.Data()[0], 0.501) || !near(float32(math.Hypot(dw, db)), 0.001) {
		t.Errorf("g moved to %v, (w, b) by %v; want 0.501 and 0.001", task.g.Data()[0], math.Hypot(dw, db))
	}
}
