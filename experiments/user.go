package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
	"github.com/vigil-ml/vigil/trainers"
)

// userResult is what one user's model produced.
type userResult struct {
	Name       string    `json:"user"`
	Labels     []bool    `json:"labels"`
	Test       []float64 `json:"test_scores"`
	Validation []float64 `json:"validation_scores"` // held-out clean windows: per-user thresholds
	// Input entropies of the same windows: score - entropy is the excess BCE.
	TestEntropy       []float64 `json:"test_entropy"`
	ValidationEntropy []float64 `json:"validation_entropy"`
	TrainLoss         []float64 `json:"train_loss"`
	ValLoss           []float64 `json:"val_loss"`
	Steps             int       `json:"steps"`
	Checkpoint        string    `json:"checkpoint"`
}

// userData is one user's windows: clean windows (train then validation) and one window per test block.
type userData struct {
	clean      convvae.Windows
	train, val []int
	test       convvae.Windows
}

func makeUserData(cfg Config, u datasets.SEAUser, table *commandTable) (userData, error) {
	L := cfg.Windows.Length
	flat, n, err := datasets.Windows(datasets.Embed(u.Train, table.lookup), L, cfg.Windows.Stride)
	if err != nil {
		return userData{}, fmt.Errorf("%s: %w", u.Name, err)
	}
	size := L * cfg.Embedding.Dim
	tr, va, err := datasets.SplitTrainVal(n, cfg.Windows.TrainWindows)
	if err != nil {
		return userData{}, fmt.Errorf("%s: %w", u.Name, err)
	}
	d := userData{clean: convvae.Windows{Data: flat, N: n, Size: size}, train: rangeIdx(tr), val: rangeIdx(va)}
	d.test = convvae.Windows{Size: size}
	for _, block := range u.Blocks {
		w, err := datasets.Window(datasets.Embed(block, table.lookup), L)
		if err != nil {
			return userData{}, fmt.Errorf("%s: %w", u.Name, err)
		}
		d.test.Data = append(d.test.Data, w...)
		d.test.N++
	}
	return d, nil
}

func rangeIdx(r datasets.Range) []int {
	out := make([]int, 0, r.Len())
	for i := r.Lo; i < r.Hi; i++ {
		out = append(out, i)
	}
	return out
}

func allIdx(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// modelConfig is the ConvVAE config of an experiment.
func modelConfig(cfg Config) convvae.Config {
	m := cfg.Model
	return convvae.Config{
		Rows: cfg.Windows.Length, Cols: cfg.Embedding.Dim,
		Filters: m.Filters, Strides: m.Strides, Dropouts: m.Dropouts, Kernel: m.Kernel,
		Dense: m.Dense, Latent: m.Latent, DecoderFilters: m.DecoderFilters,
		Sampling: m.Sampling, KLWeight: m.KLWeight,
	}
}

// userSeed derives a per-user seed so users train independently and reproducibly.
func userSeed(seed uint64, i int) *rand.Rand { return rand.New(rand.NewPCG(seed, uint64(i)+1)) }

// trainUser trains user i's model, then scores its test blocks and validation windows.
func trainUser(ctx context.Context, cfg Config, i int, u datasets.SEAUser, d userData, out string, log *slog.Logger, progress io.Writer, factory graph.RunnerFactory) (userResult, error) {
	m, err := convvae.New(modelConfig(cfg), userSeed(cfg.Seed, i))
	if err != nil {
		return userResult{}, err
	}
	task, err := convvae.NewTaskWith(m, d.clean, d.train, d.val, cfg.Train.BatchSize, cfg.Eval.BatchSize, factory)
	if err != nil {
		return userResult{}, err
	}
	defer task.Close()
	ckDir := filepath.Join(out, "checkpoints", u.Name)
	raw, err := json.Marshal(cfg)
	if err != nil {
		return userResult{}, err
	}
	tr, err := trainers.New(trainers.Config{
		Epochs: cfg.Train.Epochs, BatchSize: cfg.Train.BatchSize, Seed: cfg.Seed + uint64(i),
		Optimizer: cfg.Train.Optimizer, LR: cfg.Train.LR,
		Patience: cfg.Train.Patience, MinDelta: cfg.Train.MinDelta,
		CheckpointDir: ckDir, CheckpointEvery: cfg.Train.CheckpointEvery,
		Keep: cfg.Train.Keep, ConfigJSON: raw,
	}, task, trainers.WithHooks(trainers.NewProgress(progress, trainers.ProgressConfig{Logger: log.With("user", u.Name)})))
	if err != nil {
		return userResult{}, err
	}
	if path, ok, err := checkpoints.Latest(ckDir); err != nil {
		return userResult{}, err
	} else if ok {
		if err := tr.Resume(path); err != nil {
			return userResult{}, err
		}
		log.Info("resuming", "user", u.Name, "checkpoint", path)
	}
	res, err := tr.Run(ctx)
	if err != nil {
		return userResult{}, fmt.Errorf("%s: %w", u.Name, err)
	}
	r := userResult{Name: u.Name, Labels: u.Labels, TrainLoss: res.TrainLoss, ValLoss: res.ValLoss, Steps: res.Steps}
	if r.Checkpoint, err = saveModel(filepath.Join(out, "models", u.Name), m, res, raw); err != nil {
		return userResult{}, err
	}
	if r.Test, err = convvae.Score(task.Eval, d.test, allIdx(d.test.N)); err != nil {
		return userResult{}, err
	}
	if r.Validation, err = convvae.Score(task.Eval, d.clean, d.val); err != nil {
		return userResult{}, err
	}
	r.TestEntropy = convvae.InputEntropy(d.test, allIdx(d.test.N))
	r.ValidationEntropy = convvae.InputEntropy(d.clean, d.val)
	return r, nil
}

// saveModel writes the model's final weights (the best ones where early
// stopping restored them) as the checkpoint that scoring and eval load.
func saveModel(dir string, m *convvae.Model, res trainers.Result, cfgJSON []byte) (string, error) {
	c := &checkpoints.Checkpoint{Meta: checkpoints.Meta{
		Step: res.Steps, Epoch: res.Epochs, Config: cfgJSON,
		Metrics: map[string]float64{"best_val_loss": res.BestValLoss, "best_epoch": float64(res.BestEpoch)},
	}}
	for _, p := range m.Reg.Params() {
		c.Tensors = append(c.Tensors, checkpoints.Tensor{Name: p.Name, Shape: p.Shape, Data: p.Data()})
	}
	return checkpoints.Save(dir, c, 1)
}
