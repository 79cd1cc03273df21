// Package ipinsights is the IP Insights model of Amazon SageMaker: it
// learns which IPv4 addresses each entity (user account, API key, host)
// normally comes from. An entity is hashed into a table of vectors; an
// address is encoded from its prefix structure (learned vectors of its /8,
// /16, /24 and /32 prefixes, hashed into buckets and summed, then
// num_ip_encoder_layers dense tanh layers); the score of a pair is the dot
// product of the two vectors. Training is binary cross-entropy of true
// pairs against random-address negatives (each octet uniform) and shuffled
// negatives (the entity with another pair's address), with row-wise
// (lazy) Adam updates of the tables.
//
// Hyperparameters keep SageMaker's names, meanings and defaults. Those
// SageMaker calls epochs, learning_rate, mini_batch_size and weight_decay
// are the experiment's train.epochs, train.lr, train.batch_size and
// train.weight_decay, whose defaults this family sets to SageMaker's.
package ipinsights

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// Section is the `model:` config section of kind ipinsights.
type Section struct {
	// NumEntityVectors is the size of the entity table; entities hash into
	// it (SageMaker recommends twice the number of distinct entities).
	NumEntityVectors int `mapstructure:"num_entity_vectors" json:"num_entity_vectors"`
	// VectorDim is the size of entity and address vectors.
	VectorDim int `mapstructure:"vector_dim" json:"vector_dim"`
	// NumIPEncoderLayers is the number of dense tanh layers after the
	// summed prefix vectors (0: the sum itself).
	NumIPEncoderLayers int `mapstructure:"num_ip_encoder_layers" json:"num_ip_encoder_layers"`
	// RandomNegativeSamplingRate is the random-address negatives per pair.
	RandomNegativeSamplingRate int `mapstructure:"random_negative_sampling_rate" json:"random_negative_sampling_rate"`
	// ShuffledNegativeSamplingRate is the shuffled negatives per pair.
	ShuffledNegativeSamplingRate int `mapstructure:"shuffled_negative_sampling_rate" json:"shuffled_negative_sampling_rate"`
	// IPHashBuckets is the rows of each prefix table (vigil's own key:
	// SageMaker does not expose its encoder's sizes).
	IPHashBuckets int `mapstructure:"ip_hash_buckets" json:"ip_hash_buckets"`
}

// Family is the IP Insights model family (kind "ipinsights").
type Family struct{}

var (
	_ models.Family         = Family{}
	_ models.TrainDefaulter = Family{}
	_ models.Model          = (*Model)(nil)
	_ models.Embedder       = (*scorer)(nil)
)

// Kind is "ipinsights".
func (Family) Kind() string { return "ipinsights" }

// Defaults are SageMaker's (vector sizes, which SageMaker requires, are
// the benchmark's: 20,000 entity vectors of 128) and 2^16 buckets.
func (Family) Defaults() any {
	return &Section{NumEntityVectors: 20000, VectorDim: 128, NumIPEncoderLayers: 1,
		RandomNegativeSamplingRate: 1, ShuffledNegativeSamplingRate: 1, IPHashBuckets: 1 << 16}
}

// TrainDefaults are SageMaker's: epochs 10, learning_rate 0.001,
// mini_batch_size 10,000, weight_decay 1e-5, and no early stopping.
func (Family) TrainDefaults() map[string]any {
	return map[string]any{"epochs": 10, "lr": 0.001, "batch_size": 10000, "weight_decay": 1e-5, "patience": 0}
}

// Validate checks the section against SageMaker's ranges, for examples of
// two int32 features (entity key, address).
func (Family) Validate(section any, in models.Input) error {
	s, ok := section.(*Section)
	if !ok {
		return fmt.Errorf("ipinsights: config section is a %T, want *ipinsights.Section", section)
	}
	var errs []error
	between := func(key string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, fmt.Errorf("model.%s: %d is outside [%d, %d]", key, v, lo, hi))
		}
	}
	between("num_entity_vectors", s.NumEntityVectors, 1, 250_000_000)
	between("vector_dim", s.VectorDim, 4, 4096)
	between("num_ip_encoder_layers", s.NumIPEncoderLayers, 0, 100)
	between("random_negative_sampling_rate", s.RandomNegativeSamplingRate, 0, 500)
	between("shuffled_negative_sampling_rate", s.ShuffledNegativeSamplingRate, 0, 500)
	between("ip_hash_buckets", s.IPHashBuckets, 1, 1<<28)
	if r := s.RandomNegativeSamplingRate + s.ShuffledNegativeSamplingRate; r < 1 || r > 500 {
		errs = append(errs, fmt.Errorf("model: random_negative_sampling_rate + shuffled_negative_sampling_rate = %d, want 1..500", r))
	}
	if s.IPHashBuckets > 0 && s.VectorDim > 0 && 4*s.IPHashBuckets*s.VectorDim > 1<<31 {
		errs = append(errs, fmt.Errorf("model: ip_hash_buckets %d x vector_dim %d: prefix tables of more than 2^31 values", s.IPHashBuckets, s.VectorDim))
	}
	if s.NumEntityVectors > 0 && s.VectorDim > 0 && s.NumEntityVectors*s.VectorDim > 1<<31 {
		errs = append(errs, fmt.Errorf("model: num_entity_vectors %d x vector_dim %d: an entity table of more than 2^31 values", s.NumEntityVectors, s.VectorDim))
	}
	if len(in.IntShape) != 1 || in.IntShape[0] != 2 || len(in.FloatShape) != 0 {
		errs = append(errs, fmt.Errorf("model: ipinsights takes (entity key, IPv4) int pairs, the task gives %v floats and %v ints", in.FloatShape, in.IntShape))
	}
	return errors.Join(errs...)
}

// Config sizes a model: the section's values.
type Config struct {
	Entities, Dim, Layers, Buckets int
	RandomRate, ShuffledRate       int
}

// ConfigOf converts a section.
func ConfigOf(s *Section) Config {
	return Config{Entities: s.NumEntityVectors, Dim: s.VectorDim, Layers: s.NumIPEncoderLayers, Buckets: s.IPHashBuckets,
		RandomRate: s.RandomNegativeSamplingRate, ShuffledRate: s.ShuffledNegativeSamplingRate}
}

// New creates a model.
func (f Family) New(section any, in models.Input, rng *rand.Rand) (models.Model, error) {
	if err := f.Validate(section, in); err != nil {
		return nil, err
	}
	return New(ConfigOf(section.(*Section)), rng)
}

// Tiny is a model of a few hundred parameters with two encoder layers,
// for tests and the GPU self-test.
func Tiny() Config {
	return Config{Entities: 7, Dim: 4, Layers: 2, Buckets: 16, RandomRate: 1, ShuffledRate: 1}
}

// Probe trains Tiny() on batches of 3 random pairs.
func (Family) Probe() graph.Probe {
	return graph.Probe{Name: "ipinsights", Build: func(factory graph.RunnerFactory) (graph.Runner, func(*rand.Rand) error, error) {
		m, err := New(Tiny(), rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			return nil, nil, err
		}
		n, err := m.build(3, factory)
		if err != nil {
			return nil, nil, err
		}
		ex := models.Examples{Input: models.Input{IntShape: []int{2}}, N: 3, Int: make([]int32, 6)}
		fill := func(rng *rand.Rand) error {
			for i := range ex.Int {
				ex.Int[i] = int32(rng.Uint32())
			}
			return n.fill(m, ex, []int{0, 1, 2}, rng)
		}
		return n.Runner, fill, nil
	}}
}
