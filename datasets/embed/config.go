package embed

import (
	"errors"
	"fmt"
)

// Out-of-vocabulary policies for Model.Vector.
const (
	OOVSubword     = "subword"      // average of the unseen word's n-gram vectors
	OOVRareAverage = "rare-average" // average vector of the rare training words
)

// Config holds the training settings. A zero field takes the default shown,
// except MaxN, where 0 disables subwords as fastText's -maxn 0 does; start
// from DefaultConfig for fastText's skip-gram settings. Negative values are
// errors, except Sample, where a negative value disables subsampling.
type Config struct {
	Dim          int     // vector dimension, default 50
	Window       int     // maximum context window; the window used for each word is uniform in [1, Window]; default 5
	Negatives    int     // negative samples per context word, default 5
	MinN, MaxN   int     // character n-gram lengths, defaults 3 and (in DefaultConfig) 6; MaxN 0 = no subwords
	Epochs       int     // passes over the corpus, default 5
	LR           float64 // initial learning rate, decayed linearly to 0 over training; default 0.05
	MinCount     int     // words seen fewer times are dropped, default 1
	Buckets      int     // hash buckets for n-grams, default 2,000,000 (unused when MaxN is 0)
	Sample       float64 // subsampling threshold t: a word of frequency f is kept with probability sqrt(t/f)+t/f; default 1e-4; negative disables
	NegPower     float64 // exponent of the unigram counts for drawing negatives, default 0.5 as in fastText's source (word2vec uses 0.75)
	Threads      int     // training goroutines, default 1; more than one updates the shared vectors without locks (Hogwild) and is not deterministic
	Seed         uint64  // seed of the PCG generators for initialisation and sampling
	OOV          string  // OOVSubword (default) or OOVRareAverage
	RareMaxCount int     // words with at most this count form the OOVRareAverage vector, default 1

	// Progress, if not nil, is called about every 1% of training from one
	// goroutine, and once at the end: done and total count tokens (including
	// subsampled ones), loss is the mean negative-sampling loss per example
	// of the first goroutine since the previous call.
	Progress func(done, total int64, loss float64)
}

// DefaultConfig returns fastText's skip-gram settings with dimension 50 and
// minimum count 1.
func DefaultConfig() Config {
	return Config{
		Dim: 50, Window: 5, Negatives: 5, MinN: 3, MaxN: 6, Epochs: 5, LR: 0.05,
		MinCount: 1, Buckets: 2_000_000, Sample: 1e-4, NegPower: 0.5, Threads: 1,
		OOV: OOVSubword, RareMaxCount: 1,
	}
}

// resolve fills zero fields with defaults and checks the result.
func (c Config) resolve() (Config, error) {
	d := DefaultConfig()
	if c.Dim < 0 || c.Window < 0 || c.Negatives < 0 || c.MinN < 0 || c.MaxN < 0 || c.Epochs < 0 ||
		c.LR < 0 || c.MinCount < 0 || c.Buckets < 0 || c.NegPower < 0 || c.Threads < 0 || c.RareMaxCount < 0 {
		return c, fmt.Errorf("embed: negative setting in %+v", c)
	}
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setInt(&c.Dim, d.Dim)
	setInt(&c.Window, d.Window)
	setInt(&c.Negatives, d.Negatives)
	setInt(&c.MinN, d.MinN)
	setInt(&c.Epochs, d.Epochs)
	setInt(&c.MinCount, d.MinCount)
	setInt(&c.Buckets, d.Buckets)
	setInt(&c.Threads, d.Threads)
	setInt(&c.RareMaxCount, d.RareMaxCount)
	if c.LR == 0 {
		c.LR = d.LR
	}
	if c.NegPower == 0 {
		c.NegPower = d.NegPower
	}
	switch {
	case c.Sample == 0:
		c.Sample = d.Sample
	case c.Sample < 0:
		c.Sample = 0
	}
	if c.OOV == "" {
		c.OOV = d.OOV
	}
	if c.OOV != OOVSubword && c.OOV != OOVRareAverage {
		return c, fmt.Errorf("embed: unknown OOV policy %q (want %q or %q)", c.OOV, OOVSubword, OOVRareAverage)
	}
	if c.MaxN > 0 && c.MinN > c.MaxN {
		return c, fmt.Errorf("embed: MinN %d > MaxN %d", c.MinN, c.MaxN)
	}
	if c.MaxN == 0 {
		c.Buckets = 0
	}
	if c.Buckets > maxBuckets {
		return c, errors.New("embed: Buckets above 1<<30")
	}
	return c, nil
}

// maxBuckets bounds Buckets so that row indices fit in int32.
const maxBuckets = 1 << 30
