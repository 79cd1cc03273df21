package models

import (
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/trainers"
)

// Family builds the models of one kind. It owns the config section
// `model:` of experiments that name its kind: Defaults gives the section's
// type and default values, and New validates a decoded section strictly.
type Family interface {
	// Kind is the name configs use (model.kind), e.g. "convvae".
	Kind() string
	// Defaults returns a pointer to a new section struct holding the
	// defaults; its fields carry mapstructure and json tags.
	Defaults() any
	// Validate reports every problem of a decoded section (a pointer of
	// Defaults' type) for examples of in, naming the keys (model.<key>).
	Validate(section any, in Input) error
	// New creates a model for examples of in, its parameters drawn from rng.
	New(section any, in Input, rng *rand.Rand) (Model, error)
	// Probe is a tiny training graph of the family's ops, used to check a
	// device numerically before it is trusted (cuda/selftest).
	Probe() graph.Probe
}

// Model is one model of a family: parameters, and the graphs built on them.
type Model interface {
	// Registry holds the parameters, which checkpoints save and restore.
	Registry() *graph.Registry
	// TrainTask builds the train and eval graphs (each run by factory, nil
	// for gorgonia's tape machine) for training on examples train and
	// validating on val, both indices into ex.
	TrainTask(ex Examples, train, val []int, batch, evalBatch int, factory graph.RunnerFactory) (TrainTask, error)
	// Scorer builds an eval graph that scores examples.
	Scorer(batch int, factory graph.RunnerFactory) (Scorer, error)
	// WriteSummary prints the layer table.
	WriteSummary(w io.Writer) error
}

// TrainTask is what the trainer trains, owning graphs: a trainers.Task
// (and where the graphs can hold their parameters on a device, a
// trainers.DeviceTask; with embedding tables, a trainers.SparseTask), or a
// trainers.PhasedTask whose step is several updates (adversarial
// training).
type TrainTask interface {
	TrainLen() int
	ValidationLoss() (loss float64, ok bool, err error)
	Close() error
}

// NewTrainer returns the trainer of a family's training task: trainers.New
// for a trainers.Task, trainers.NewPhased for a trainers.PhasedTask.
func NewTrainer(cfg trainers.Config, t TrainTask, opts ...trainers.Option) (*trainers.Trainer, error) {
	switch t := t.(type) {
	case trainers.PhasedTask:
		return trainers.NewPhased(cfg, t, opts...)
	case trainers.Task:
		return trainers.New(cfg, t, opts...)
	}
	return nil, fmt.Errorf("models: a training task of type %T is neither a trainers.Task nor a trainers.PhasedTask", t)
}

// Scorer scores examples with one or more named scores, the first being
// the family's anomaly score.
type Scorer interface {
	Score(ex Examples, idx []int) ([]Score, error)
	Close() error
}

// Reconstructor is a Scorer that can also return its reconstruction of
// each example's float features (an autoencoder).
type Reconstructor interface {
	Reconstruct(ex Examples, idx []int) ([][]float32, error)
}

// Registry maps kinds to families.
type Registry struct{ byKind map[string]Family }

// NewRegistry registers families; two of one kind are an error.
func NewRegistry(families ...Family) (*Registry, error) {
	r := &Registry{byKind: map[string]Family{}}
	for _, f := range families {
		if _, dup := r.byKind[f.Kind()]; dup {
			return nil, fmt.Errorf("models: two families of kind %q", f.Kind())
		}
		r.byKind[f.Kind()] = f
	}
	return r, nil
}

// Lookup returns the family of kind.
func (r *Registry) Lookup(kind string) (Family, error) {
	f, ok := r.byKind[kind]
	if !ok {
		return nil, fmt.Errorf("model.kind: %q is not a model family (known: %s)", kind, strings.Join(r.Kinds(), ", "))
	}
	return f, nil
}

// Kinds lists the registered kinds, sorted.
func (r *Registry) Kinds() []string {
	var out []string
	for k := range r.byKind {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Families lists the registered families in kind order.
func (r *Registry) Families() []Family {
	var out []Family
	for _, k := range r.Kinds() {
		out = append(out, r.byKind[k])
	}
	return out
}

// Embedder is a Scorer that can also return the two vectors its score
// compares for each example (IP Insights: the entity's embedding and the
// address's encoding), for plots and verbose serving.
type Embedder interface {
	Embed(ex Examples, idx []int) (entity, other [][]float32, err error)
}

// TrainDefaulter is a Family whose models train best with other defaults
// for keys of the experiment's train: section than the framework's (for
// example its paper's epochs, batch size and learning rate). Keys are the
// config's (epochs, batch_size, lr, weight_decay ...); a config still
// overrides them.
type TrainDefaulter interface {
	TrainDefaults() map[string]any
}
