// Package masquerade is the SEA masquerade-detection task: per-user models
// on windows of fastText-style command embeddings, scored per test block and
// evaluated with the SEA protocol against a naive Bayes baseline.
package masquerade

import "github.com/vigil-ml/vigil/experiments/tasks"

// DataConfig selects the SEA-format data set (section data).
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

// EmbeddingConfig sets the fastText-style skip-gram command embeddings (section embedding).
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

// WindowConfig cuts command sequences into model inputs (section windows).
type WindowConfig struct {
	Length int `mapstructure:"length" json:"length"` // commands per window (rows of the image)
	Stride int `mapstructure:"stride" json:"stride"` // step between training windows
	// TrainWindows is how many of the first windows of the clean data are
	// trained on; the rest validate (the seed: 4,000 of 4,901).
	TrainWindows int `mapstructure:"train_windows" json:"train_windows"`
	// TrainFraction, when positive, replaces TrainWindows by that share
	// of the clean windows (rounded down), so that one setting holds at
	// any stride (a sweep over windows.stride).
	TrainFraction float64 `mapstructure:"train_fraction" json:"train_fraction"`
	// Unseen is how a command the user never typed in training enters the
	// user's windows: "shared" (its embedding, from subwords when no user
	// typed it, so it looks like familiar commands) or "reserved" (one
	// vector per user for all such commands, the corner of [0, 1]^dim
	// farthest from the mean of the user's training commands).
	Unseen string `mapstructure:"unseen" json:"unseen"`
}

// trainWindows is the number of the n clean windows that train.
func (w WindowConfig) trainWindows(n int) int {
	if w.TrainFraction > 0 {
		return int(w.TrainFraction * float64(n))
	}
	return w.TrainWindows
}

// EvalConfig sets the evaluation (section eval).
type EvalConfig struct {
	tasks.EvalBase `mapstructure:",squash"`
	// FalseAlarmRates are the target false-alarm rates of the hit-rate table.
	FalseAlarmRates []float64 `mapstructure:"false_alarm_rates" json:"false_alarm_rates"`
	// NearestRows is the number of rows of the reconstruction→nearest-command table.
	NearestRows int `mapstructure:"nearest_rows" json:"nearest_rows"`
	// PlotUsers are users whose per-block score plots go in the report; empty = the first users with masquerades.
	PlotUsers []string `mapstructure:"plot_users" json:"plot_users"`
}

// Config is the task's sections, decoded.
type Config struct {
	Data      *DataConfig
	Embedding *EmbeddingConfig
	Windows   *WindowConfig
	Eval      *EvalConfig
}

// Sections are the seed's defaults.
func (Task) Sections() map[string]any {
	return map[string]any{
		"data":      &DataConfig{Kind: "sea", NumUsers: 50, TrainLen: 5000, Blocks: 100, BlockLen: 100},
		"embedding": &EmbeddingConfig{Dim: 50, Window: 5, Negatives: 5, MinN: 3, MaxN: 6, Epochs: 5, LR: 0.05, OOV: "subword", Threads: 1},
		"windows":   &WindowConfig{Length: 100, Stride: 1, TrainWindows: 4000, Unseen: "shared"},
		"eval":      &EvalConfig{EvalBase: tasks.EvalBase{BatchSize: 50}, FalseAlarmRates: []float64{0.01, 0.013, 0.05}, NearestRows: 10},
	}
}
