package trainers

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/graph"
)

const (
	embRows  = 50 // rows of the table; examples use rows below embUsed
	embUsed  = 40
	embWidth = 4
	embTrain = 30
	embVal   = 10
)

// embedTask fits y = e[id]·w with an embedding table e [50, 4] and a vector
// w [4] under the mean squared error, with N(0, 0.01²) noise on the targets
// in train mode. Its gradients are computed by hand, the table's as row
// gradients; rows embUsed and up appear in no example, and validation
// examples use rows of training examples.
type embedTask struct {
	emb, w  *graph.Param
	ids     []int32 // training examples' rows
	y       []float64
	vids    []int32 // validation examples'
	vy      []float64
	rows    []*RowGrad
	poison  int       // 1-based call whose row gradient gets a NaN; 0 = none
	val     []float64 // when set, replayed validation losses, one per call
	calls   int
	valSeen int
	good    [][]float32 // weights before the poisoned call
}

// newEmbedTask builds the task; initSeed drives the weight init only.
func newEmbedTask(t *testing.T, initSeed uint64) *embedTask {
	t.Helper()
	reg := graph.NewRegistry()
	init := rand.New(rand.NewPCG(initSeed, 3))
	emb, err := reg.Add("emb", []int{embRows, embWidth}, graph.Uniform(0.5), init)
	if err != nil {
		t.Fatal(err)
	}
	w, err := reg.Add("w", []int{embWidth}, graph.Uniform(0.5), init)
	if err != nil {
		t.Fatal(err)
	}
	data := rand.New(rand.NewPCG(98, 1))
	target := make([]float64, embUsed)
	for i := range target {
		target[i] = 2*data.Float64() - 1
	}
	task := &embedTask{emb: emb, w: w}
	for i := 0; i < embTrain; i++ {
		id := int32(data.IntN(embUsed))
		task.ids, task.y = append(task.ids, id), append(task.y, target[id])
	}
	for i := 0; i < embVal; i++ {
		id := task.ids[data.IntN(embTrain)]
		task.vids, task.vy = append(task.vids, id), append(task.vy, target[id])
	}
	return task
}

func (e *embedTask) TrainLen() int          { return embTrain }
func (e *embedTask) Params() []*graph.Param { return []*graph.Param{e.emb, e.w} }
func (e *embedTask) RowGrads() []*RowGrad   { return e.rows }

// predict returns e[id]·w.
func (e *embedTask) predict(id int32) float64 {
	var s float64
	for k, wk := range e.w.Data() {
		s += float64(e.emb.Data()[int(id)*embWidth+k]) * float64(wk)
	}
	return s
}

func (e *embedTask) TrainStep(idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	e.calls++
	if e.calls == e.poison {
		e.good = weights(e)
	}
	n := float64(len(idx))
	var loss float64
	gw := make([]float64, embWidth)
	acc := map[int32][]float64{}
	var order []int32
	emb, w := e.emb.Data(), e.w.Data()
	for _, i := range idx {
		id := e.ids[i]
		d := e.predict(id) - (e.y[i] + 0.01*rng.NormFloat64())
		loss += d * d / n
		g, ok := acc[id]
		if !ok {
			g = make([]float64, embWidth)
			acc[id], order = g, append(order, id)
		}
		for k := range g {
			g[k] += 2 * d * float64(w[k]) / n
			gw[k] += 2 * d * float64(emb[int(id)*embWidth+k]) / n
		}
	}
	rg := &RowGrad{Rows: order}
	for _, id := range order {
		for _, v := range acc[id] {
			rg.Values = append(rg.Values, float32(v))
		}
	}
	if e.calls == e.poison {
		rg.Values[len(rg.Values)-2] = float32(math.NaN())
	}
	e.rows = []*RowGrad{rg, nil}
	dense := make([]float32, embWidth)
	for k, v := range gw {
		dense[k] = float32(v)
	}
	return loss, [][]float32{nil, dense}, nil
}

func (e *embedTask) ValidationLoss() (float64, bool, error) {
	if e.val != nil {
		v := e.val[min(e.valSeen, len(e.val)-1)]
		e.valSeen++
		return v, true, nil
	}
	var loss float64
	for i, id := range e.vids {
		d := e.predict(id) - e.vy[i]
		loss += d * d / embVal
	}
	return loss, true, nil
}

func TestSparseTaskLowersLossAndKeepsUnusedRows(t *testing.T) {
	for _, opt := range []string{"adam", "sgd"} {
		task := newEmbedTask(t, 1)
		initVal, _, _ := task.ValidationLoss()
		unused := slices.Clone(task.emb.Data()[embUsed*embWidth:])
		tr, err := New(Config{Epochs: 60, BatchSize: 8, Seed: 3, Optimizer: opt, LR: 0.05, WeightDecay: 1e-4}, task)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tr.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		first, last := res.TrainLoss[0], res.TrainLoss[len(res.TrainLoss)-1]
		if !(last < first/5) || !(res.ValLoss[len(res.ValLoss)-1] < initVal/2) {
			t.Errorf("%s: train loss %v -> %v, val %v -> %v", opt, first, last, initVal, res.ValLoss[len(res.ValLoss)-1])
		}
		if !slices.Equal(unused, task.emb.Data()[embUsed*embWidth:]) {
			t.Errorf("%s: rows no example uses changed", opt)
		}
	}
}

// sparseResumeConfig is 20 steps of 4-step epochs with a checkpoint every 3
// steps, weight decay, clipping and kept best weights.
func sparseResumeConfig(dir string) Config {
	return Config{BatchSize: 8, Seed: 5, LR: 0.03, TrainSteps: 20, CheckpointDir: dir, CheckpointEvery: 3,
		WeightDecay: 0.01, ClipNorm: 0.5, Patience: 100}
}

func TestSparseTaskResumeMatchesUninterruptedRun(t *testing.T) {
	root := t.TempDir()
	task := newEmbedTask(t, 1)
	tr, err := New(sparseResumeConfig(filepath.Join(root, "straight")), task)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantW := weights(task)

	killedDir := filepath.Join(root, "killed")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr2, err := New(sparseResumeConfig(killedDir), newEmbedTask(t, 1), WithHooks(cancelAt(7, cancel)))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := tr2.Run(ctx); !errors.Is(err, context.Canceled) || res.Steps != 7 {
		t.Fatalf("interrupted run: %d steps, err %v", res.Steps, err)
	}
	for _, step := range []string{"step-000000007", "step-000000006", "step-000000003"} {
		resumed := newEmbedTask(t, 99)
		tr3, err := New(sparseResumeConfig(filepath.Join(root, "from-"+step)), resumed)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr3.Resume(filepath.Join(killedDir, step)); err != nil {
			t.Fatal(err)
		}
		got, err := tr3.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if d := diffWeights(weights(resumed), wantW); d != "" {
			t.Errorf("resumed at %s: weights differ: %s", step, d)
		}
		if got.Steps != want.Steps || !slices.Equal(got.TrainLoss, want.TrainLoss) || !slices.Equal(got.ValLoss, want.ValLoss) || got.BestEpoch != want.BestEpoch {
			t.Errorf("resumed at %s: result %+v, want %+v", step, got, want)
		}
		a, err := checkpoints.Load(want.LastCheckpoint)
		if err != nil {
			t.Fatal(err)
		}
		b, err := checkpoints.Load(got.LastCheckpoint)
		if err != nil {
			t.Fatal(err)
		}
		if a.Meta.WeightsSHA256 != b.Meta.WeightsSHA256 || a.Meta.RNG != b.Meta.RNG || a.Meta.Optimizer.Hyper["weight_decay"] != 0.01 {
			t.Errorf("resumed at %s: final checkpoints differ (or lack weight decay %v)", step, b.Meta.Optimizer.Hyper)
		}
		// Both parameters, their m and v, and their best weights.
		if len(b.Tensors) != 8 {
			t.Errorf("resumed at %s: final checkpoint has %d tensors, want 8", step, len(b.Tensors))
		}
	}
}

func TestSparseTaskEarlyStoppingRestoresBestWeights(t *testing.T) {
	task := newEmbedTask(t, 1)
	task.val = []float64{1, 0.5, 0.6, 0.55, 0.4}
	var atEpoch [][][]float32
	rec := HookFuncs{Epoch: func(EpochInfo) error {
		atEpoch = append(atEpoch, weights(task))
		return nil
	}}
	tr, err := New(Config{Epochs: 50, BatchSize: 8, LR: 0.05, Patience: 2}, task, WithHooks(rec))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.StoppedEarly || res.Epochs != 4 || res.BestEpoch != 1 {
		t.Fatalf("result %+v, want a stop after epoch 3 with the best at epoch 1", res)
	}
	if d := diffWeights(weights(task), atEpoch[1]); d != "" {
		t.Errorf("weights are not those of the best epoch: %s", d)
	}
}

func TestNonFiniteRowGradientChangesNothing(t *testing.T) {
	dir := t.TempDir()
	task := newEmbedTask(t, 1)
	task.poison = 8
	var optBefore OptimizerState
	var tr *Trainer
	rec := HookFuncs{Step: func(s StepInfo) error {
		if s.Step == 7 {
			optBefore = tr.Optimizer().State()
		}
		return nil
	}}
	tr, err := New(sparseResumeConfig(dir), task, WithHooks(rec))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), `parameter "emb"`) || !strings.Contains(err.Error(), "step 8") {
		t.Fatalf("err %v, want ErrNonFinite at step 8 naming \"emb\"", err)
	}
	if res.Steps != 7 {
		t.Errorf("result reports %d steps, want 7", res.Steps)
	}
	if d := diffWeights(task.good, weights(task)); d != "" {
		t.Errorf("the bad step changed the weights: %s", d)
	}
	if d := diffStates(optBefore, tr.Optimizer().State()); d != "" {
		t.Errorf("the bad step changed the optimizer: %s", d)
	}
	if latest, ok, err := checkpoints.Latest(dir); err != nil || !ok || filepath.Base(latest) != "step-000000006" {
		t.Errorf("Latest = %q %v %v, want step 6", latest, ok, err)
	}
}

func TestCheckStepReportsRowValues(t *testing.T) {
	p := newTable(t, "emb", []int{5, 2}, make([]float32, 10)...)
	rows := []*RowGrad{{Rows: []int32{3, 1}, Values: []float32{0, 0, 0, float32(math.Inf(1))}}}
	err := checkStep(4, 1, []*graph.Param{p}, [][]float32{nil}, rows)
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "row 1, value 1") {
		t.Errorf("err %v, want ErrNonFinite at row 1, value 1", err)
	}
	rows[0].Values[3] = 1
	if err := checkStep(4, 1, []*graph.Param{p}, [][]float32{nil}, rows); err != nil {
		t.Errorf("finite rows: %v", err)
	}
}

func TestClipIncludesRowValues(t *testing.T) {
	grads := [][]float32{nil, {3}}
	rows := []*RowGrad{{Rows: []int32{0}, Values: []float32{4}}}
	if n := clipRows(grads, rows, 1); n != 5 {
		t.Fatalf("norm %v, want 5", n)
	}
	if !near(grads[1][0], 0.6) || !near(rows[0].Values[0], 0.8) {
		t.Errorf("clipped to %v and %v, want 0.6 and 0.8", grads[1][0], rows[0].Values[0])
	}
}

// denseOnly is an Optimizer without StepRows.
type denseOnly struct{ Optimizer }

func TestNewChecksRowOptimizerAndWeightDecay(t *testing.T) {
	if _, err := New(Config{}, newEmbedTask(t, 1), WithOptimizer(denseOnly{NewAdam(AdamConfig{})})); err == nil {
		t.Error("sparse task with a dense-only optimizer accepted")
	}
	for _, bad := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := New(Config{WeightDecay: bad}, newEmbedTask(t, 1)); err == nil {
			t.Errorf("weight decay %v accepted", bad)
		}
	}
	tr, err := New(Config{Optimizer: "sgd", WeightDecay: 0.3}, newRegressionTask(t, 1))
	if err != nil || tr.Optimizer().State().Hyper["weight_decay"] != 0.3 {
		t.Errorf("weight decay not passed to the optimizer: %v", err)
	}
}

// deviceEmbedTask is an embedTask that also claims a device path.
type deviceEmbedTask struct {
	*embedTask
	deviceSteps int
}

func (d *deviceEmbedTask) OnDevice() bool { return true }
func (d *deviceEmbedTask) DeviceStep(idx []int, rng *rand.Rand, _ graph.Update) (float64, bool, [][]float32, error) {
	d.deviceSteps++
	loss, _, err := d.TrainStep(idx, rng)
	return loss, true, nil, err
}
func (d *deviceEmbedTask) SyncParams() error { return nil }
func (d *deviceEmbedTask) ReleaseParams()    {}

// deviceDenseTask is a regression task with the same device path.
type deviceDenseTask struct {
	*regressionTask
	deviceSteps int
}

func (d *deviceDenseTask) OnDevice() bool { return true }
func (d *deviceDenseTask) DeviceStep(idx []int, rng *rand.Rand, _ graph.Update) (float64, bool, [][]float32, error) {
	d.deviceSteps++
	loss, _, err := d.TrainStep(idx, rng)
	return loss, true, nil, err
}
func (d *deviceDenseTask) SyncParams() error { return nil }
func (d *deviceDenseTask) ReleaseParams()    {}

// Row gradients and weight decay are applied on the host.
func TestSparseAndDecayedStepsStayOnTheHost(t *testing.T) {
	var _ SparseTask = (*deviceEmbedTask)(nil)
	var _ DeviceTask = (*deviceEmbedTask)(nil)
	sparse := &deviceEmbedTask{embedTask: newEmbedTask(t, 1)}
	before := weights(sparse)
	tr, err := New(Config{TrainSteps: 3, BatchSize: 8}, sparse)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sparse.deviceSteps != 0 || diffWeights(before, weights(sparse)) == "" {
		t.Errorf("sparse task: %d device steps, weights changed %v", sparse.deviceSteps, diffWeights(before, weights(sparse)) != "")
	}
	for _, wd := range []float64{0, 0.1} {
		dense := &deviceDenseTask{regressionTask: newRegressionTask(t, 1)}
		tr, err := New(Config{TrainSteps: 3, BatchSize: 8, WeightDecay: wd}, dense)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 3, false: 0}[wd == 0]; dense.deviceSteps != want {
			t.Errorf("weight decay %v: %d device steps, want %d", wd, dense.deviceSteps, want)
		}
	}
	if _, err := NewAdam(AdamConfig{WeightDecay: 0.1}).NextUpdate(nil); err == nil {
		t.Error("adam: a device update with weight decay")
	}
	if _, err := NewSGD(SGDConfig{WeightDecay: 0.1}).NextUpdate(nil); err == nil {
		t.Error("sgd: a device update with weight decay")
	}
}
