// Package miner is the crypto-miner detection task: per-process feature
// windows (syscall families, CPU and memory, network peers, ports, bytes
// and mining-pool signs, files, directories and libraries) from process
// event streams, with programs as the groups that folds never split, and
// the tabular protocol comparing supervised detectors (random forest,
// SVMs, the linear graph model) with one-class ones (isolation forest,
// one-class SVM).
package miner

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/tabular"
)

// Data is the data: section.
type Data struct {
	// Source is "generate" (datasets/miner's generator), "events" (a JSON
	// lines stream of process events: Path) or "features" (window features
	// already computed, as CSV: Path).
	Source string `mapstructure:"source" json:"source"`
	Path   string `mapstructure:"path" json:"path"`
	// The generator's size: programs (the groups), the miners' share,
	// processes per program and the period observed.
	Programs      int           `mapstructure:"programs" json:"programs"`
	MinerFraction float64       `mapstructure:"miner_fraction" json:"miner_fraction"`
	MinRuns       int           `mapstructure:"min_runs" json:"min_runs"`
	MaxRuns       int           `mapstructure:"max_runs" json:"max_runs"`
	Duration      time.Duration `mapstructure:"duration" json:"duration"`
	// Seed seeds the generator (0: the experiment's seed), so that a
	// retraining can draw another window with the same settings.
	Seed uint64 `mapstructure:"seed" json:"seed"`
	// Period, when not zero, observes the same programs (the seed's) in
	// another period: other processes of the same fleet, as the nightly
	// windows of a retraining. 0: the processes come with the programs.
	Period uint64 `mapstructure:"period" json:"period"`
	// Window is the length of a feature window.
	Window time.Duration `mapstructure:"window" json:"window"`
}

func sections() map[string]any {
	m := tabular.Sections()
	p := m["protocol"].(*tabular.Protocol)
	p.Pipelines = []string{"rf", "biased-svm", "linear", "iforest", "ocsvm"}
	p.Deploy = "rf"
	p.OuterFolds, p.InnerFolds, p.Repeats = 5, 3, 2
	p.TargetPrecision = 0.95
	m["data"] = &Data{Source: "generate", Programs: 200, MinerFraction: 0.1, MinRuns: 2, MaxRuns: 6, Duration: 6 * time.Hour, Window: 10 * time.Minute}
	return m
}

type config struct {
	data    *Data
	tabular tabular.Config
}

func decode(m map[string]any) (config, error) {
	var c config
	var err error
	if c.data, err = tasks.Section[Data](m, "data"); err != nil {
		return c, err
	}
	var errs []error
	if c.tabular, err = tabular.FromSections(m); err != nil {
		errs = append(errs, err)
	}
	d := c.data
	switch d.Source {
	case "generate":
		if d.Programs < 10 {
			errs = append(errs, fmt.Errorf("data.programs: %d is fewer than 10", d.Programs))
		}
		if !(d.MinerFraction > 0 && d.MinerFraction < 0.5) {
			errs = append(errs, fmt.Errorf("data.miner_fraction: %v is not in (0, 0.5)", d.MinerFraction))
		}
		if d.MinRuns < 1 || d.MaxRuns < d.MinRuns {
			errs = append(errs, fmt.Errorf("data.min_runs, max_runs: %d, %d: need 1 <= min_runs <= max_runs", d.MinRuns, d.MaxRuns))
		}
		if d.Duration < d.Window {
			errs = append(errs, fmt.Errorf("data.duration: %v is shorter than a window (%v)", d.Duration, d.Window))
		}
	case "events", "features":
		if d.Path == "" {
			errs = append(errs, fmt.Errorf("data.path: name the %s file", d.Source))
		}
	default:
		errs = append(errs, fmt.Errorf("data.source: %q is not generate, events or features", d.Source))
	}
	if d.Window < time.Minute {
		errs = append(errs, fmt.Errorf("data.window: %v is shorter than a minute", d.Window))
	}
	return c, errors.Join(errs...)
}
