package logins

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
	c.Eval, err = tasks.Section[EvalConfig](m, "eval")
	return c, err
}

// Validate reports every problem of the sections.
func (c Config) Validate() error {
	return errors.Join(c.Data.validate(), c.Eval.validate())
}

// maxNetworks is the largest synthetic network table (one /16 each).
const maxNetworks = 20000

func (d *DataConfig) validate() error {
	var errs []error
	bad := func(key string, format string, args ...any) {
		errs = append(errs, fmt.Errorf("data.%s: "+format, append([]any{key}, args...)...))
	}
	switch d.Kind {
	case "pairs", "csv", "sshd":
		if d.Path == "" {
			bad("path", "required for kind %s", d.Kind)
		}
	case "synthetic":
		s := d.Synthetic
		if s.Users < 1 {
			bad("synthetic.users", "%d must be positive", s.Users)
		}
		if s.Networks < 3 || s.Networks > maxNetworks {
			bad("synthetic.networks", "%d must be in [3, %d]", s.Networks, maxNetworks)
		}
		if !(s.ISPShare > 0 && s.ISPShare < 1) {
			bad("synthetic.isp_share", "%v must be in (0, 1)", s.ISPShare)
		}
		if s.Days < 1 {
			bad("synthetic.days", "%d must be positive", s.Days)
		} else if d.TrainDays >= float64(s.Days) {
			bad("train_days", "%v leaves no test day of data.synthetic.days %d", d.TrainDays, s.Days)
		}
		if s.LoginScale < 1 {
			bad("synthetic.login_scale", "%v must be at least 1", s.LoginScale)
		}
		if !(s.LoginShape > 0) {
			bad("synthetic.login_shape", "%v must be positive", s.LoginShape)
		}
		if s.MaxLogins < 1 {
			bad("synthetic.max_logins", "%d must be positive", s.MaxLogins)
		}
	default:
		bad("kind", "%q is not synthetic, pairs, csv or sshd", d.Kind)
	}
	if d.SSHD.Year < 0 {
		bad("sshd.year", "%d must not be negative", d.SSHD.Year)
	}
	if !(d.TrainDays > 0) {
		bad("train_days", "%v must be positive", d.TrainDays)
	}
	if !(d.TrainFraction > 0 && d.TrainFraction < 1) {
		bad("train_fraction", "%v must be in (0, 1)", d.TrainFraction)
	}
	if !(d.ValidationFraction > 0 && d.ValidationFraction < 1) {
		bad("validation_fraction", "%v must be in (0, 1)", d.ValidationFraction)
	}
	if d.MaxEvents < 0 {
		bad("max_events", "%d must not be negative", d.MaxEvents)
	}
	return errors.Join(errs...)
}

func (e *EvalConfig) validate() error {
	var errs []error
	if e.BatchSize <= 0 {
		errs = append(errs, fmt.Errorf("eval.batch_size: %d must be positive", e.BatchSize))
	}
	if len(e.AttackRates) == 0 {
		errs = append(errs, errors.New("eval.attack_rates: need at least one rate"))
	}
	seen := map[string]bool{}
	for i, r := range e.AttackRates {
		if !(r > 0 && r <= 1) {
			errs = append(errs, fmt.Errorf("eval.attack_rates[%d]: %v must be in (0, 1]", i, r))
			continue
		}
		if name := attackSet(r); seen[name] {
			errs = append(errs, fmt.Errorf("eval.attack_rates[%d]: %v repeats a rate (set %s)", i, r, name))
		} else {
			seen[name] = true
		}
	}
	if len(e.DetectionRates) == 0 {
		errs = append(errs, errors.New("eval.detection_rates: need at least one rate"))
	}
	for i, r := range e.DetectionRates {
		if !(r > 0 && r <= 1) {
			errs = append(errs, fmt.Errorf("eval.detection_rates[%d]: %v must be in (0, 1]", i, r))
		}
	}
	return errors.Join(errs...)
}
