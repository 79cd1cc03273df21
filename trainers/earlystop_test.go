package trainers

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/graph"
)

// plateauTask has a constant unit gradient and replays a fixed sequence of
// validation losses, one per epoch.
type plateauTask struct {
	p    *graph.Param
	val  []float64
	seen int
}

func (p *plateauTask) TrainLen() int          { return 4 }
func (p *plateauTask) Params() []*graph.Param { return []*graph.Param{p.p} }
func (p *plateauTask) TrainStep([]int, *rand.Rand) (float64, [][]float32, error) {
	return 1, [][]float32{{1, 1}}, nil
}
func (p *plateauTask) ValidationLoss() (float64, bool, error) {
	v := p.val[min(p.seen, len(p.val)-1)]
	p.seen++
	return v, true, nil
}

// runPlateau trains with SGD (lr 0.1, 2 steps per epoch) and records the
// weights at the end of every epoch.
func runPlateau(t *testing.T, cfg Config, val []float64, opts ...Option) (Result, *plateauTask, [][]float32) {
	t.Helper()
	task := &plateauTask{p: newParam(t, "w", 0, 0), val: val}
	var atEpoch [][]float32
	rec := HookFuncs{Epoch: func(EpochInfo) error {
		atEpoch = append(atEpoch, append([]float32(nil), task.p.Data()...))
		return nil
	}}
	cfg.BatchSize, cfg.Optimizer, cfg.LR = 2, "sgd", 0.1
	tr, err := New(cfg, task, append(opts, WithHooks(rec))...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res, task, atEpoch
}

func TestEarlyStoppingOnPlateauRestoresBestWeights(t *testing.T) {
	val := []float64{1, 0.5, 0.6, 0.55, 0.4, 0.3}
	res, task, atEpoch := runPlateau(t, Config{Epochs: 50, Patience: 2}, val)
	if !res.StoppedEarly || res.Epochs != 4 || res.Steps != 8 || res.BestEpoch != 1 || res.BestValLoss != 0.5 {
		t.Fatalf("result %+v, want a stop after epoch 3 with the best at epoch 1", res)
	}
	if d := diffWeights([][]float32{task.p.Data()}, atEpoch[1:2]); d != "" {
		t.Errorf("final weights are not those of the best epoch: %s", d)
	}

	res, task, atEpoch = runPlateau(t, Config{Epochs: 50, Patience: 2}, val, WithRestoreBestWeights(false))
	if !res.StoppedEarly || res.Epochs != 4 {
		t.Fatalf("result %+v", res)
	}
	if d := diffWeights([][]float32{task.p.Data()}, atEpoch[3:4]); d != "" {
		t.Errorf("without restoring, final weights are not the last epoch's: %s", d)
	}

	// Improvements smaller than MinDelta do not count.
	res, _, _ = runPlateau(t, Config{Epochs: 50, Patience: 2, MinDelta: 0.05}, []float64{1, 0.99, 0.98, 0.97})
	if !res.StoppedEarly || res.Epochs != 3 || res.BestEpoch != 0 {
		t.Errorf("MinDelta: result %+v, want a stop after epoch 2 with the best at 0", res)
	}

	// Without patience the run goes on, and keeps its final weights.
	res, _, _ = runPlateau(t, Config{Epochs: 6}, val)
	if res.StoppedEarly || res.Epochs != 6 || res.BestEpoch != 5 {
		t.Errorf("no early stopping: result %+v", res)
	}
}

func TestEarlyStopSurvivesResume(t *testing.T) {
	dir := t.TempDir()
	val := []float64{1, 0.5, 0.6, 0.55}
	res, task, atEpoch := runPlateau(t, Config{Epochs: 50, Patience: 2, CheckpointDir: dir}, val)
	if !res.StoppedEarly || filepath.Base(res.LastCheckpoint) != "step-000000008" {
		t.Fatalf("result %+v", res)
	}
	ck, err := checkpoints.Load(res.LastCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	if len(ck.Tensors) != 2 || ck.Tensors[0].Name != "best/w" {
		t.Errorf("checkpoint tensors %v, want best/w and w", ck.Tensors)
	}
	// The checkpoint holds the trained weights; resuming it restores the
	// best ones again without training.
	fresh := &plateauTask{p: newParam(t, "w", 9, 9), val: val}
	tr, err := New(Config{Epochs: 50, Patience: 2, CheckpointDir: dir, BatchSize: 2, Optimizer: "sgd", LR: 0.1}, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Resume(res.LastCheckpoint); err != nil {
		t.Fatal(err)
	}
	got, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !got.StoppedEarly || got.Steps != 8 || got.BestEpoch != 1 || fresh.seen != 0 {
		t.Errorf("resumed result %+v, %d validations", got, fresh.seen)
	}
	if d := diffWeights([][]float32{fresh.p.Data()}, [][]float32{task.p.Data()}); d != "" || diffWeights(atEpoch[1:2], [][]float32{fresh.p.Data()}) != "" {
		t.Errorf("resumed weights differ: %s", d)
	}
}
