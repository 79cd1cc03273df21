package syscalls

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
	if c.Windows, err = tasks.Section[WindowConfig](m, "windows"); err != nil {
		return Config{}, err
	}
	if c.Eval, err = tasks.Section[EvalConfig](m, "eval"); err != nil {
		return Config{}, err
	}
	c.Ensemble, err = tasks.Section[EnsembleConfig](m, "ensemble")
	return c, err
}

// Validate reports every problem of the sections.
func (c Config) Validate() error {
	var errs []error
	d := c.Data
	switch d.Kind {
	case "adfa", "lidds2021", "lidds2019", "unm":
		if d.Path == "" {
			errs = append(errs, fmt.Errorf("data.path: required for kind %s", d.Kind))
		}
	case "synthetic":
	default:
		errs = append(errs, fmt.Errorf("data.kind: %q is not adfa, lidds2021, lidds2019, unm or synthetic", d.Kind))
	}
	if !(d.ValidationFraction > 0 && d.ValidationFraction < 1) {
		errs = append(errs, fmt.Errorf("data.validation_fraction: %v must be in (0, 1)", d.ValidationFraction))
	}
	if d.MaxTraces < 0 {
		errs = append(errs, fmt.Errorf("data.max_traces: %d must not be negative", d.MaxTraces))
	}
	if c.Windows.Length < 1 || c.Windows.Stride < 1 {
		errs = append(errs, fmt.Errorf("windows: length and stride must be positive (got %d, %d)", c.Windows.Length, c.Windows.Stride))
	}
	if c.Windows.ScoreContext < 0 || c.Windows.ScoreContext >= c.Windows.Length {
		errs = append(errs, fmt.Errorf("windows.score_context: %d must be in [0, windows.length %d)", c.Windows.ScoreContext, c.Windows.Length))
	}
	if c.Ensemble.Size < 1 {
		errs = append(errs, fmt.Errorf("ensemble.size: %d must be positive", c.Ensemble.Size))
	}
	e := c.Eval
	if e.BatchSize <= 0 {
		errs = append(errs, fmt.Errorf("eval.batch_size: %d must be positive", e.BatchSize))
	}
	if len(e.FalseAlarmRates) == 0 {
		errs = append(errs, errors.New("eval.false_alarm_rates: need at least one rate"))
	}
	for i, r := range e.FalseAlarmRates {
		if r <= 0 || r >= 1 {
			errs = append(errs, fmt.Errorf("eval.false_alarm_rates[%d]: %v must be in (0, 1)", i, r))
		}
	}
	if len(e.StideN) == 0 {
		errs = append(errs, errors.New("eval.stide_n: need at least one window length"))
	}
	for i, n := range e.StideN {
		if n < 1 {
			errs = append(errs, fmt.Errorf("eval.stide_n[%d]: %d must be positive", i, n))
		}
	}
	if e.StideFrame < 1 {
		errs = append(errs, fmt.Errorf("eval.stide_frame: %d must be positive", e.StideFrame))
	}
	return errors.Join(errs...)
}
