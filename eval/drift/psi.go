package drift

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// PSI configuration defaults.
const (
	DefaultPSIBins    = 10
	DefaultPSIEpsilon = 1e-4
	DefaultPSIWarn    = 0.1
	DefaultPSIAlarm   = 0.25

	minPSIBins = 2
	maxPSIBins = 100
)

// PSIConfig sets up PSI and PSICategorical. The zero value of each field
// means its default.
type PSIConfig struct {
	// Bins is the number of quantile bins requested for numeric PSI, in
	// [2, 100]; zero means 10. Fewer remain when reference ties make
	// quantile edges equal. PSICategorical ignores it.
	Bins int
	// Epsilon replaces a zero bin proportion (reference or current) before
	// the logarithm, in (0, 1); zero means 1e-4. Non-zero proportions are
	// left as they are and nothing is renormalized.
	Epsilon float64
	// Warn is the PSI at or above which the level is warn; zero means 0.1.
	Warn float64
	// Alarm is the PSI at or above which the level is alarm; zero means 0.25.
	// It must be at least Warn.
	Alarm float64
}

// withDefaults fills zero fields and validates the result.
func (c PSIConfig) withDefaults() (PSIConfig, error) {
	if c.Bins == 0 {
		c.Bins = DefaultPSIBins
	}
	if c.Epsilon == 0 {
		c.Epsilon = DefaultPSIEpsilon
	}
	if c.Warn == 0 {
		c.Warn = DefaultPSIWarn
	}
	if c.Alarm == 0 {
		c.Alarm = DefaultPSIAlarm
	}
	switch {
	case c.Bins < minPSIBins || c.Bins > maxPSIBins:
		return c, fmt.Errorf("drift: PSI bins %d outside [%d, %d]", c.Bins, minPSIBins, maxPSIBins)
	case !(c.Epsilon > 0 && c.Epsilon < 1):
		return c, fmt.Errorf("drift: PSI epsilon %v outside (0, 1)", c.Epsilon)
	case !(c.Warn > 0) || math.IsInf(c.Warn, 0):
		return c, fmt.Errorf("drift: PSI warn threshold %v must be positive and finite", c.Warn)
	case !(c.Alarm >= c.Warn) || math.IsInf(c.Alarm, 0):
		return c, fmt.Errorf("drift: PSI alarm threshold %v must be finite and at least warn %v", c.Alarm, c.Warn)
	}
	return c, nil
}

// Level grades a PSI value.
type Level string

// PSI levels: ok below Warn, warn in [Warn, Alarm), alarm at or above Alarm.
const (
	LevelOK    Level = "ok"
	LevelWarn  Level = "warn"
	LevelAlarm Level = "alarm"
)

func levelOf(psi, warn, alarm float64) Level {
	switch {
	case psi >= alarm:
		return LevelAlarm
	case psi >= warn:
		return LevelWarn
	default:
		return LevelOK
	}
}

// PSIBin is one row of the PSI table.
type PSIBin struct {
	// Lower and Upper bound a numeric bin, which holds x with
	// Lower < x <= Upper. The first bin's Lower is -Inf and the last bin's
	// Upper is +Inf, so every value lands in a bin. Both are zero for
	// categorical bins. (encoding/json rejects the infinities: format them.)
	Lower, Upper float64
	// Category names a categorical bin; empty for numeric bins.
	Category string
	// ReferenceCount and CurrentCount count the values in the bin.
	ReferenceCount, CurrentCount int
	// ReferenceProportion and CurrentProportion are count / sample size,
	// before the epsilon replacement.
	ReferenceProportion, CurrentProportion float64
	// Contribution is (c - r)·ln(c / r) with c and r the proportions after
	// zero proportions are replaced by epsilon; PSI is their sum.
	Contribution float64
}

// PSIResult is the outcome of PSI or PSICategorical.
type PSIResult struct {
	PSI   float64
	Level Level
	// Bins holds one row per bin: quantile bins in increasing order, or
	// categories in lexicographic order.
	Bins []PSIBin
	// RequestedBins is the configured number of quantile bins (0 for
	// categorical); len(Bins) is what remained after deduplicating edges.
	RequestedBins int
	// Epsilon, Warn and Alarm are the settings used, defaults applied.
	Epsilon, Warn, Alarm float64
}

// PSI returns the population stability index of current against reference,
// PSI = Σ (c_i - r_i)·ln(c_i / r_i) over bins with proportions r_i and c_i.
//
// Bins come from the reference: the interior edges are its k/Bins quantiles,
// k = 1..Bins-1, by linear interpolation between order statistics (numpy's
// default quantile method). Equal edges, from ties in the reference, are
// merged, so fewer bins may remain (never fewer than 2). A bin holds x with
// lower < x <= upper, so a tied value falls in the bin its edge closes; the
// first and last bins extend to -Inf and +Inf, so current values outside the
// reference range are counted there.
// A zero proportion on either side is replaced by cfg.Epsilon (others are
// left unchanged), which keeps the logarithm finite; an empty bin therefore
// contributes about |p|·ln(p/ε) for the other side's proportion p.
//
// Errors: an empty sample, NaN in either sample, ±Inf in the reference (it
// defines the edges; ±Inf in current is fine), or an invalid cfg.
func PSI(reference, current []float64, cfg PSIConfig) (PSIResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return PSIResult{}, err
	}
	if err := checkSample("reference", reference, true); err != nil {
		return PSIResult{}, err
	}
	if err := checkSample("current", current, false); err != nil {
		return PSIResult{}, err
	}
	ref := slices.Clone(reference)
	slices.Sort(ref)
	edges := quantileEdges(ref, cfg.Bins)

	bins := make([]PSIBin, len(edges)+1)
	for i := range bins {
		bins[i].Lower, bins[i].Upper = math.Inf(-1), math.Inf(1)
		if i > 0 {
			bins[i].Lower = edges[i-1]
		}
		if i < len(edges) {
			bins[i].Upper = edges[i]
		}
	}
	for _, v := range ref {
		bins[binIndex(edges, v)].ReferenceCount++
	}
	for _, v := range current {
		bins[binIndex(edges, v)].CurrentCount++
	}
	return finishPSI(bins, len(reference), len(current), cfg, cfg.Bins), nil
}

// PSICategorical returns the population stability index over category
// frequencies, with one bin per category seen in either sample (a category
// only in current counts, with reference proportion epsilon). Zero
// proportions are handled as in PSI; cfg.Bins is ignored. Errors: an empty
// sample or an invalid cfg.
func PSICategorical(reference, current []string, cfg PSIConfig) (PSIResult, error) {
	cfg.Bins = DefaultPSIBins // ignored, keeps validation of the rest
	cfg, err := cfg.withDefaults()
	if err != nil {
		return PSIResult{}, err
	}
	if len(reference) == 0 {
		return PSIResult{}, fmt.Errorf("%w: reference has no values", ErrEmpty)
	}
	if len(current) == 0 {
		return PSIResult{}, fmt.Errorf("%w: current has no values", ErrEmpty)
	}
	refCount := make(map[string]int)
	curCount := make(map[string]int)
	for _, s := range reference {
		refCount[s]++
	}
	for _, s := range current {
		curCount[s]++
	}
	cats := make([]string, 0, len(refCount)+len(curCount))
	for s := range refCount {
		cats = append(cats, s)
	}
	for s := range curCount {
		if _, ok := refCount[s]; !ok {
			cats = append(cats, s)
		}
	}
	slices.Sort(cats)
	bins := make([]PSIBin, len(cats))
	for i, s := range cats {
		bins[i] = PSIBin{Category: s, ReferenceCount: refCount[s], CurrentCount: curCount[s]}
	}
	return finishPSI(bins, len(reference), len(current), cfg, 0), nil
}

// finishPSI fills proportions and contributions from the counts.
func finishPSI(bins []PSIBin, nRef, nCur int, cfg PSIConfig, requested int) PSIResult {
	res := PSIResult{Bins: bins, RequestedBins: requested, Epsilon: cfg.Epsilon, Warn: cfg.Warn, Alarm: cfg.Alarm}
	for i := range bins {
		b := &bins[i]
		b.ReferenceProportion = float64(b.ReferenceCount) / float64(nRef)
		b.CurrentProportion = float64(b.CurrentCount) / float64(nCur)
		r, c := b.ReferenceProportion, b.CurrentProportion
		if r == 0 {
			r = cfg.Epsilon
		}
		if c == 0 {
			c = cfg.Epsilon
		}
		b.Contribution = (c - r) * math.Log(c/r)
		res.PSI += b.Contribution
	}
	res.Level = levelOf(res.PSI, cfg.Warn, cfg.Alarm)
	return res
}

// quantileEdges returns the strictly increasing interior edges: the k/bins
// quantiles of the sorted, finite sample, k = 1..bins-1, with duplicates
// dropped.
func quantileEdges(sorted []float64, bins int) []float64 {
	n := len(sorted)
	edges := make([]float64, 0, bins-1)
	for k := 1; k < bins; k++ {
		// Position h = (n-1)·k/bins, split exactly into index and fraction.
		num := (n - 1) * k
		j, frac := num/bins, float64(num%bins)/float64(bins)
		q := sorted[j]
		if frac > 0 {
			lo, hi := sorted[j], sorted[j+1]
			if d := hi - lo; !math.IsInf(d, 0) {
				q = lo + frac*d
			} else {
				q = lo*(1-frac) + hi*frac
			}
			q = min(max(q, lo), hi)
		}
		if len(edges) == 0 || q > edges[len(edges)-1] {
			edges = append(edges, q)
		}
	}
	return edges
}

// binIndex returns the bin of v: the number of edges strictly below v.
func binIndex(edges []float64, v float64) int {
	return sort.SearchFloat64s(edges, v)
}
