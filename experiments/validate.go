package experiments

import (
	"errors"
	"fmt"
	"regexp"
)

var devicePattern = regexp.MustCompile(`^(auto|cpu|cuda|cuda:[0-9]+)$`)

// Validate checks every section and joins all problems into one error.
func (c Config) Validate() error {
	var errs []error
	if c.Name == "" {
		errs = append(errs, errors.New("name: must not be empty"))
	}
	if !devicePattern.MatchString(c.Device) {
		errs = append(errs, fmt.Errorf("device: %q is not auto, cpu, cuda or cuda:N", c.Device))
	}
	if c.Executor != "tape" && c.Executor != "program" {
		errs = append(errs, fmt.Errorf("executor: %q is not tape or program", c.Executor))
	}
	errs = append(errs, c.Data.Validate(), c.Embedding.Validate(), c.Windows.Validate(c.Data),
		c.Model.Validate(c.Windows.Length, c.Embedding.Dim), c.Train.Validate(), c.Eval.Validate())
	return errors.Join(errs...)
}

// Validate checks the data section.
func (d DataConfig) Validate() error {
	var errs []error
	switch d.Kind {
	case "sea":
		if d.Path == "" {
			errs = append(errs, errors.New("data.path: required for kind sea (a directory with User1..UserN and masquerade_summary.txt)"))
		}
	case "synthetic":
	default:
		errs = append(errs, fmt.Errorf("data.kind: %q is not sea or synthetic", d.Kind))
	}
	for name, v := range map[string]int{"num_users": d.NumUsers, "train_len": d.TrainLen, "blocks": d.Blocks, "block_len": d.BlockLen} {
		if v <= 0 {
			errs = append(errs, fmt.Errorf("data.%s: %d must be positive", name, v))
		}
	}
	return errors.Join(errs...)
}

// Validate checks the embedding section.
func (e EmbeddingConfig) Validate() error {
	var errs []error
	if e.Dim <= 0 || e.Window <= 0 || e.Negatives <= 0 || e.Epochs <= 0 || e.Threads <= 0 {
		errs = append(errs, fmt.Errorf("embedding: dim, window, negatives, epochs and threads must be positive (got %d, %d, %d, %d, %d)", e.Dim, e.Window, e.Negatives, e.Epochs, e.Threads))
	}
	if e.MaxN != 0 && (e.MinN <= 0 || e.MinN > e.MaxN) {
		errs = append(errs, fmt.Errorf("embedding: need 0 < minn <= maxn, or maxn 0 for no subwords (got %d, %d)", e.MinN, e.MaxN))
	}
	if e.LR <= 0 {
		errs = append(errs, fmt.Errorf("embedding.lr: %v must be positive", e.LR))
	}
	if e.OOV != "subword" && e.OOV != "rare-average" {
		errs = append(errs, fmt.Errorf("embedding.oov: %q is not subword or rare-average", e.OOV))
	}
	return errors.Join(errs...)
}

// Validate checks the window section against the data layout.
func (w WindowConfig) Validate(d DataConfig) error {
	var errs []error
	if w.Length <= 0 || w.Stride <= 0 {
		errs = append(errs, fmt.Errorf("windows: length and stride must be positive (got %d, %d)", w.Length, w.Stride))
	}
	if w.Length != d.BlockLen {
		errs = append(errs, fmt.Errorf("windows.length: %d must equal data.block_len %d (a test block is scored as one window)", w.Length, d.BlockLen))
	}
	if w.Stride > 0 && w.Length > 0 && d.TrainLen >= w.Length {
		n := (d.TrainLen-w.Length)/w.Stride + 1
		if w.TrainWindows <= 0 || w.TrainWindows >= n {
			errs = append(errs, fmt.Errorf("windows.train_windows: %d must be in [1, %d) (there are %d clean windows; the rest validate)", w.TrainWindows, n, n))
		}
	} else if d.TrainLen < w.Length {
		errs = append(errs, fmt.Errorf("windows.length: %d exceeds data.train_len %d", w.Length, d.TrainLen))
	}
	return errors.Join(errs...)
}

// Validate checks the model section for inputs of rows x cols.
func (m ModelConfig) Validate(rows, cols int) error {
	var errs []error
	if m.Kind != "convvae" {
		errs = append(errs, fmt.Errorf("model.kind: %q is not convvae", m.Kind))
	}
	if len(m.Filters) == 0 || len(m.Strides) != len(m.Filters) || len(m.Dropouts) != len(m.Filters) {
		errs = append(errs, fmt.Errorf("model: filters, strides and dropouts need the same non-zero length (got %d, %d, %d)", len(m.Filters), len(m.Strides), len(m.Dropouts)))
	}
	for i, f := range m.Filters {
		if f <= 0 {
			errs = append(errs, fmt.Errorf("model.filters[%d]: %d must be positive", i, f))
		}
	}
	for i, s := range m.Strides {
		if s != 1 && s != 2 {
			errs = append(errs, fmt.Errorf("model.strides[%d]: %d must be 1 or 2", i, s))
		}
	}
	for i, r := range m.Dropouts {
		if r < 0 || r >= 1 {
			errs = append(errs, fmt.Errorf("model.dropouts[%d]: %v must be in [0, 1)", i, r))
		}
	}
	if m.Kernel <= 0 || m.Kernel%2 == 0 {
		errs = append(errs, fmt.Errorf("model.kernel: %d must be odd and positive", m.Kernel))
	}
	if m.Dense <= 0 || m.Latent <= 0 || m.DecoderFilters <= 0 {
		errs = append(errs, fmt.Errorf("model: dense, latent and decoder_filters must be positive (got %d, %d, %d)", m.Dense, m.Latent, m.DecoderFilters))
	}
	if m.Sampling != "seed" && m.Sampling != "standard" {
		errs = append(errs, fmt.Errorf("model.sampling: %q is not seed or standard", m.Sampling))
	}
	if m.KLWeight < 0 {
		errs = append(errs, fmt.Errorf("model.kl_weight: %v must not be negative", m.KLWeight))
	}
	if rows <= 0 || cols <= 0 {
		errs = append(errs, fmt.Errorf("model: input of %dx%d", rows, cols))
	}
	return errors.Join(errs...)
}

// Validate checks the training section.
func (t TrainConfig) Validate() error {
	var errs []error
	if t.Epochs <= 0 || t.BatchSize <= 0 {
		errs = append(errs, fmt.Errorf("train: epochs and batch_size must be positive (got %d, %d)", t.Epochs, t.BatchSize))
	}
	if t.Optimizer != "adam" && t.Optimizer != "sgd" {
		errs = append(errs, fmt.Errorf("train.optimizer: %q is not adam or sgd", t.Optimizer))
	}
	if t.LR <= 0 {
		errs = append(errs, fmt.Errorf("train.lr: %v must be positive", t.LR))
	}
	if t.Patience < 0 || t.CheckpointEvery < 0 || t.Keep < 0 || t.Workers < 0 {
		errs = append(errs, errors.New("train: patience, checkpoint_every, keep and workers must not be negative"))
	}
	return errors.Join(errs...)
}

// Validate checks the evaluation section.
func (e EvalConfig) Validate() error {
	var errs []error
	if len(e.FalseAlarmRates) == 0 {
		errs = append(errs, errors.New("eval.false_alarm_rates: need at least one rate"))
	}
	for i, r := range e.FalseAlarmRates {
		if r <= 0 || r >= 1 {
			errs = append(errs, fmt.Errorf("eval.false_alarm_rates[%d]: %v must be in (0, 1)", i, r))
		}
	}
	if e.BatchSize <= 0 || e.NearestRows < 0 {
		errs = append(errs, fmt.Errorf("eval: batch_size must be positive and nearest_rows not negative (got %d, %d)", e.BatchSize, e.NearestRows))
	}
	return errors.Join(errs...)
}
