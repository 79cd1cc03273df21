// Package convvae is the Conv2D variational autoencoder of the SEA
// masquerade pipeline: windows of commands x embedding dimensions are encoded
// by strided convolutions to a small latent code and decoded back; the
// per-window reconstruction BCE is the anomaly score.
package convvae

import (
	"errors"
	"fmt"
)

// Config sizes the network. The zero value is not usable; Seed() gives the
// seed's architecture for 100x50 inputs (2,911,589 parameters).
type Config struct {
	Rows, Cols     int       // input window: commands x embedding dimensions
	Filters        []int     // encoder convolution channels
	Strides        []int     // encoder strides (1 or 2), one per filter
	Dropouts       []float64 // dropout after each encoder convolution (0 = none)
	Kernel         int       // odd square kernel size, "same" padding Kernel/2
	Dense          int       // hidden units before the latent heads
	Latent         int       // latent dimensions
	DecoderFilters int       // channels of each transposed convolution
	// Sampling is "seed" (z = mu + exp(logvar)*eps, as the seed wrote it) or
	// "standard" (z = mu + exp(logvar/2)*eps).
	Sampling string
	KLWeight float64 // weight of the KL term in the loss (seed: 5e-4)
}

// Seed returns the seed's architecture for inputs of rows x cols.
func Seed(rows, cols int) Config {
	return Config{
		Rows: rows, Cols: cols,
		Filters: []int{32, 64, 64, 64}, Strides: []int{1, 2, 1, 1}, Dropouts: []float64{0, 0.1, 0.2, 0.2},
		Kernel: 3, Dense: 32, Latent: 2, DecoderFilters: 32, Sampling: "seed", KLWeight: 5e-4,
	}
}

// Validate reports every problem with the config.
func (c Config) Validate() error {
	var errs []error
	if c.Rows <= 0 || c.Cols <= 0 {
		errs = append(errs, fmt.Errorf("convvae: input %dx%d must be positive", c.Rows, c.Cols))
	}
	if len(c.Filters) == 0 || len(c.Strides) != len(c.Filters) || len(c.Dropouts) != len(c.Filters) {
		errs = append(errs, fmt.Errorf("convvae: filters, strides, dropouts need equal non-zero lengths (%d, %d, %d)", len(c.Filters), len(c.Strides), len(c.Dropouts)))
	}
	if c.Kernel <= 0 || c.Kernel%2 == 0 {
		errs = append(errs, fmt.Errorf("convvae: kernel %d must be odd", c.Kernel))
	}
	if c.Dense <= 0 || c.Latent <= 0 || c.DecoderFilters <= 0 {
		errs = append(errs, errors.New("convvae: dense, latent and decoder filters must be positive"))
	}
	if c.Sampling != "seed" && c.Sampling != "standard" {
		errs = append(errs, fmt.Errorf("convvae: sampling %q is not seed or standard", c.Sampling))
	}
	return errors.Join(errs...)
}

// Tiny is a 12x8 model with every layer kind of the seed (a strided
// convolution, dropout, the transposed convolution) at a few hundred
// parameters: for tests and the GPU self-test.
func Tiny() Config {
	c := Seed(12, 8)
	c.Filters, c.Strides, c.Dropouts = []int{4, 8}, []int{1, 2}, []float64{0, 0.1}
	c.Dense, c.DecoderFilters = 8, 4
	return c
}
