// Package experiments defines the declarative experiment config (YAML loaded by
// viper, strict: unknown keys are errors), its validation and the runner that
// turns a config into a trained, evaluated and reported experiment.
package experiments

// Version is the config schema version this build reads.
const Version = 1

// Config is a whole experiment. Zero fields take the defaults of Defaults().
type Config struct {
	Version int    `mapstructure:"version" json:"version"`
	Name    string `mapstructure:"name" json:"name"`
	Seed    uint64 `mapstructure:"seed" json:"seed"`
	Device  string `mapstructure:"device" json:"device"` // auto | cpu | cuda | cuda:N
	// Executor runs the model graphs: "tape" (gorgonia's tape machine) or
	// "program" (the graphs lowered by cuda/program and run by cuda/exec,
	// the GPU path; on the CPU its reference backend, which exists to
	// test that path on any machine and is slower than tape).
	Executor  string          `mapstructure:"executor" json:"executor"`
	Data      DataConfig      `mapstructure:"data" json:"data"`
	Embedding EmbeddingConfig `mapstructure:"embedding" json:"embedding"`
	Windows   WindowConfig    `mapstructure:"windows" json:"windows"`
	Model     ModelConfig     `mapstructure:"model" json:"model"`
	Train     TrainConfig     `mapstructure:"train" json:"train"`
	Eval      EvalConfig      `mapstructure:"eval" json:"eval"`
}

// DataConfig selects the SEA-format data set.
type DataConfig struct {
	// Kind is "sea" (a directory in SEA format at Path) or "synthetic"
	// (SEA-format data generated from Synthetic, with planted masquerades).
	Kind string `mapstructure:"kind" json:"kind"`
	// Path is the SEA directory (User1..UserN, masquerade_summary.txt).
	Path string `mapstructure:"path" json:"path"`
	// Users restricts the run to these user names (e.g. ["User1","User9"]); empty = all.
	Users []string `mapstructure:"users" json:"users"`
	// Layout of the files: users, clean training commands per user, test blocks, block length.
	NumUsers int `mapstructure:"num_users" json:"num_users"`
	TrainLen int `mapstructure:"train_len" json:"train_len"`
	Blocks   int `mapstructure:"blocks" json:"blocks"`
	BlockLen int `mapstructure:"block_len" json:"block_len"`
	// Synthetic generator settings (Kind "synthetic").
	Synthetic SyntheticConfig `mapstructure:"synthetic" json:"synthetic"`
}

// SyntheticConfig tunes the generated data; zero values take the generator's defaults.
type SyntheticConfig struct {
	Seed       uint64 `mapstructure:"seed" json:"seed"` // 0 = the experiment's seed
	Vocabulary int    `mapstructure:"vocabulary" json:"vocabulary"`
	// MasqueradeUsers is the fraction of users given masquerade blocks.
	MasqueradeUsers float64 `mapstructure:"masquerade_users" json:"masquerade_users"`
	// MasqueradeStart is the per-block probability that an intrusion starts.
	MasqueradeStart float64 `mapstructure:"masquerade_start" json:"masquerade_start"`
}

// EmbeddingConfig sets the fastText-style skip-gram command embeddings.
type EmbeddingConfig struct {
	Dim       int     `mapstructure:"dim" json:"dim"`
	Window    int     `mapstructure:"window" json:"window"`
	Negatives int     `mapstructure:"negatives" json:"negatives"`
	MinN      int     `mapstructure:"minn" json:"minn"`
	MaxN      int     `mapstructure:"maxn" json:"maxn"`
	Epochs    int     `mapstructure:"epochs" json:"epochs"`
	LR        float64 `mapstructure:"lr" json:"lr"`
	// OOV is the policy for commands unseen in training: "subword" or "rare-average".
	OOV string `mapstructure:"oov" json:"oov"`
	// Threads for embedding training (1 gives a deterministic result).
	Threads int `mapstructure:"threads" json:"threads"`
}

// WindowConfig cuts command sequences into model inputs.
type WindowConfig struct {
	Length int `mapstructure:"length" json:"length"` // commands per window (rows of the image)
	Stride int `mapstructure:"stride" json:"stride"` // step between training windows
	// TrainWindows is how many of the first windows of the clean data are
	// trained on; the rest validate (the seed: 4,000 of 4,901).
	TrainWindows int `mapstructure:"train_windows" json:"train_windows"`
}

// ModelConfig describes the Conv2D VAE.
type ModelConfig struct {
	Kind     string    `mapstructure:"kind" json:"kind"` // "convvae"
	Filters  []int     `mapstructure:"filters" json:"filters"`
	Strides  []int     `mapstructure:"strides" json:"strides"`
	Dropouts []float64 `mapstructure:"dropouts" json:"dropouts"`
	Kernel   int       `mapstructure:"kernel" json:"kernel"`
	Dense    int       `mapstructure:"dense" json:"dense"`
	Latent   int       `mapstructure:"latent" json:"latent"`
	// DecoderFilters is the channel count of each transposed convolution.
	DecoderFilters int `mapstructure:"decoder_filters" json:"decoder_filters"`
	// Sampling: "seed" (z = mu + exp(logvar)*eps) or "standard" (exp(logvar/2)).
	Sampling string  `mapstructure:"sampling" json:"sampling"`
	KLWeight float64 `mapstructure:"kl_weight" json:"kl_weight"`
}

// TrainConfig drives the training loop.
type TrainConfig struct {
	Epochs          int     `mapstructure:"epochs" json:"epochs"`
	BatchSize       int     `mapstructure:"batch_size" json:"batch_size"`
	Optimizer       string  `mapstructure:"optimizer" json:"optimizer"` // adam | sgd
	LR              float64 `mapstructure:"lr" json:"lr"`
	Patience        int     `mapstructure:"patience" json:"patience"` // early stopping, 0 = off
	MinDelta        float64 `mapstructure:"min_delta" json:"min_delta"`
	CheckpointEvery int     `mapstructure:"checkpoint_every" json:"checkpoint_every"` // steps, 0 = each epoch
	Keep            int     `mapstructure:"keep" json:"keep"`                         // checkpoints kept per user, 0 = all
	// Workers is how many users train at once (each model is independent and
	// deterministic, so results do not depend on it); 0 = one per CPU core
	// on the CPU, GPUWorkers (2) on a GPU.
	Workers int `mapstructure:"workers" json:"workers"`
}

// EvalConfig sets the evaluation.
type EvalConfig struct {
	// FalseAlarmRates are the target false-alarm rates of the hit-rate table.
	FalseAlarmRates []float64 `mapstructure:"false_alarm_rates" json:"false_alarm_rates"`
	// BatchSize for scoring windows.
	BatchSize int `mapstructure:"batch_size" json:"batch_size"`
	// NearestRows is the number of rows of the reconstruction→nearest-command table.
	NearestRows int `mapstructure:"nearest_rows" json:"nearest_rows"`
	// PlotUsers are users whose per-block score plots go in the report; empty = the first users with masquerades.
	PlotUsers []string `mapstructure:"plot_users" json:"plot_users"`
}

// Defaults is the seed's configuration: the values every unset key takes.
func Defaults() Config {
	return Config{
		Version:  Version,
		Name:     "experiment",
		Seed:     1,
		Device:   "cpu",
		Executor: "tape",
		Data: DataConfig{
			Kind: "sea", NumUsers: 50, TrainLen: 5000, Blocks: 100, BlockLen: 100,
		},
		Embedding: EmbeddingConfig{Dim: 50, Window: 5, Negatives: 5, MinN: 3, MaxN: 6, Epochs: 5, LR: 0.05, OOV: "subword", Threads: 1},
		Windows:   WindowConfig{Length: 100, Stride: 1, TrainWindows: 4000},
		Model: ModelConfig{
			Kind: "convvae", Filters: []int{32, 64, 64, 64}, Strides: []int{1, 2, 1, 1},
			Dropouts: []float64{0, 0.1, 0.2, 0.2}, Kernel: 3, Dense: 32, Latent: 2,
			DecoderFilters: 32, Sampling: "seed", KLWeight: 5e-4,
		},
		Train: TrainConfig{Epochs: 10, BatchSize: 16, Optimizer: "adam", LR: 1e-3, Patience: 3, Keep: 2},
		Eval:  EvalConfig{FalseAlarmRates: []float64{0.01, 0.013, 0.05}, BatchSize: 50, NearestRows: 10},
	}
}
