// Package syscalls is the host-intrusion task on system-call traces: a
// model learns normal call sequences from normal traces and scores every
// call of a test trace; traces are scored from their calls, thresholds are
// set on normal validation traces only, and the model is compared with
// STIDE on trace-level ROC and detection at fixed false-alarm rates, and on
// LID-DS recordings with the LID-DS metrics (detection per exploit
// recording, false alarms per call, consecutive alarms counted once,
// detection latency).
package syscalls

import "github.com/vigil-ml/vigil/experiments/tasks"

// DataConfig selects the traces (section data).
type DataConfig struct {
	// Kind is adfa (ADFA-LD), lidds2021, lidds2019, unm or synthetic.
	Kind string `mapstructure:"kind" json:"kind"`
	// Path is the data set's directory: ADFA-LD's root (Training_Data_Master
	// ...); a LID-DS 2021 scenario (training/, validation/, test/...) or a
	// folder of recordings; a LID-DS 2019 scenario (runs.csv and traces);
	// for unm a directory with normal/ and attack/ folders of trace files.
	Path string `mapstructure:"path" json:"path"`
	// ValidationFraction is the part of the normal validation traces (ADFA-LD)
	// or normal traces (UNM) that sets thresholds and early stopping; the
	// rest are normal test traces. Drawn by SplitSeed.
	ValidationFraction float64 `mapstructure:"validation_fraction" json:"validation_fraction"`
	// SplitSeed draws the split (and generates synthetic traces unless
	// synthetic.seed is set); 0 is the experiment's seed. Fixing it lets
	// runs with other seeds (other initial weights, orders and noise) be
	// compared on the same test traces.
	SplitSeed uint64 `mapstructure:"split_seed" json:"split_seed"`
	// ThreadAware splits recordings with thread ids (LID-DS) into one call
	// stream per thread, as the LID-DS library's thread-aware features do.
	ThreadAware bool `mapstructure:"thread_aware" json:"thread_aware"`
	// TrainBeforeExploit trains on the calls before each recording's exploit
	// start when a LID-DS folder has no training recordings (a single sample
	// recording); those calls then also count as normal test calls' context
	// only, never as test calls.
	TrainBeforeExploit bool `mapstructure:"train_before_exploit" json:"train_before_exploit"`
	// MaxTraces caps each split (0 = all), for quick runs on a subset.
	MaxTraces int `mapstructure:"max_traces" json:"max_traces"`
	// Synthetic sizes generated data (kind synthetic).
	Synthetic SyntheticConfig `mapstructure:"synthetic" json:"synthetic"`
}

// SyntheticConfig sizes generated traces; zero values take the generator's defaults.
type SyntheticConfig struct {
	Seed       uint64 `mapstructure:"seed" json:"seed"` // 0 = the experiment's seed
	Train      int    `mapstructure:"train" json:"train"`
	Validation int    `mapstructure:"validation" json:"validation"`
	TestNormal int    `mapstructure:"test_normal" json:"test_normal"`
	TestAttack int    `mapstructure:"test_attack" json:"test_attack"`
	MinCalls   int    `mapstructure:"min_calls" json:"min_calls"`
	MaxCalls   int    `mapstructure:"max_calls" json:"max_calls"`
}

// WindowConfig cuts call streams into model examples (section windows).
type WindowConfig struct {
	// Length is the number of calls a window predicts: an example is
	// Length+1 call ids, and position t predicts call t+1 from the calls
	// before it within the window.
	Length int `mapstructure:"length" json:"length"`
	// Stride is the step between training windows.
	Stride int `mapstructure:"stride" json:"stride"`
	// ScoreContext is how many calls of context a scored call has at
	// least (but at a stream's start): scoring windows step by
	// Length-ScoreContext and keep their positions from ScoreContext on.
	// 0 scores each call in the one window of a tiling that holds it.
	ScoreContext int `mapstructure:"score_context" json:"score_context"`
}

// EvalConfig sets the evaluation (section eval).
type EvalConfig struct {
	tasks.EvalBase `mapstructure:",squash"`
	// FalseAlarmRates are the false-alarm rates of the detection table.
	FalseAlarmRates []float64 `mapstructure:"false_alarm_rates" json:"false_alarm_rates"`
	// StideN are STIDE's window lengths; the first is the headline baseline.
	StideN []int `mapstructure:"stide_n" json:"stide_n"`
	// StideFrame is STIDE's locality frame.
	StideFrame int `mapstructure:"stide_frame" json:"stide_frame"`
}

// EnsembleConfig trains several models on the same data (section ensemble).
type EnsembleConfig struct {
	// Size is the number of models, each its own unit with its own seed
	// (initial weights, example order, noise); a trace's score is the mean
	// of the models' scores (Kim et al. 2016 average an ensemble's
	// likelihood scores). 1 trains one model.
	Size int `mapstructure:"size" json:"size"`
}

// Config is the task's sections, decoded.
type Config struct {
	Data     *DataConfig
	Windows  *WindowConfig
	Eval     *EvalConfig
	Ensemble *EnsembleConfig
}

// Sections are the defaults: ADFA-LD with the seed's windows of 64 calls.
func (Task) Sections() map[string]any {
	return map[string]any{
		"data":     &DataConfig{Kind: "adfa", ValidationFraction: 0.3, ThreadAware: true},
		"windows":  &WindowConfig{Length: 64, Stride: 16, ScoreContext: 32},
		"ensemble": &EnsembleConfig{Size: 1},
		"eval": &EvalConfig{EvalBase: tasks.EvalBase{BatchSize: 64}, FalseAlarmRates: []float64{0.01, 0.05, 0.1},
			StideN: []int{6, 3, 4, 5, 7, 8, 10}, StideFrame: 20},
	}
}
