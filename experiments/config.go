// Package experiments defines the declarative experiment config (YAML loaded by
// viper, strict: unknown keys are errors), its validation and the runner that
// turns a config into a trained, evaluated and reported experiment.
//
// A config names a task (the data, its units, its protocol and baselines;
// package tasks and below) and a model family (model.kind; package models
// and below). Both are plug-ins registered in registry.go: the task owns its
// sections (data:, windows:, eval: ...), the family owns model:, and this
// package owns the rest (name, seed, device, executor, train:) and the
// shared machinery: devices, workers, checkpoints, resume, progress,
// scoring and the report's output files.
package experiments

// Version is the config schema version this build reads.
const Version = 1

// Config is a whole experiment. Parse fills every unset key with its default.
type Config struct {
	Version int    `mapstructure:"version" json:"version"`
	Name    string `mapstructure:"name" json:"name"`
	Seed    uint64 `mapstructure:"seed" json:"seed"`
	Device  string `mapstructure:"device" json:"device"` // auto | cpu | cuda | cuda:N
	// Executor runs the model graphs: "tape" (gorgonia's tape machine) or
	// "program" (the graphs lowered by cuda/program and run by cuda/exec,
	// the GPU path; on the CPU its reference backend, which exists to
	// test that path on any machine and is slower than tape).
	Executor string `mapstructure:"executor" json:"executor"`
	// Task names the experiment's task (default masquerade).
	Task  string      `mapstructure:"task" json:"task"`
	Train TrainConfig `mapstructure:"train" json:"train"`
	// Kind is model.kind, the model family; Model is the family's decoded
	// section (a pointer to its struct), Sections the task's by key.
	Kind     string         `mapstructure:"-" json:"-"`
	Model    any            `mapstructure:"-" json:"-"`
	Sections map[string]any `mapstructure:"-" json:"-"`
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
	Keep            int     `mapstructure:"keep" json:"keep"`                         // checkpoints kept per unit, 0 = all
	ClipNorm        float64 `mapstructure:"clip_norm" json:"clip_norm"`               // gradient clipping by global norm, 0 = off
	WeightDecay     float64 `mapstructure:"weight_decay" json:"weight_decay"`         // coupled L2 weight decay, 0 = off
	// Workers is how many units (users) train at once (each model is
	// independent and deterministic, so results do not depend on it); 0 =
	// one per CPU core on the CPU, GPUWorkers (2) on a GPU.
	Workers int `mapstructure:"workers" json:"workers"`
}

// DefaultTask is the task of a config without a task key.
const DefaultTask = "masquerade"

// base is the defaults of the keys this package owns.
func base() Config {
	return Config{
		Version: Version, Name: "experiment", Seed: 1, Device: "cpu", Executor: "tape", Task: DefaultTask,
		Train: TrainConfig{Epochs: 10, BatchSize: 16, Optimizer: "adam", LR: 1e-3, Patience: 3, Keep: 2},
	}
}
