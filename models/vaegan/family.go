// Package vaegan is the LSTM VAE-GAN of host intrusion detection
// (VAE-MAD-GAN; Niu et al. 2020, TimeSeAD's LSTM-VAE-GAN, MAD-GAN): an
// LSTM variational autoencoder over windows of system-call embeddings whose
// decoder is also a GAN generator, and an LSTM discriminator. Training
// alternates two updates with their own optimizers: the encoder and decoder
// (reconstruction, KL, and fooling the discriminator), then the
// discriminator (real windows against reconstructed and generated ones).
// A window scores by how badly it is reconstructed, how fake the
// discriminator finds it, and their mix (the DR-score).
//
// Calls are embedded with word2vec vectors trained on the training windows
// (datasets/syscalls), fixed during training: the autoencoder reconstructs
// them.
package vaegan

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// Section is the `model:` config section of kind vaegan. The defaults are
// Niu et al.'s and TimeSeAD's sizes (LSTM 60, latent 10) with the
// benchmark's 32-dimensional call embeddings.
type Section struct {
	Embedding int `mapstructure:"embedding" json:"embedding"` // word2vec dimensions of a call
	Hidden    int `mapstructure:"hidden" json:"hidden"`       // LSTM units of encoder, decoder and discriminator
	Latent    int `mapstructure:"latent" json:"latent"`       // latent dimensions
	// KLWeight and AdversarialWeight weigh the KL term and the generator's
	// BCE against the reconstruction MSE in the encoder/decoder update.
	KLWeight          float64 `mapstructure:"kl_weight" json:"kl_weight"`
	AdversarialWeight float64 `mapstructure:"adversarial_weight" json:"adversarial_weight"`
	// Lambda mixes the DR-score: (1-λ)·R + λ·(1-D(x)).
	Lambda float64 `mapstructure:"lambda" json:"lambda"`
	// GRounds and DRounds are the updates of the encoder/decoder and of the
	// discriminator per step (MAD-GAN's G_rounds, D_rounds).
	GRounds int `mapstructure:"g_rounds" json:"g_rounds"`
	DRounds int `mapstructure:"d_rounds" json:"d_rounds"`
	// Word2VecEpochs trains the call embeddings (skip-gram, window 5).
	Word2VecEpochs int `mapstructure:"word2vec_epochs" json:"word2vec_epochs"`
	// Corruption, when positive, shows the discriminator a fourth kind of
	// fake: training windows with each call replaced, at this rate (and
	// at least one per window), by another call seen in training. 0 is
	// MAD-GAN's discriminator (real windows against reconstructions and
	// prior samples), which can tell real windows from generated ones by
	// their calls lying on the vocabulary's embeddings alone.
	Corruption float64 `mapstructure:"corruption" json:"corruption"`
	// Discriminator is what the discriminator judges: "window" (one logit
	// from its LSTM's last state, as the benchmark peer) or "calls" (a
	// logit at every call from the state after it, as MAD-GAN's
	// discriminator, which also scores every time step).
	Discriminator string `mapstructure:"discriminator" json:"discriminator"`
	// InversionSteps turns on MAD-GAN's latent inversion when scoring: z,
	// started at μ, takes this many Adam steps (rate InversionLR) towards
	// the z whose decoding reconstructs the window best, and the scores
	// "dr_inverted" and "reconstruction_inverted" use it; 0 is off.
	InversionSteps int     `mapstructure:"inversion_steps" json:"inversion_steps"`
	InversionLR    float64 `mapstructure:"inversion_lr" json:"inversion_lr"`
}

// Family is the VAE-GAN family (kind "vaegan").
type Family struct{}

var (
	_ models.Family         = Family{}
	_ models.TrainDefaulter = Family{}
)

// Kind is "vaegan".
func (Family) Kind() string { return "vaegan" }

// Defaults: embedding 32, LSTM 60, latent 10, the benchmark's loss weights
// (KL 1e-3, adversarial 0.1), λ 0.5, one update of each per step, a
// discriminator judging every call and shown corrupted windows at 0.25
// (on ADFA-LD the DR-score then beats reconstruction alone; with
// discriminator window and corruption 0, MAD-GAN's and the benchmark's
// discriminator, it does not).
func (Family) Defaults() any {
	return &Section{Embedding: 32, Hidden: 60, Latent: 10, KLWeight: 1e-3, AdversarialWeight: 0.1, Lambda: 0.5,
		GRounds: 1, DRounds: 1, Word2VecEpochs: 5, InversionLR: 0.05, Discriminator: "calls", Corruption: 0.25}
}

// TrainDefaults are the benchmark's: batches of 64, Adam 1e-3.
func (Family) TrainDefaults() map[string]any {
	return map[string]any{"batch_size": 64, "lr": 0.001}
}

// Validate checks the section for windows of T+1 call ids.
func (Family) Validate(section any, in models.Input) error {
	s, ok := section.(*Section)
	if !ok {
		return fmt.Errorf("vaegan: config section is a %T, want *vaegan.Section", section)
	}
	var errs []error
	if s.Embedding < 1 || s.Hidden < 1 || s.Latent < 1 {
		errs = append(errs, fmt.Errorf("model: embedding, hidden and latent must be positive (got %d, %d, %d)", s.Embedding, s.Hidden, s.Latent))
	}
	if s.KLWeight < 0 || s.AdversarialWeight < 0 {
		errs = append(errs, fmt.Errorf("model: kl_weight %v and adversarial_weight %v must not be negative", s.KLWeight, s.AdversarialWeight))
	}
	if s.Lambda < 0 || s.Lambda > 1 {
		errs = append(errs, fmt.Errorf("model.lambda: %v is not in [0, 1]", s.Lambda))
	}
	if s.GRounds < 1 || s.DRounds < 1 {
		errs = append(errs, fmt.Errorf("model: g_rounds %d and d_rounds %d must be positive", s.GRounds, s.DRounds))
	}
	if s.InversionSteps < 0 || s.InversionLR <= 0 {
		errs = append(errs, fmt.Errorf("model: inversion_steps %d must not be negative and inversion_lr %v must be positive", s.InversionSteps, s.InversionLR))
	}
	if s.Discriminator != "window" && s.Discriminator != "calls" {
		errs = append(errs, fmt.Errorf("model.discriminator: %q is neither \"window\" nor \"calls\"", s.Discriminator))
	}
	if !(s.Corruption >= 0 && s.Corruption < 1) {
		errs = append(errs, fmt.Errorf("model.corruption: %v is not in [0, 1)", s.Corruption))
	}
	if s.Word2VecEpochs < 1 {
		errs = append(errs, fmt.Errorf("model.word2vec_epochs: %d must be positive", s.Word2VecEpochs))
	}
	if len(in.IntShape) != 1 || in.IntShape[0] < 3 || len(in.FloatShape) != 0 {
		errs = append(errs, fmt.Errorf("model: vaegan takes windows of T+1 call ids (T >= 2), the task gives %v floats and %v ints", in.FloatShape, in.IntShape))
	}
	return errors.Join(errs...)
}

// Config sizes a model.
type Config struct {
	Vocab, Steps                int // call ids in [0, Vocab); T calls per window
	Embedding, Hidden, Latent   int
	KLWeight, AdversarialWeight float64
	Lambda                      float64
	GRounds, DRounds, W2VEpochs int
	InversionSteps              int
	InversionLR                 float64
	Corruption                  float64 // see Section.Corruption
	PerCall                     bool    // the discriminator judges every call
}

// New creates a model for windows of in.
func (f Family) New(section any, in models.Input, rng *rand.Rand) (models.Model, error) {
	if err := f.Validate(section, in); err != nil {
		return nil, err
	}
	if in.Vocab < 1 {
		return nil, fmt.Errorf("vaegan: the vocabulary is not known (%d)", in.Vocab)
	}
	s := section.(*Section)
	return New(Config{Vocab: in.Vocab, Steps: in.IntShape[0] - 1, Embedding: s.Embedding, Hidden: s.Hidden, Latent: s.Latent,
		KLWeight: s.KLWeight, AdversarialWeight: s.AdversarialWeight, Lambda: s.Lambda,
		GRounds: s.GRounds, DRounds: s.DRounds, W2VEpochs: s.Word2VecEpochs,
		InversionSteps: s.InversionSteps, InversionLR: s.InversionLR, Corruption: s.Corruption,
		PerCall: s.Discriminator == "calls"}, rng)
}

// Tiny is a model of a few thousand parameters, for tests and the GPU
// self-test.
func Tiny() Config {
	return Config{Vocab: 7, Steps: 5, Embedding: 3, Hidden: 4, Latent: 2, KLWeight: 0.01, AdversarialWeight: 0.1,
		Lambda: 0.5, GRounds: 1, DRounds: 1, W2VEpochs: 1}
}

// Probe trains Tiny()'s encoder/decoder update on 3 random windows.
func (Family) Probe() graph.Probe {
	return graph.Probe{Name: "vaegan", Build: func(factory graph.RunnerFactory) (graph.Runner, func(*rand.Rand) error, error) {
		cfg := Tiny()
		m, err := New(cfg, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			return nil, nil, err
		}
		n, err := m.buildGen(3, factory)
		if err != nil {
			return nil, nil, err
		}
		ex := models.Examples{Input: models.Input{IntShape: []int{cfg.Steps + 1}, Vocab: cfg.Vocab}, N: 3}
		fill := func(rng *rand.Rand) error {
			ex.Int = ex.Int[:0]
			for range 3 * (cfg.Steps + 1) {
				ex.Int = append(ex.Int, int32(rng.IntN(cfg.Vocab)))
			}
			return n.in.fill(m, ex, []int{0, 1, 2})
		}
		return n.Runner, fill, nil
	}}
}
