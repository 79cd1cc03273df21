package masquerade

import (
	"errors"
	"fmt"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

// sections returns the typed sections of a decoded section map.
func sections(m map[string]any) (c Config, err error) {
	if c.Data, err = tasks.Section[DataConfig](m, "data"); err != nil {
		return Config{}, err
	}
	if c.Embedding, err = tasks.Section[EmbeddingConfig](m, "embedding"); err != nil {
		return Config{}, err
	}
	if c.Windows, err = tasks.Section[WindowConfig](m, "windows"); err != nil {
		return Config{}, err
	}
	c.Eval, err = tasks.Section[EvalConfig](m, "eval")
	return c, err
}

// Validate checks every section and joins all problems into one error.
func (c Config) Validate() error {
	return errors.Join(c.Data.Validate(), c.Embedding.Validate(), c.Windows.Validate(*c.Data), c.Eval.Validate())
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
	if w.Unseen != "shared" && w.Unseen != "reserved" {
		errs = append(errs, fmt.Errorf("windows.unseen: %q is not shared or reserved", w.Unseen))
	}
	if w.Length <= 0 || w.Stride <= 0 {
		errs = append(errs, fmt.Errorf("windows: length and stride must be positive (got %d, %d)", w.Length, w.Stride))
	}
	if w.Length != d.BlockLen {
		errs = append(errs, fmt.Errorf("windows.length: %d must equal data.block_len %d (a test block is scored as one window)", w.Length, d.BlockLen))
	}
	if w.Stride > 0 && w.Length > 0 && d.TrainLen >= w.Length {
		n := (d.TrainLen-w.Length)/w.Stride + 1
		if !(w.TrainFraction >= 0 && w.TrainFraction < 1) {
			errs = append(errs, fmt.Errorf("windows.train_fraction: %v is not in [0, 1)", w.TrainFraction))
		} else if k := w.trainWindows(n); k <= 0 || k >= n {
			key := "windows.train_windows"
			if w.TrainFraction > 0 {
				key = fmt.Sprintf("windows.train_fraction %v gives %d windows:", w.TrainFraction, k)
			}
			errs = append(errs, fmt.Errorf("%s %d must be in [1, %d) (there are %d clean windows; the rest validate)", key, k, n, n))
		}
	} else if d.TrainLen < w.Length {
		errs = append(errs, fmt.Errorf("windows.length: %d exceeds data.train_len %d", w.Length, d.TrainLen))
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
