package sweep

import (
	"math"
	"testing"
)

// curve is a trial with intermediate values at steps 1, 2, ...
func curve(n int, state State, vals ...float64) Trial {
	t := Trial{Number: n, State: state}
	for i, v := range vals {
		t.Report(i+1, v)
	}
	return t
}

// medianHistory: five Complete trials (minimising), whose values per step
// sort as
//
//	step 1: 1, 2, 3, 4, 5        median 3
//	step 2: 0.8, 1.5, 2, 3, 4    median 2
//	step 3: 0.6, 1, 1.8, 2.5, 3.5 median 1.8
//
// plus a Pruned and a Running trial with tiny values, which must not count.
func medianHistory() []Trial {
	return []Trial{
		curve(0, Complete, 1, 0.8, 0.6),
		curve(1, Complete, 2, 1.5, 1.0),
		curve(2, Complete, 3, 2.0, 1.8),
		curve(3, Complete, 4, 3.0, 2.5),
		curve(4, Complete, 5, 4.0, 3.5),
		curve(5, Pruned, 0.1),
		curve(6, Running, 0.1, 0.1),
	}
}

// TestMedianPruner checks hand-computed decisions of the median rule.
func TestMedianPruner(t *testing.T) {
	h := medianHistory()
	for _, tc := range []struct {
		name  string
		trial Trial
		hist  []Trial
		edit  func(*Median)
		want  bool
	}{
		// best so far 2.5 <= median 3 at step 1: continue.
		{"better than median", curve(9, Running, 2.5), h, nil, false},
		// 3.5 > 3: prune.
		{"worse than median", curve(9, Running, 3.5), h, nil, true},
		// equal is not worse.
		{"equal to median", curve(9, Running, 3.0), h, nil, false},
		// step 2: best so far min(2.5, 2.6) = 2.5 > median 2: prune.
		{"best so far worse at step 2", curve(9, Running, 2.5, 2.6), h, nil, true},
		// step 3: best so far 1.7 <= 1.8: continue, though step 2 was bad.
		{"best so far counts earlier steps", curve(9, Running, 2.5, 2.6, 1.7), h, nil, false},
		// only 4 Complete trials (< 5 startup): never prune.
		{"startup", curve(9, Running, 100), h[1:], nil, false},
		// startup 4: median of 2, 3, 4, 5 is 3.5; 3.6 > 3.5: prune, 3.5 not.
		{"even count prunes", curve(9, Running, 3.6), h[1:], func(m *Median) { m.StartupTrials = 4 }, true},
		{"even count keeps", curve(9, Running, 3.5), h[1:], func(m *Median) { m.StartupTrials = 4 }, false},
		// warmup 2: step 1 is never judged.
		{"warmup", curve(9, Running, 100), h, func(m *Median) { m.WarmupSteps = 2 }, false},
		// no Complete trial reached step 4: no median, continue.
		{"no values at step", curve(9, Running, 9, 9, 9, 9), h, nil, false},
		// interval 2 (warmup 0): steps {1, 2} judge step 2 (first report in
		// [2, 4)); 2.5 > 2: prune.
		{"interval judged", curve(9, Running, 2.5, 2.5), h, func(m *Median) { m.IntervalSteps = 2 }, true},
		// steps {1, 2, 3}: step 3 is in the interval [2, 4) already judged at
		// step 2: continue whatever the value.
		{"interval skipped", curve(9, Running, 2.5, 2.5, 9), h, func(m *Median) { m.IntervalSteps = 2 }, false},
		// NaN everywhere: prune.
		{"nan", curve(9, Running, math.NaN()), h, nil, true},
		// no report yet.
		{"no report", Trial{Number: 9, State: Running}, h, nil, false},
		// the trial itself in history (as Complete) is ignored: 4 others < 5.
		{"self ignored", curve(4, Running, 100), h[:5], nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMedian(Minimize)
			if tc.edit != nil {
				tc.edit(m)
			}
			got, err := m.Prune(tc.trial, tc.hist)
			if err != nil || got != tc.want {
				t.Errorf("prune %v (%v), want %v", got, err, tc.want)
			}
		})
	}
}

// TestMedianMaximize negates the curves: medians -3 at step 1; -2.5 >= -3
// continues, -3.5 < -3 prunes.
func TestMedianMaximize(t *testing.T) {
	var h []Trial
	for _, tr := range medianHistory() {
		for s, v := range tr.Intermediate {
			tr.Intermediate[s] = -v
		}
		h = append(h, tr)
	}
	m := NewMedian(Maximize)
	for v, want := range map[float64]bool{-2.5: false, -3.5: true, -3: false} {
		if got, err := m.Prune(curve(9, Running, v), h); err != nil || got != want {
			t.Errorf("value %v: prune %v (%v), want %v", v, got, err, want)
		}
	}
	m.IntervalSteps = 0
	if _, err := m.Prune(curve(9, Running, 1), h); err == nil {
		t.Error("IntervalSteps 0: want an error")
	}
}

// ashaHistory (minimising, η = 3, rungs at steps 1, 3, 9):
//
//	#0 Complete {1: 0.9, 3: 0.7, 9: 0.5}
//	#1 Pruned   {1: 0.5, 3: 0.4}
//	#2 Pruned   {1: 0.8}
//	#3 Complete {1: 0.2, 3: 0.3, 9: 0.25}
//	#4 Failed   {2: 0.6}  first report after rung 1 counts there: 0.6
func ashaHistory() []Trial {
	return []Trial{
		{Number: 0, State: Complete, Intermediate: map[int]float64{1: 0.9, 3: 0.7, 9: 0.5}},
		{Number: 1, State: Pruned, Intermediate: map[int]float64{1: 0.5, 3: 0.4}},
		{Number: 2, State: Pruned, Intermediate: map[int]float64{1: 0.8}},
		{Number: 3, State: Complete, Intermediate: map[int]float64{1: 0.2, 3: 0.3, 9: 0.25}},
		{Number: 4, State: Failed, Intermediate: map[int]float64{2: 0.6}},
	}
}

// TestSuccessiveHalving checks hand-computed ASHA decisions. At rung k a
// trial competes with the others' values there plus its own; with c
// values it must be at least as good as the (c/3)-th best (the best when
// c < 3).
func TestSuccessiveHalving(t *testing.T) {
	h := ashaHistory()
	steps := func(kv ...float64) Trial {
		tr := Trial{Number: 9, State: Running}
		for i := 0; i < len(kv); i += 2 {
			tr.Report(int(kv[i]), kv[i+1])
		}
		return tr
	}
	more := append(ashaHistory(), // rung-1 values 0.6 and 0.5 added
		Trial{Number: 5, State: Pruned, Intermediate: map[int]float64{1: 0.3, 3: 0.6}},
		Trial{Number: 6, State: Pruned, Intermediate: map[int]float64{1: 0.3, 3: 0.5}})
	for _, tc := range []struct {
		name  string
		trial Trial
		hist  []Trial
		edit  func(*SuccessiveHalving)
		want  bool
	}{
		// rung 0 (step 1): 0.9, 0.5, 0.8, 0.2, 0.6 and 0.1: 6 values, 6/3 = 2:
		// sorted 0.1, 0.2, ...: 0.1 <= 0.2 (2nd): continue.
		{"rung 0 top", steps(1, 0.1), h, nil, false},
		// 0.2 ties the 2nd best (0.2, 0.2): continue.
		{"rung 0 tie", steps(1, 0.2), h, nil, false},
		// 0.45: sorted 0.2, 0.45, 0.5, ...: it is the 2nd best: continue.
		{"rung 0 second", steps(1, 0.45), h, nil, false},
		// 0.55: sorted 0.2, 0.5, 0.55: 0.55 > 0.5: prune.
		{"rung 0 third", steps(1, 0.55), h, nil, true},
		// step 2 lies between rungs: nothing to judge, even a bad value.
		{"between rungs", steps(1, 0.1, 2, 0.99), h, nil, false},
		// rung 1 (step 3): 0.7, 0.4, 0.3, 0.6 (#4's step 2 is before the rung,
		// so #4 has none) and 0.35: 4 values, 4/3-1 = 0: must be the best:
		// 0.35 > 0.3: prune.
		{"rung 1 not best", steps(1, 0.1, 2, 0.2, 3, 0.35), h, nil, true},
		{"rung 1 best", steps(1, 0.1, 2, 0.2, 3, 0.25), h, nil, false},
		// with #5, #6: rung 1 values 0.7, 0.4, 0.3, 0.6, 0.5 + own: 6, index 1.
		// 0.35: sorted 0.3, 0.35: continue; 0.45: sorted 0.3, 0.4: prune.
		{"rung 1 top third", steps(1, 0.1, 3, 0.35), more, nil, false},
		{"rung 1 below top third", steps(1, 0.1, 3, 0.45), more, nil, true},
		// first report at step 5 judges rung 0 and rung 1 with its value 0.25:
		// rung 0: sorted 0.2, 0.25, ... (6 values): 2nd best: continue; rung 1:
		// 0.7, 0.4, 0.3 and 0.25: 4 values, must be the best, is: continue.
		{"skipped rungs", steps(5, 0.25), h, nil, false},
		// the same at 0.35: rung 0 sorted 0.2, 0.35: continue; rung 1: 0.35 >
		// 0.3: prune.
		{"skipped rungs pruned at rung 1", steps(5, 0.35), h, nil, true},
		// first trial: alone at rung 0, it is the best: continue.
		{"first trial", steps(1, 9), nil, nil, false},
		// two trials: fewer than η, must be the best: 0.95 > 0.9: prune.
		{"second trial", steps(1, 0.95), h[:1], nil, true},
		// NaN at a rung: prune.
		{"nan", steps(1, math.NaN()), h, nil, true},
		// min early stopping rate 1: rungs at 3, 9; step 1 is not a rung.
		{"rate 1 step 1", steps(1, 0.99), h, func(p *SuccessiveHalving) { p.MinEarlyStoppingRate = 1 }, false},
		// rate 1, step 3 is rung 0: same competitors as rung 1 above: prune.
		{"rate 1 step 3", steps(1, 0.99, 3, 0.35), h, func(p *SuccessiveHalving) { p.MinEarlyStoppingRate = 1 }, true},
		// bootstrap 6: rung 0 has 6 values (<= 6): prune.
		{"bootstrap", steps(1, 0.1), h, func(p *SuccessiveHalving) { p.BootstrapCount = 6 }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewSuccessiveHalving(Minimize)
			if tc.edit != nil {
				tc.edit(p)
			}
			got, err := p.Prune(tc.trial, tc.hist)
			if err != nil || got != tc.want {
				t.Errorf("prune %v (%v), want %v", got, err, tc.want)
			}
		})
	}
}

// TestSuccessiveHalvingMaximize negates ashaHistory: rung 0 values -0.9,
// -0.5, -0.8, -0.2, -0.6 and own: 6 values, the 2nd highest is -0.2 (or own).
func TestSuccessiveHalvingMaximize(t *testing.T) {
	var h []Trial
	for _, tr := range ashaHistory() {
		for s, v := range tr.Intermediate {
			tr.Intermediate[s] = -v
		}
		h = append(h, tr)
	}
	p := NewSuccessiveHalving(Maximize)
	for v, want := range map[float64]bool{-0.45: false, -0.55: true, -0.1: false} {
		tr := Trial{Number: 9}
		tr.Report(1, v)
		if got, err := p.Prune(tr, h); err != nil || got != want {
			t.Errorf("value %v: prune %v (%v), want %v", v, got, err, want)
		}
	}
	if got := []int{p.RungStep(0), p.RungStep(1), p.RungStep(2)}; got[0] != 1 || got[1] != 3 || got[2] != 9 {
		t.Errorf("rungs %v, want 1 3 9", got)
	}
	p.MinResource = 2
	p.MinEarlyStoppingRate = 1
	if got := p.RungStep(1); got != 18 {
		t.Errorf("r=2 s=1: rung 1 at %d, want 18", got)
	}
	if got := p.RungStep(100); got != -1 {
		t.Errorf("overflow: %d", got)
	}
	p.ReductionFactor = 1
	if _, err := p.Prune(Trial{}, nil); err == nil {
		t.Error("ReductionFactor 1: want an error")
	}
}
