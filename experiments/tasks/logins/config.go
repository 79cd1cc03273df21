// Package logins is the IP Insights task on (entity, IPv4) login events,
// after the IP Insights example notebook of Amazon SageMaker: a model
// learns from the first days of logins which addresses each entity uses;
// the later days' logins of known entities, with a share replaced by
// logins from networks the entity never used, are scored and compared
// with the example's baselines, tables of the (entity, address) and
// (entity, /24) pairs seen in training. The discriminator AUC is
// SageMaker's validation metric: true held-out pairs against the same
// entities with uniformly random addresses.
package logins

import "github.com/vigil-ml/vigil/experiments/tasks"

// DataConfig selects the login events and their split (section data).
type DataConfig struct {
	// Kind is synthetic, pairs (headerless "entity,IPv4" CSV), csv (a CSV
	// with a header) or sshd (OpenSSH syslog lines).
	Kind string `mapstructure:"kind" json:"kind"`
	// Path is the file of kinds pairs, csv and sshd, as given (relative to
	// the working directory).
	Path string `mapstructure:"path" json:"path"`
	// Lenient skips and counts bad records instead of failing on the first.
	Lenient bool `mapstructure:"lenient" json:"lenient"`
	// CSV names the columns of kind csv.
	CSV CSVConfig `mapstructure:"csv" json:"csv"`
	// SSHD tunes kind sshd.
	SSHD SSHDConfig `mapstructure:"sshd" json:"sshd"`
	// Synthetic sizes generated logins (kind synthetic).
	Synthetic SyntheticConfig `mapstructure:"synthetic" json:"synthetic"`
	// TrainDays: events before the first event's day (UTC midnight) plus
	// this many days train, the later ones are tested.
	TrainDays float64 `mapstructure:"train_days" json:"train_days"`
	// TrainFraction is used instead when an event carries no time: the
	// first fraction of the events in file order trains.
	TrainFraction float64 `mapstructure:"train_fraction" json:"train_fraction"`
	// ValidationFraction of the training events, drawn by the seed, is held
	// out for the validation loss and the discriminator AUC.
	ValidationFraction float64 `mapstructure:"validation_fraction" json:"validation_fraction"`
	// MaxEvents keeps a random sample of this many events, in their order
	// (0 = all), for quick runs.
	MaxEvents int `mapstructure:"max_events" json:"max_events"`
}

// CSVConfig names the columns of a CSV with a header (kind csv); empty
// values take the reader's defaults (entity, ip, no time, RFC 3339).
type CSVConfig struct {
	EntityColumn string `mapstructure:"entity_column" json:"entity_column"`
	IPColumn     string `mapstructure:"ip_column" json:"ip_column"`
	TimeColumn   string `mapstructure:"time_column" json:"time_column"`
	// TimeLayout is a Go time layout or "unix" (seconds since the epoch).
	TimeLayout string `mapstructure:"time_layout" json:"time_layout"`
}

// SSHDConfig tunes reading sshd logs (kind sshd).
type SSHDConfig struct {
	// Year of the first classic syslog timestamp, which has none (0 = the
	// current year).
	Year int `mapstructure:"year" json:"year"`
	// AcceptedOnly keeps successful logins only; otherwise failed attempts
	// are logins too.
	AcceptedOnly bool `mapstructure:"accepted_only" json:"accepted_only"`
	// ExpandRepeats turns "message repeated N times" lines into N events.
	ExpandRepeats bool `mapstructure:"expand_repeats" json:"expand_repeats"`
}

// SyntheticConfig maps onto logins.SynthConfig (the notebook's generator).
type SyntheticConfig struct {
	Seed       uint64  `mapstructure:"seed" json:"seed"` // 0 = the experiment's seed
	Users      int     `mapstructure:"users" json:"users"`
	Networks   int     `mapstructure:"networks" json:"networks"`
	ISPShare   float64 `mapstructure:"isp_share" json:"isp_share"`
	Days       int     `mapstructure:"days" json:"days"`
	LoginScale float64 `mapstructure:"login_scale" json:"login_scale"` // minimum logins per user
	LoginShape float64 `mapstructure:"login_shape" json:"login_shape"` // Pareto shape of logins per user
	MaxLogins  int     `mapstructure:"max_logins" json:"max_logins"`
}

// EvalConfig sets the evaluation (section eval).
type EvalConfig struct {
	tasks.EvalBase `mapstructure:",squash"`
	// AttackRates are the shares of the test events replaced by attacks,
	// one test set each.
	AttackRates []float64 `mapstructure:"attack_rates" json:"attack_rates"`
	// DetectionRates are the true-positive rates at which false-positive
	// rates are reported.
	DetectionRates []float64 `mapstructure:"detection_rates" json:"detection_rates"`
	// KnownEntitiesOnly keeps only test events of entities seen in
	// training, as the example does.
	KnownEntitiesOnly bool `mapstructure:"known_entities_only" json:"known_entities_only"`
}

// Config is the task's sections, decoded.
type Config struct {
	Data *DataConfig
	Eval *EvalConfig
}

// Sections are the example's defaults: 1,000 synthetic users over 10 days,
// trained on the first 7.
func (Task) Sections() map[string]any {
	return map[string]any{
		"data": &DataConfig{Kind: "synthetic", TrainDays: 7, TrainFraction: 0.7, ValidationFraction: 0.1,
			Synthetic: SyntheticConfig{Users: 1000, Networks: 2000, ISPShare: 0.5, Days: 10, LoginScale: 50, LoginShape: 1, MaxLogins: 10000}},
		"eval": &EvalConfig{EvalBase: tasks.EvalBase{BatchSize: 10000}, AttackRates: []float64{0.01, 0.5},
			DetectionRates: []float64{1, 0.95}, KnownEntitiesOnly: true},
	}
}
