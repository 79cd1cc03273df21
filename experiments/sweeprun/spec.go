// Package sweeprun runs a hyperparameter sweep: it samples experiment
// configs from a sweep file's search space (package sweep), trains each
// trial with experiments.Run on a pool of devices, prunes trials from
// their per-epoch validation loss, records everything in the run
// registry, and resumes a killed sweep where it stopped.
//
// A random or grid sweep can also be spread over machines by an existing
// batch engine (a Kubernetes Indexed Job, an AWS Batch array job):
// PlanSweep samples its trials up front into the registry and an
// artefact store (package artifacts), Work runs one trial per worker,
// and ReportSweep writes the report from the registry and the store.
package sweeprun

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vigil-ml/vigil/experiments/sweep"
)

// Spec is a sweep file.
//
//	name: vaegan_sweep
//	base: experiments/configs/vaegan_quickstart.yaml   # a config file or an embedded name
//	set: [train.epochs=10]                              # fixed overrides of every trial
//	space:                                              # see package sweep
//	  train.lr: {float: [1e-4, 1e-2], log: true}
//	  model.latent: {int: [4, 32], log: true}
//	sampler: tpe                                        # tpe (default), random or grid
//	objective: {metric: systems.0.auc, direction: maximize}
//	budget: {trials: 20, time: 2h}                      # stop starting trials after either
//	pruner: median                                      # none (default), median or asha
//	workers: 2                                          # trials at once
//	devices: [cpu]                                      # or [cuda:0, cuda:1]; per_device trials each
//	per_device: 1
//	seed: 1
type Spec struct {
	Name      string         `yaml:"name"`
	Base      string         `yaml:"base"`
	Set       []string       `yaml:"set"`
	Space     map[string]any `yaml:"space"`
	Sampler   string         `yaml:"sampler"`
	Objective Objective      `yaml:"objective"`
	Budget    Budget         `yaml:"budget"`
	Pruner    string         `yaml:"pruner"`
	Workers   int            `yaml:"workers"`
	Devices   []string       `yaml:"devices"`
	PerDevice int            `yaml:"per_device"`
	Seed      uint64         `yaml:"seed"`
}

// Objective is the metrics.json figure trials are ranked by, as a dotted
// key of the flattened document (`vigil runs show` lists a run's keys).
type Objective struct {
	Metric    string          `yaml:"metric"`
	Direction sweep.Direction `yaml:"direction"`
}

// Budget bounds a sweep: Trials finished trials (0: no bound), and no
// trial started after Time (a duration such as 90m; empty: no bound).
type Budget struct {
	Trials int    `yaml:"trials"`
	Time   string `yaml:"time"`
}

// ReadSpec reads and checks a sweep file.
func ReadSpec(path string) (Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, err
	}
	s, err := ParseSpec(b)
	if err != nil {
		return Spec{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseSpec decodes a sweep file (unknown keys are errors) and fills the
// defaults: sampler tpe, direction maximize, pruner none, one worker, the
// CPU, one trial per device, seed 1.
func ParseSpec(data []byte) (Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("sweep file: %w", err)
	}
	if s.Sampler == "" {
		s.Sampler = "tpe"
	}
	if s.Objective.Direction == "" {
		s.Objective.Direction = sweep.Maximize
	}
	if s.Pruner == "" {
		s.Pruner = "none"
	}
	if s.Workers == 0 {
		s.Workers = 1
	}
	if len(s.Devices) == 0 {
		s.Devices = []string{"cpu"}
	}
	if s.PerDevice == 0 {
		s.PerDevice = 1
	}
	if s.Seed == 0 {
		s.Seed = 1
	}
	return s, s.check()
}

func (s Spec) check() error {
	var errs []error
	if s.Name == "" {
		errs = append(errs, errors.New("name: missing"))
	}
	if s.Base == "" {
		errs = append(errs, errors.New("base: missing (a config file or an embedded config name)"))
	}
	if len(s.Space) == 0 {
		errs = append(errs, errors.New("space: empty"))
	} else if _, err := sweep.Decode(s.Space); err != nil {
		errs = append(errs, fmt.Errorf("space: %w", err))
	}
	switch s.Sampler {
	case "tpe", "random", "grid":
	default:
		errs = append(errs, fmt.Errorf("sampler: %q is not tpe, random or grid", s.Sampler))
	}
	switch s.Pruner {
	case "none", "median", "asha":
	default:
		errs = append(errs, fmt.Errorf("pruner: %q is not none, median or asha", s.Pruner))
	}
	if s.Objective.Metric == "" {
		errs = append(errs, errors.New("objective.metric: missing (a dotted key of metrics.json, e.g. systems.0.auc)"))
	}
	if err := s.Objective.Direction.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("objective.direction: %w", err))
	}
	if s.Budget.Trials < 0 {
		errs = append(errs, fmt.Errorf("budget.trials: %d is negative", s.Budget.Trials))
	}
	if s.Budget.Time != "" {
		if d, err := time.ParseDuration(s.Budget.Time); err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("budget.time: %q is not a positive duration such as 90m", s.Budget.Time))
		}
	}
	if s.Budget.Trials == 0 && s.Budget.Time == "" && s.Sampler != "grid" {
		errs = append(errs, errors.New("budget: set trials or time (only a grid ends by itself)"))
	}
	if s.Workers < 1 || s.PerDevice < 1 {
		errs = append(errs, fmt.Errorf("workers %d and per_device %d must be positive", s.Workers, s.PerDevice))
	}
	return errors.Join(errs...)
}

// deadline is when the time budget ends; zero without one.
func (s Spec) deadline(start time.Time) time.Time {
	if s.Budget.Time == "" {
		return time.Time{}
	}
	d, _ := time.ParseDuration(s.Budget.Time)
	return start.Add(d)
}

// sampler and pruner build the spec's sampler and pruner over space.
func (s Spec) sampler(space *sweep.Space) (sweep.Sampler, error) {
	switch s.Sampler {
	case "grid":
		return sweep.NewGrid(space)
	case "random":
		return sweep.NewRandom(space), nil
	}
	return sweep.NewTPE(space, s.Objective.Direction), nil
}

// pruner judges trials by their mean validation loss per epoch, which is
// minimised whatever the objective's direction; nil for none.
func (s Spec) pruner() sweep.Pruner {
	switch s.Pruner {
	case "median":
		return sweep.NewMedian(sweep.Minimize)
	case "asha":
		return sweep.NewSuccessiveHalving(sweep.Minimize)
	}
	return nil
}
