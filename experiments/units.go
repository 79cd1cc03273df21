package experiments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/eval/tensorboard"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// unitFile is where a finished unit's result is kept, so an interrupted run
// resumes without retraining finished units.
func unitFile(out, name string) string { return filepath.Join(out, "units", name+".json") }

// GPUWorkers is the default train.workers on a GPU: two units train at
// once, so that one's host work (batches, uploads, bookkeeping) overlaps
// the other's GPU work; more would only queue on the one GPU.
const GPUWorkers = 2

// workerCount is how many units train at once: cfg.Train.Workers when set,
// else one per CPU core on the CPU and GPUWorkers on a GPU; at most one
// per unit.
func workerCount(cfg Config, device string, units int) int {
	w := cfg.Train.Workers
	if w == 0 {
		w = runtime.NumCPU()
		if device != "" && device != "cpu" {
			w = GPUWorkers
		}
	}
	return max(1, min(w, units))
}

// trainAll trains (or, on resume, reloads) every unit's model, workerCount
// at a time. Results are in unit order and independent of the worker count.
func trainAll(ctx context.Context, x *experiment, data tasks.Data, opts RunOptions) ([]tasks.Result, error) {
	if err := os.MkdirAll(filepath.Join(opts.Out, "units"), 0o755); err != nil {
		return nil, err
	}
	names := data.Units()
	workers := workerCount(x.cfg, opts.device, len(names))
	results := make([]tasks.Result, len(names))
	errs := make([]error, len(names))
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				r, resumed, err := x.runUnit(ctx, i, names[i], data, opts)
				if err != nil {
					errs[i] = err
					cancel()
					continue
				}
				results[i] = r
				mu.Lock()
				done++
				opts.Log.Info("unit done", "unit", r.Name, "n", fmt.Sprintf("%d/%d", done, len(names)),
					"steps", r.Steps, "val_loss", last(r.ValLoss), "cached", resumed, "seconds", fmt.Sprintf("%.1f", time.Since(t0).Seconds()))
				mu.Unlock()
			}
		}()
	}
	for i := range names {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if parent.Err() != nil {
		return nil, fmt.Errorf("interrupted; finished units and checkpoints are kept in %s, rerun the same command to resume: %w", opts.Out, parent.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return results, nil
}

// runUnit returns a finished unit's cached result, or trains the unit
// (resuming from its latest checkpoint if there is one) and caches the result.
func (x *experiment) runUnit(ctx context.Context, i int, name string, data tasks.Data, opts RunOptions) (tasks.Result, bool, error) {
	path := unitFile(opts.Out, name)
	if b, err := os.ReadFile(path); err == nil {
		var r tasks.Result
		if err := json.Unmarshal(b, &r); err != nil {
			return tasks.Result{}, false, fmt.Errorf("%s: %w (delete it to retrain %s)", path, err, name)
		}
		return r, true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return tasks.Result{}, false, err
	}
	u, err := data.Unit(i)
	if err != nil {
		return tasks.Result{}, false, err
	}
	r, err := x.trainUnit(ctx, i, name, u, opts)
	if err != nil {
		return tasks.Result{}, false, err
	}
	return r, false, writeJSON(path, r)
}

// unitSeed derives a per-unit seed so units train independently and reproducibly.
func unitSeed(seed uint64, i int) *rand.Rand { return rand.New(rand.NewPCG(seed, uint64(i)+1)) }

// newModel creates unit i's model for examples of in with its initial weights.
func (x *experiment) newModel(i int, in models.Input) (models.Model, error) {
	if x.family == nil {
		return nil, fmt.Errorf("task %s fits its own models; it has no model family to build", x.cfg.Task)
	}
	return x.family.New(x.cfg.Model, in, unitSeed(x.cfg.Seed, i))
}

// trainUnit trains unit i's model, saves it and scores the unit's sets.
func (x *experiment) trainUnit(ctx context.Context, i int, name string, u tasks.Unit, opts RunOptions) (tasks.Result, error) {
	cfg := x.cfg
	if err := u.Pool.Matches(x.in); err != nil {
		return tasks.Result{}, fmt.Errorf("%s: %w", name, err)
	}
	if err := u.Pool.Check(); err != nil {
		return tasks.Result{}, fmt.Errorf("%s: %w", name, err)
	}
	m, err := x.newModel(i, u.Pool.Input)
	if err != nil {
		return tasks.Result{}, err
	}
	evalBatch := tasks.ScoreBatch(cfg.Sections)
	task, err := m.TrainTask(u.Pool, u.Train, u.Val, cfg.Train.BatchSize, evalBatch, opts.factory)
	if err != nil {
		return tasks.Result{}, err
	}
	defer task.Close()
	ckDir := filepath.Join(opts.Out, "checkpoints", name)
	raw, err := json.Marshal(cfg)
	if err != nil {
		return tasks.Result{}, err
	}
	events, err := newEventWriter(opts.Out, name)
	if err != nil {
		return tasks.Result{}, err
	}
	defer events.Close()
	tr, err := models.NewTrainer(trainers.Config{
		Epochs: cfg.Train.Epochs, BatchSize: cfg.Train.BatchSize, Seed: cfg.Seed + uint64(i),
		Optimizer: cfg.Train.Optimizer, LR: cfg.Train.LR, WeightDecay: cfg.Train.WeightDecay,
		Patience: cfg.Train.Patience, MinDelta: cfg.Train.MinDelta,
		CheckpointDir: ckDir, CheckpointEvery: cfg.Train.CheckpointEvery,
		Keep: cfg.Train.Keep, ClipNorm: cfg.Train.ClipNorm, ConfigJSON: raw,
	}, task, trainers.WithHooks(unitHooks(name, events, opts)...))
	if err != nil {
		return tasks.Result{}, err
	}
	if path, ok, err := checkpoints.Latest(ckDir); err != nil {
		return tasks.Result{}, err
	} else if ok {
		if err := tr.Resume(path); err != nil {
			return tasks.Result{}, err
		}
		opts.Log.Info("resuming", "unit", name, "checkpoint", path)
	}
	res, err := tr.Run(ctx)
	if err != nil {
		return tasks.Result{}, fmt.Errorf("%s: %w", name, err)
	}
	r := tasks.Result{Name: name, TrainLoss: res.TrainLoss, ValLoss: res.ValLoss, Steps: res.Steps, Params: m.Registry().Count()}
	for _, h := range res.PhaseLoss {
		if r.UpdateLoss == nil {
			r.UpdateLoss = map[string][]float64{}
		}
		r.UpdateLoss[h.Phase] = h.TrainLoss
	}
	if r.Checkpoint, err = saveModel(filepath.Join(opts.Out, "models", name), m.Registry(), res, raw); err != nil {
		return tasks.Result{}, err
	}
	s, err := m.Scorer(evalBatch, opts.factory)
	if err != nil {
		return tasks.Result{}, err
	}
	defer s.Close()
	r.Scores, err = scoreSets(s, u.Sets)
	return r, err
}

// unitHooks observe unit name's training: the progress output, its
// TensorBoard curves, its registry curves and opts.OnEpoch.
func unitHooks(name string, events *tensorboard.Writer, opts RunOptions) []trainers.Hook {
	hooks := []trainers.Hook{
		trainers.NewProgress(opts.Progress, trainers.ProgressConfig{Logger: opts.Log.With("unit", name)}),
		curves{events},
	}
	if opts.rec != nil {
		hooks = append(hooks, opts.rec.epochHook(name))
	}
	if opts.OnEpoch != nil {
		hooks = append(hooks, trainers.HookFuncs{Prio: 30, Epoch: func(e trainers.EpochInfo) error { return opts.OnEpoch(name, e) }})
	}
	return hooks
}

// scoreSets scores every set of a unit.
func scoreSets(s models.Scorer, sets []tasks.Set) (map[string][]models.Score, error) {
	out := map[string][]models.Score{}
	for _, set := range sets {
		sc, err := s.Score(set.Examples, set.All())
		if err != nil {
			return nil, fmt.Errorf("scoring %s: %w", set.Name, err)
		}
		out[set.Name] = sc
	}
	return out, nil
}

// saveModel writes the model's final weights (the best ones where early
// stopping restored them) as the checkpoint that scoring and eval load.
func saveModel(dir string, reg *graph.Registry, res trainers.Result, cfgJSON []byte) (string, error) {
	c := &checkpoints.Checkpoint{Meta: checkpoints.Meta{
		Step: res.Steps, Epoch: res.Epochs, Config: cfgJSON,
		Metrics: map[string]float64{"best_val_loss": res.BestValLoss, "best_epoch": float64(res.BestEpoch)},
	}}
	for _, p := range reg.Params() {
		c.Tensors = append(c.Tensors, checkpoints.Tensor{Name: p.Name, Shape: p.Shape, Data: p.Data()})
	}
	return checkpoints.Save(dir, c, 1)
}

// checkResumable refuses to mix runs: an output directory that already holds
// a run must hold one of the same config.
func checkResumable(out string, cfg Config) (bool, error) {
	b, err := os.ReadFile(filepath.Join(out, "config.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	prev, err := parse(b, nil, false)
	if err != nil {
		return false, fmt.Errorf("%s/config.json: %w", out, err)
	}
	a, _ := json.Marshal(prev)
	c, _ := json.Marshal(cfg)
	if string(a) != string(c) {
		return false, fmt.Errorf("%s holds a run of a different config; use another --out or remove it", out)
	}
	return true, nil
}
