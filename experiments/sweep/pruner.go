package sweep

import (
	"fmt"
	"math"
	"slices"
)

// Pruner decides whether a running trial should stop early.
type Pruner interface {
	// Prune reports whether trial should stop after its latest intermediate
	// value (Trial.LastStep), judged against history; an entry of history
	// with trial's Number is ignored. Call it after every Report.
	Prune(trial Trial, history []Trial) (bool, error)
}

// Median is Optuna's MedianPruner: it prunes a trial whose best
// intermediate value so far is worse than the median of the Complete
// trials' values at its latest step. NewMedian sets Optuna's defaults.
type Median struct {
	// Direction of the intermediate values (zero value: Minimize).
	Direction Direction
	// StartupTrials: no pruning before this many trials are Complete (default 5).
	StartupTrials int
	// WarmupSteps: no pruning at steps below it (default 0).
	WarmupSteps int
	// IntervalSteps: prune only at the first report in each interval of this
	// many steps after WarmupSteps (default 1, at least 1).
	IntervalSteps int
	// MinTrials: no pruning at a step fewer Complete trials reached (default 1).
	MinTrials int
}

// NewMedian returns a median pruner with Optuna's defaults.
func NewMedian(dir Direction) *Median {
	return &Median{Direction: dir, StartupTrials: 5, WarmupSteps: 0, IntervalSteps: 1, MinTrials: 1}
}

// Prune applies the median rule; a NaN intermediate everywhere prunes.
func (m *Median) Prune(trial Trial, history []Trial) (bool, error) {
	if err := m.Direction.Validate(); err != nil {
		return false, fmt.Errorf("median pruner: %w", err)
	}
	if m.IntervalSteps < 1 || m.WarmupSteps < 0 || m.StartupTrials < 0 {
		return false, fmt.Errorf("median pruner: need IntervalSteps >= 1, WarmupSteps >= 0, StartupTrials >= 0")
	}
	var complete []*Trial
	for i := range history {
		if history[i].State == Complete && history[i].Number != trial.Number {
			complete = append(complete, &history[i])
		}
	}
	if len(complete) == 0 || len(complete) < m.StartupTrials {
		return false, nil
	}
	steps := trial.steps()
	if len(steps) == 0 {
		return false, nil
	}
	step := steps[len(steps)-1]
	if step < m.WarmupSteps {
		return false, nil
	}
	// The first report at or after the interval's start is the one judged.
	start := (step-m.WarmupSteps)/m.IntervalSteps*m.IntervalSteps + m.WarmupSteps
	if len(steps) > 1 && steps[len(steps)-2] >= start {
		return false, nil
	}
	best := math.NaN()
	for _, v := range trial.Intermediate {
		if m.Direction.Better(v, best) {
			best = v
		}
	}
	if math.IsNaN(best) {
		return true, nil
	}
	var vals []float64
	for _, t := range complete {
		if v, ok := t.Intermediate[step]; ok && !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 || len(vals) < m.MinTrials {
		return false, nil
	}
	return m.Direction.Better(median(vals), best), nil
}

// median is numpy's: the mean of the middle two of an even count.
func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// SuccessiveHalving is asynchronous successive halving (ASHA), as Optuna's
// SuccessiveHalvingPruner: rung k sits at step MinResource ·
// ReductionFactor^(MinEarlyStoppingRate+k). When a trial first reports at or
// beyond a rung, its value there competes with the values every other
// trial first reported at or beyond that rung; it goes on only if it is in
// the top 1/ReductionFactor of them (counting itself; while fewer than
// ReductionFactor compete, only if it is the best). NewSuccessiveHalving
// sets Optuna's defaults.
type SuccessiveHalving struct {
	// Direction of the intermediate values (zero value: Minimize).
	Direction Direction
	// MinResource is the step of the first rung, at least 1 (default 1).
	MinResource int
	// ReductionFactor η, at least 2 (default 3).
	ReductionFactor int
	// MinEarlyStoppingRate s shifts the rungs by η^s (default 0).
	MinEarlyStoppingRate int
	// BootstrapCount: a rung with this many or fewer competitors (the trial
	// included) prunes everything (default 0).
	BootstrapCount int
}

// NewSuccessiveHalving returns an ASHA pruner with min resource 1,
// reduction factor 3 and min early stopping rate 0.
func NewSuccessiveHalving(dir Direction) *SuccessiveHalving {
	return &SuccessiveHalving{Direction: dir, MinResource: 1, ReductionFactor: 3}
}

// RungStep is the step of rung k, or -1 when it overflows int.
func (h *SuccessiveHalving) RungStep(k int) int {
	r := h.MinResource
	for range h.MinEarlyStoppingRate + k {
		if r > math.MaxInt/h.ReductionFactor {
			return -1
		}
		r *= h.ReductionFactor
	}
	return r
}

// Prune judges the rungs between the trial's previous and latest reports;
// a NaN value at a rung prunes.
func (h *SuccessiveHalving) Prune(trial Trial, history []Trial) (bool, error) {
	if err := h.Direction.Validate(); err != nil {
		return false, fmt.Errorf("successive halving: %w", err)
	}
	if h.MinResource < 1 || h.ReductionFactor < 2 || h.MinEarlyStoppingRate < 0 || h.BootstrapCount < 0 {
		return false, fmt.Errorf("successive halving: need MinResource >= 1, ReductionFactor >= 2, " +
			"MinEarlyStoppingRate >= 0, BootstrapCount >= 0")
	}
	steps := trial.steps()
	if len(steps) == 0 {
		return false, nil
	}
	step := steps[len(steps)-1]
	prev := math.MinInt
	if len(steps) > 1 {
		prev = steps[len(steps)-2]
	}
	value := trial.Intermediate[step]
	for k := 0; ; k++ {
		rung := h.RungStep(k)
		if rung < 0 || rung > step {
			return false, nil
		}
		if rung <= prev {
			continue // judged at an earlier report
		}
		if math.IsNaN(value) {
			return true, nil
		}
		competing := []float64{value}
		for i := range history {
			if history[i].Number == trial.Number {
				continue
			}
			if v, ok := rungValue(&history[i], rung); ok {
				competing = append(competing, v)
			}
		}
		if len(competing) <= h.BootstrapCount || !h.promotable(value, competing) {
			return true, nil
		}
	}
}

// rungValue is t's value at its first reported step at or after rung.
func rungValue(t *Trial, rung int) (float64, bool) {
	first := math.MaxInt
	for s := range t.Intermediate {
		if s >= rung && s < first {
			first = s
		}
	}
	if first == math.MaxInt {
		return 0, false
	}
	v := t.Intermediate[first]
	return v, !math.IsNaN(v)
}

// promotable reports whether value is in the top 1/η of competing (which
// includes it): at least as good as the (len/η)-th best, or the best when
// fewer than η compete.
func (h *SuccessiveHalving) promotable(value float64, competing []float64) bool {
	idx := max(len(competing)/h.ReductionFactor-1, 0)
	slices.Sort(competing)
	if h.Direction == Maximize {
		return value >= competing[len(competing)-1-idx]
	}
	return value <= competing[idx]
}
