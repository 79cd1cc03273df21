// Package tasks defines what an experiment task is: the data, its split
// into units that each get their own model, the examples handed to a model
// family, the protocol's baselines and metrics and the report. A task owns
// its config sections (data:, windows:, eval: ...), as a model family owns
// model:. Tasks live in the packages below this one and are registered in
// package experiments.
package tasks

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// Task is one kind of experiment, named by the config key task. A task is
// either a UnitTask, whose data the runner trains one graph model per unit
// on, or a FitTask, which fits and evaluates its models by its own
// protocol (cross-validated tabular classifiers).
type Task interface {
	// Name is the config's task value, e.g. "masquerade".
	Name() string
	// Sections returns the task's config sections by key, each a pointer
	// to a new struct holding the defaults (mapstructure and json tags).
	Sections() map[string]any
	// DefaultKind is the model family used when the config names none; ""
	// for a FitTask, whose configs have no model: section.
	DefaultKind() string
	// Input validates the decoded sections (the pointers of Sections,
	// filled) and returns the layout of the examples the task will give
	// the model; the error names every bad key.
	Input(sections map[string]any) (models.Input, error)
}

// UnitTask is a task whose units the runner trains a model family on.
type UnitTask interface {
	Task
	// Load reads or generates the data.
	Load(ctx context.Context, sections map[string]any, env Env) (Data, error)
}

// FitTask is a task that fits its own models: it loads its data, runs its
// protocol (for example nested cross-validation of several pipelines),
// saves its final model and writes report.html to env.Out. The runner
// writes config.json and the returned metrics.
type FitTask interface {
	Task
	// Fit runs the protocol on the data the sections describe.
	Fit(ctx context.Context, sections map[string]any, env Env) (Evaluation, error)
	// Rescore scores the data the sections describe with the final model
	// a finished run saved in env.From, without fitting.
	Rescore(ctx context.Context, sections map[string]any, env Env) (Evaluation, error)
}

// FitProfiler is a FitTask that can describe its training inputs for the
// drift tests of a nightly retraining (see Profiler).
type FitProfiler interface {
	Profile(ctx context.Context, sections map[string]any, env Env) (Profile, error)
}

// Env is what the runner gives a task.
type Env struct {
	Name string // the experiment's name
	Kind string // the model family's kind
	Seed uint64 // the experiment's seed
	Out  string // the output directory (Load may write there, e.g. embeddings)
	// From is the run directory being re-evaluated, "" during a run: Load
	// reuses what the run wrote there instead of computing it again.
	From  string
	Start time.Time // when the run began
	Log   *slog.Logger
	// Model reloads unit i's final model and returns an eval scorer on it
	// (set for Evaluate; the caller closes the scorer).
	Model func(unit int) (models.Scorer, error)
	// Device is where graph models run ("cpu" or "cuda:N") and Factory
	// how (nil: gorgonia's tape machine), for a FitTask that trains graph
	// models itself.
	Device  string
	Factory graph.RunnerFactory
	// Progress receives progress lines of long work; nil: none.
	Progress io.Writer
}

// Data is a task's loaded data.
type Data interface {
	// Units names the units that each get their own model (SEA: one per
	// user; a global model: one unit).
	Units() []string
	// Input is the exact layout of the examples every unit gives the model,
	// with what is known only once the data is read (the vocabulary).
	Input() models.Input
	// Unit returns unit i's examples.
	Unit(i int) (Unit, error)
	// Evaluate computes the protocol's metrics from every unit's scores,
	// with the task's baselines, and writes report.html and its figures
	// to env.Out.
	Evaluate(ctx context.Context, results []Result, env Env) (Evaluation, error)
}

// Unit is one unit's examples: a pool to train and validate on, and the
// sets to score once trained.
type Unit struct {
	Pool       models.Examples
	Train, Val []int // indices into Pool
	Sets       []Set
}

// Set is a set of examples to score, e.g. "test" or "validation".
type Set struct {
	Name     string
	Examples models.Examples
	Idx      []int // which examples; nil = all
}

// All returns Idx, or every index when it is nil.
func (s Set) All() []int {
	if s.Idx != nil {
		return s.Idx
	}
	out := make([]int, s.Examples.N)
	for i := range out {
		out[i] = i
	}
	return out
}

// Result is what one unit's model produced.
type Result struct {
	Name      string                    `json:"unit"`
	Scores    map[string][]models.Score `json:"scores"` // by set name
	TrainLoss []float64                 `json:"train_loss"`
	ValLoss   []float64                 `json:"val_loss"`
	// UpdateLoss is each update's training loss per epoch when a step is
	// several updates (adversarial training), by update name.
	UpdateLoss map[string][]float64 `json:"update_loss,omitempty"`
	Steps      int                  `json:"steps"`
	Params     int                  `json:"parameters"`
	Checkpoint string               `json:"checkpoint"`
}

// Primary returns the first (the family's anomaly) score of set, or an
// error naming what is missing.
func (r Result) Primary(set string) (models.Score, error) {
	s := r.Scores[set]
	if len(s) == 0 {
		return models.Score{}, fmt.Errorf("%s: no scores for set %q", r.Name, set)
	}
	return s[0], nil
}

// Named returns the score called name of set.
func (r Result) Named(set, name string) (models.Score, bool) {
	for _, s := range r.Scores[set] {
		if s.Name == name {
			return s, true
		}
	}
	return models.Score{}, false
}

// Evaluation is a task's verdict on a run.
type Evaluation struct {
	Metrics any    // written as metrics.json
	Summary string // a short plain-text table
}

// Registry maps task names to tasks.
type Registry struct{ byName map[string]Task }

// NewRegistry registers tasks; two of one name are an error.
func NewRegistry(ts ...Task) (*Registry, error) {
	r := &Registry{byName: map[string]Task{}}
	for _, t := range ts {
		if _, dup := r.byName[t.Name()]; dup {
			return nil, fmt.Errorf("tasks: two tasks named %q", t.Name())
		}
		r.byName[t.Name()] = t
	}
	return r, nil
}

// Lookup returns the task called name.
func (r *Registry) Lookup(name string) (Task, error) {
	t, ok := r.byName[name]
	if !ok {
		return nil, fmt.Errorf("task: %q is not a task (known: %s)", name, strings.Join(r.Names(), ", "))
	}
	return t, nil
}

// Names lists the registered tasks, sorted.
func (r *Registry) Names() []string {
	var out []string
	for k := range r.byName {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// EvalBase holds the keys of a task's eval section that the runner reads;
// a task embeds it in its eval section struct with `mapstructure:",squash"`.
type EvalBase struct {
	// BatchSize is how many examples a scoring graph takes at once.
	BatchSize int `mapstructure:"batch_size" json:"batch_size"`
}

// ScoreBatch is the scoring batch size.
func (e *EvalBase) ScoreBatch() int { return e.BatchSize }

// DefaultScoreBatch is the scoring batch of a task without an eval section.
const DefaultScoreBatch = 64

// ScoreBatch returns the scoring batch of a task's decoded sections.
func ScoreBatch(sections map[string]any) int {
	if e, ok := sections["eval"].(interface{ ScoreBatch() int }); ok && e.ScoreBatch() > 0 {
		return e.ScoreBatch()
	}
	return DefaultScoreBatch
}

// Section returns the decoded section name of a task's sections as the
// type T its Sections method declared.
func Section[T any](sections map[string]any, name string) (*T, error) {
	s, ok := sections[name].(*T)
	if !ok {
		return nil, fmt.Errorf("tasks: section %s is a %T, want %T", name, sections[name], s)
	}
	return s, nil
}

// Profiler is implemented by a task's Data that can describe its training
// inputs, for the drift tests of a nightly retraining: the same features
// of yesterday's and today's data are compared.
type Profiler interface {
	Profile() Profile
}

// Profile is named samples of a data set's training inputs: categorical
// features (one token per occurrence, such as each call or command) and
// numeric ones (such as each trace's length).
type Profile struct {
	Categorical map[string][]string
	Numeric     map[string][]float64
}
