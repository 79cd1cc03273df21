package convvae

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// Section is the `model:` config section of kind convvae; the input size
// comes from the task's examples ([rows, cols] floats in [0, 1]).
type Section struct {
	Filters  []int     `mapstructure:"filters" json:"filters"`
	Strides  []int     `mapstructure:"strides" json:"strides"`
	Dropouts []float64 `mapstructure:"dropouts" json:"dropouts"`
	Kernel   int       `mapstructure:"kernel" json:"kernel"`
	Dense    int       `mapstructure:"dense" json:"dense"`
	Latent   int       `mapstructure:"latent" json:"latent"`
	// DecoderFilters is the channel count of each transposed convolution.
	DecoderFilters int `mapstructure:"decoder_filters" json:"decoder_filters"`
	// Sampling: "seed" (z = mu + exp(logvar)*eps) or "standard" (exp(logvar/2)).
	Sampling string  `mapstructure:"sampling" json:"sampling"`
	KLWeight float64 `mapstructure:"kl_weight" json:"kl_weight"`
}

// Family is the ConvVAE model family (kind "convvae").
type Family struct{}

// Kind is "convvae".
func (Family) Kind() string { return "convvae" }

// Defaults is the seed's architecture.
func (Family) Defaults() any {
	c := Seed(0, 0)
	return &Section{Filters: c.Filters, Strides: c.Strides, Dropouts: c.Dropouts, Kernel: c.Kernel,
		Dense: c.Dense, Latent: c.Latent, DecoderFilters: c.DecoderFilters, Sampling: c.Sampling, KLWeight: c.KLWeight}
}

// Validate checks the section for inputs of [rows, cols] floats.
func (Family) Validate(section any, in models.Input) error {
	s, err := sectionOf(section)
	if err != nil {
		return err
	}
	var errs []error
	if len(s.Filters) == 0 || len(s.Strides) != len(s.Filters) || len(s.Dropouts) != len(s.Filters) {
		errs = append(errs, fmt.Errorf("model: filters, strides and dropouts need the same non-zero length (got %d, %d, %d)", len(s.Filters), len(s.Strides), len(s.Dropouts)))
	}
	for i, f := range s.Filters {
		if f <= 0 {
			errs = append(errs, fmt.Errorf("model.filters[%d]: %d must be positive", i, f))
		}
	}
	for i, st := range s.Strides {
		if st != 1 && st != 2 {
			errs = append(errs, fmt.Errorf("model.strides[%d]: %d must be 1 or 2", i, st))
		}
	}
	for i, r := range s.Dropouts {
		if r < 0 || r >= 1 {
			errs = append(errs, fmt.Errorf("model.dropouts[%d]: %v must be in [0, 1)", i, r))
		}
	}
	if s.Kernel <= 0 || s.Kernel%2 == 0 {
		errs = append(errs, fmt.Errorf("model.kernel: %d must be odd and positive", s.Kernel))
	}
	if s.Dense <= 0 || s.Latent <= 0 || s.DecoderFilters <= 0 {
		errs = append(errs, fmt.Errorf("model: dense, latent and decoder_filters must be positive (got %d, %d, %d)", s.Dense, s.Latent, s.DecoderFilters))
	}
	if s.Sampling != "seed" && s.Sampling != "standard" {
		errs = append(errs, fmt.Errorf("model.sampling: %q is not seed or standard", s.Sampling))
	}
	if s.KLWeight < 0 {
		errs = append(errs, fmt.Errorf("model.kl_weight: %v must not be negative", s.KLWeight))
	}
	if len(in.FloatShape) != 2 || in.FloatShape[0] <= 0 || in.FloatShape[1] <= 0 || len(in.IntShape) != 0 {
		errs = append(errs, fmt.Errorf("model: convvae takes windows of rows x cols floats, the task gives %v floats and %v ints", in.FloatShape, in.IntShape))
	}
	return errors.Join(errs...)
}

func sectionOf(section any) (*Section, error) {
	s, ok := section.(*Section)
	if !ok {
		return nil, fmt.Errorf("convvae: config section is a %T, want *convvae.Section", section)
	}
	return s, nil
}

// Config is the model config of a section for inputs of in.
func (s *Section) Config(in models.Input) Config {
	c := Config{Filters: s.Filters, Strides: s.Strides, Dropouts: s.Dropouts, Kernel: s.Kernel, Dense: s.Dense,
		Latent: s.Latent, DecoderFilters: s.DecoderFilters, Sampling: s.Sampling, KLWeight: s.KLWeight}
	if len(in.FloatShape) == 2 {
		c.Rows, c.Cols = in.FloatShape[0], in.FloatShape[1]
	}
	return c
}

// New creates a model.
func (f Family) New(section any, in models.Input, rng *rand.Rand) (models.Model, error) {
	if err := f.Validate(section, in); err != nil {
		return nil, err
	}
	s, _ := sectionOf(section)
	return New(s.Config(in), rng)
}

// Probe trains Tiny() with batch 3 on uniform inputs.
func (Family) Probe() graph.Probe {
	return graph.Probe{Name: "convvae", Build: func(factory graph.RunnerFactory) (graph.Runner, func(*rand.Rand) error, error) {
		m, err := New(Tiny(), rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			return nil, nil, err
		}
		n, err := m.BuildWith(graph.Train, 3, factory)
		if err != nil {
			return nil, nil, err
		}
		x := make([]float32, n.X.Shape().TotalSize())
		fill := func(rng *rand.Rand) error {
			for i := range x {
				x[i] = rng.Float32()
			}
			return graph.SetInput(n.X, x)
		}
		return n.Program, fill, nil
	}}
}

// Registry is the model's parameters.
func (m *Model) Registry() *graph.Registry { return m.Reg }

// windows views float examples as windows.
func windows(ex models.Examples) Windows {
	return Windows{Data: ex.Float, N: ex.N, Size: ex.FloatSize()}
}

// TrainTask trains on examples train and validates on val.
func (m *Model) TrainTask(ex models.Examples, train, val []int, batch, evalBatch int, factory graph.RunnerFactory) (models.TrainTask, error) {
	return NewTaskWith(m, windows(ex), train, val, batch, evalBatch, factory)
}

// Scorer builds the eval net.
func (m *Model) Scorer(batch int, factory graph.RunnerFactory) (models.Scorer, error) {
	n, err := m.BuildWith(graph.Eval, batch, factory)
	if err != nil {
		return nil, err
	}
	return &scorer{n}, nil
}

// WriteSummary prints the layer table.
func (m *Model) WriteSummary(w io.Writer) error {
	fmt.Fprintf(w, "ConvVAE on %dx%d windows\n", m.Config.Rows, m.Config.Cols)
	return m.writeSummary(w)
}

// scorer scores with an eval net.
type scorer struct{ net *Net }

// Score returns "bce", the reconstruction BCE of each window (the seed's
// score), and "excess_bce", the BCE minus the window's own entropy (see
// InputEntropy).
func (s *scorer) Score(ex models.Examples, idx []int) ([]models.Score, error) {
	w := windows(ex)
	bce, err := Score(s.net, w, idx)
	if err != nil {
		return nil, err
	}
	h := InputEntropy(w, idx)
	excess := make([]float64, len(bce))
	for i := range bce {
		excess[i] = bce[i] - h[i]
	}
	return []models.Score{{Name: "bce", Width: 1, Values: bce}, {Name: "excess_bce", Width: 1, Values: excess}}, nil
}

// Reconstruct returns the reconstruction probabilities of windows idx.
func (s *scorer) Reconstruct(ex models.Examples, idx []int) ([][]float32, error) {
	return Reconstruct(s.net, windows(ex), idx)
}

func (s *scorer) Close() error { return s.net.Close() }
