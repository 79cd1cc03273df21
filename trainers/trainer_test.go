package trainers

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/graph"
)

func TestTrainerLowersLoss(t *testing.T) {
	task := newRegressionTask(t, 1)
	initVal, _, err := task.ValidationLoss()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(Config{Epochs: 40, BatchSize: 4, Seed: 3, LR: 0.02}, task)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Epochs != 40 || res.Steps != 40*6 || len(res.TrainLoss) != 40 || len(res.ValLoss) != 40 {
		t.Fatalf("result %+v", res)
	}
	first, last := res.TrainLoss[0], res.TrainLoss[39]
	if !(last < first/5) {
		t.Errorf("train loss %v -> %v, want a 5x decrease", first, last)
	}
	if !(res.ValLoss[39] < initVal/10) {
		t.Errorf("val loss %v before training, %v after, want a 10x decrease", initVal, res.ValLoss[39])
	}
	if res.StoppedEarly || res.BestEpoch < 0 || res.BestValLoss > res.ValLoss[0] {
		t.Errorf("best %v at %d, stopped %v", res.BestValLoss, res.BestEpoch, res.StoppedEarly)
	}
}

func TestSameSeedGivesBitIdenticalWeights(t *testing.T) {
	run := func(seed uint64, opt string) ([][]float32, Result) {
		task := newRegressionTask(t, 1)
		tr, err := New(Config{Epochs: 3, BatchSize: 5, Seed: seed, Optimizer: opt, LR: 0.05}, task)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tr.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return weights(task), res
	}
	for _, opt := range []string{"adam", "sgd"} {
		a, ra := run(11, opt)
		b, rb := run(11, opt)
		if d := diffWeights(a, b); d != "" {
			t.Errorf("%s: same seed, different weights: %s", opt, d)
		}
		if !slices.Equal(ra.TrainLoss, rb.TrainLoss) || !slices.Equal(ra.ValLoss, rb.ValLoss) {
			t.Errorf("%s: same seed, different losses", opt)
		}
		if c, _ := run(12, opt); diffWeights(a, c) == "" {
			t.Errorf("%s: seeds 11 and 12 gave identical weights", opt)
		}
	}
}

// recordTask records the batches it is given.
type recordTask struct {
	n       int
	p       *graph.Param
	batches [][]int
}

func newRecordTask(t *testing.T, n int) *recordTask {
	return &recordTask{n: n, p: newParam(t, "w", 0)}
}

func (r *recordTask) TrainLen() int                          { return r.n }
func (r *recordTask) Params() []*graph.Param                 { return []*graph.Param{r.p} }
func (r *recordTask) ValidationLoss() (float64, bool, error) { return 0, false, nil }
func (r *recordTask) TrainStep(idx []int, _ *rand.Rand) (float64, [][]float32, error) {
	r.batches = append(r.batches, slices.Clone(idx))
	return 1, [][]float32{{0}}, nil
}

func TestBatchesFollowSeededPermutations(t *testing.T) {
	task := newRecordTask(t, 22)
	tr, err := New(Config{Epochs: 2, BatchSize: 4, Seed: 9}, task)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 12 || len(task.batches) != 12 || tr.StepsPerEpoch() != 6 {
		t.Fatalf("%d steps, %d batches", res.Steps, len(task.batches))
	}
	for e := 0; e < 2; e++ {
		var order []int
		for b, batch := range task.batches[6*e : 6*e+6] {
			want := 4
			if b == 5 {
				want = 2 // the last partial batch is kept
			}
			if len(batch) != want {
				t.Errorf("epoch %d batch %d has %d examples, want %d", e, b, len(batch), want)
			}
			order = append(order, batch...)
		}
		if want := rand.New(rand.NewPCG(9, uint64(e))).Perm(22); !slices.Equal(order, want) {
			t.Errorf("epoch %d order %v, want %v", e, order, want)
		}
	}
	if res.BestEpoch != -1 || res.BestValLoss == res.BestValLoss || len(res.ValLoss) != 0 {
		t.Errorf("no validation set, yet best %v at %d, %d val losses", res.BestValLoss, res.BestEpoch, len(res.ValLoss))
	}
}

func TestHooksRunInPriorityOrder(t *testing.T) {
	var calls []string
	mk := func(name string, prio int) Hook {
		return HookFuncs{Prio: prio,
			Step:  func(StepInfo) error { calls = append(calls, name+".step"); return nil },
			Epoch: func(EpochInfo) error { calls = append(calls, name+".epoch"); return nil },
			End:   func(Result) error { calls = append(calls, name+".end"); return nil },
		}
	}
	hist := &History{}
	tr, err := New(Config{Epochs: 1, BatchSize: 2}, newRecordTask(t, 2), WithHooks(mk("late", 5), mk("early", -1), hist, mk("late2", 5)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"early.step", "late.step", "late2.step", "early.epoch", "late.epoch", "late2.epoch", "early.end", "late.end", "late2.end"}
	if !slices.Equal(calls, want) {
		t.Errorf("calls %v, want %v", calls, want)
	}
	if len(hist.Epochs) != 1 || hist.Epochs[0].TrainLoss != 1 || hist.Epochs[0].Step != 1 {
		t.Errorf("history %+v", hist.Epochs)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	task := newRecordTask(t, 4)
	bad := []Config{
		{BatchSize: -1},
		{Patience: -2},
		{MinDelta: -0.1},
		{Optimizer: "lbfgs"},
		{LR: -1},
		{ConfigJSON: json.RawMessage(`{oops`)},
	}
	for _, c := range bad {
		if _, err := New(c, task); err == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
	if _, err := New(Config{}, newRecordTask(t, 0)); err == nil {
		t.Error("empty training set accepted")
	}
	reserved := &recordTask{n: 1, p: newParam(t, "optim/m/x", 0)}
	if _, err := New(Config{}, reserved); err == nil {
		t.Error("reserved parameter name accepted")
	}
	tr, err := New(Config{}, task)
	if err != nil {
		t.Fatal(err)
	}
	if tr.TotalSteps() != 1 || tr.Optimizer().State().Name != "adam" {
		t.Errorf("defaults: %d steps, optimizer %q", tr.TotalSteps(), tr.Optimizer().State().Name)
	}
}
