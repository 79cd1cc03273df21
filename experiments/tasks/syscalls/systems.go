package syscalls

import (
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/eval/baseline"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// system is one detector's scores: per trace of validation and test, and
// per call (for LID-DS), with what it is called.
type system struct {
	Name string
	// Val and Test are trace scores (test: normal traces then attacks).
	Val, Test []float64
	// ValCalls and TestCalls are per-call scores in trace order (NaN: not
	// scored), for the LID-DS metrics.
	ValCalls, TestCalls [][]float64
	primary             bool // the system an ensemble's single models are shown by
}

// modelSystems are the model's systems. A next-call model's per-position
// scores give the seed's system (a trace scores the largest 1 - p(call) of
// its calls) and Kim et al.'s (the mean negative log-likelihood of its
// calls). Any other model's scores, per position (Width = window length)
// or per window (Width 1, given to every call the window scores), each
// give two systems: a trace scores its largest call, or the mean over its
// calls. The system a single model of an ensemble is shown by is marked
// primary (the mean NLL; another model's first score, largest call).
func (d *data) modelSystems(r tasks.Result, kind string) ([]system, error) {
	at := d.placement()
	if _, ok := r.Named("validation", "one_minus_p"); ok {
		return d.nextCallSystems(r, at, kind)
	}
	L := d.cfg.Windows.Length
	var out []system
	for i, s := range r.Scores["validation"] {
		if s.Width != 1 && s.Width != L {
			return nil, fmt.Errorf("syscalls: the %s model's score %q has width %d: want one value per call of a window (%d) or per window (1)", kind, s.Name, s.Width, L)
		}
		unit := "call"
		if s.Width == 1 {
			unit = "window"
		}
		for _, agg := range []struct {
			name   string
			reduce func([]float64) float64
		}{{"max", maxOf}, {"mean", meanOf}} {
			sys, err := d.system(r, at, kind, s.Name, fmt.Sprintf("%s %s (%s %s)", kind, s.Name, agg.name, unit), agg.reduce, s.Width == 1)
			if err != nil {
				return nil, err
			}
			sys.primary = i == 0 && agg.name == "max"
			out = append(out, sys)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("syscalls: the %s model gave no validation scores", kind)
	}
	return out, nil
}

// nextCallSystems are a next-call model's systems (see modelSystems).
func (d *data) nextCallSystems(r tasks.Result, at placement, kind string) ([]system, error) {
	var out []system
	for _, agg := range []struct {
		score, name string
		reduce      func([]float64) float64
	}{{"one_minus_p", kind + " max(1-p)", maxOf}, {"nll", kind + " mean NLL", meanOf}} {
		sys, err := d.system(r, at, kind, agg.score, agg.name, agg.reduce, false)
		if err != nil {
			return nil, err
		}
		out = append(out, sys)
	}
	out[1].primary = true
	return out, nil
}

// placement is where the scoring windows of the validation and test
// traces sit, computed once for all of a model's systems.
type placement struct {
	val, test           []trace
	valWhere, testWhere []window
}

func (d *data) placement() placement {
	L, c := d.cfg.Windows.Length, d.cfg.Windows.ScoreContext
	test := d.test()
	return placement{val: d.val, test: test, valWhere: scorePositions(d.val, L, c), testWhere: scorePositions(test, L, c)}
}

// system reads score name of the validation and test sets, per call (a
// window score given to every call its window scores), and reduces each
// trace's calls.
func (d *data) system(r tasks.Result, at placement, kind, name, title string, reduce func([]float64) float64, perWindow bool) (system, error) {
	L := d.cfg.Windows.Length
	get := func(set string, ts []trace, where []window) ([][]float64, error) {
		s, ok := r.Named(set, name)
		if !ok {
			return nil, fmt.Errorf("syscalls: the %s model gave no %q score for %s", kind, name, set)
		}
		values, width := s.Values, L
		if perWindow {
			width = 1
		}
		if s.Width != width || len(values) != len(where)*width {
			return nil, fmt.Errorf("syscalls: %s score %q of %s has %d values of width %d, want %d windows of %d", kind, name, set, len(values), s.Width, len(where), width)
		}
		if perWindow {
			values = spread(values, L)
		}
		return callScores(ts, where, values, L, math.NaN()), nil
	}
	vc, err := get("validation", at.val, at.valWhere)
	if err != nil {
		return system{}, err
	}
	tc, err := get("test", at.test, at.testWhere)
	if err != nil {
		return system{}, err
	}
	return system{Name: title, Val: reduceAll(vc, reduce), Test: reduceAll(tc, reduce), ValCalls: vc, TestCalls: tc}, nil
}

// spread repeats every window's value at its L positions.
func spread(values []float64, L int) []float64 {
	out := make([]float64, 0, len(values)*L)
	for _, v := range values {
		for range L {
			out = append(out, v)
		}
	}
	return out
}

// ensembleSystems are the model's systems, averaged over the models of an
// ensemble, and (for several models) each model's mean-NLL system alone.
func (d *data) ensembleSystems(results []tasks.Result, kind string) (ensemble, singles []system, err error) {
	var per [][]system
	for _, r := range results {
		s, err := d.modelSystems(r, kind)
		if err != nil {
			return nil, nil, err
		}
		per = append(per, s)
	}
	if len(per) == 1 {
		return per[0], nil, nil
	}
	for j := range per[0] {
		avg := system{Name: fmt.Sprintf("%s, ensemble of %d", per[0][j].Name, len(per))}
		for _, model := range per {
			x := model[j]
			avg.Val = addTo(avg.Val, x.Val, len(per))
			avg.Test = addTo(avg.Test, x.Test, len(per))
			avg.ValCalls = addAllTo(avg.ValCalls, x.ValCalls, len(per))
			avg.TestCalls = addAllTo(avg.TestCalls, x.TestCalls, len(per))
		}
		ensemble = append(ensemble, avg)
	}
	for k, model := range per {
		one := model[0]
		for _, x := range model {
			if x.primary {
				one = x
			}
		}
		one.Name = fmt.Sprintf("%s, model %d", one.Name, k+1)
		singles = append(singles, one)
	}
	return ensemble, singles, nil
}

// addTo adds x/n to sum elementwise (sum nil: zeros).
func addTo(sum, x []float64, n int) []float64 {
	if sum == nil {
		sum = make([]float64, len(x))
	}
	for i, v := range x {
		sum[i] += v / float64(n)
	}
	return sum
}

func addAllTo(sum, x [][]float64, n int) [][]float64 {
	if sum == nil {
		sum = make([][]float64, len(x))
	}
	for i := range x {
		sum[i] = addTo(sum[i], x[i], n)
	}
	return sum
}

// stideSystems fits STIDE for every configured n on the training streams.
func (d *data) stideSystems() ([]system, error) {
	var out []system
	train := allStreams(d.train)
	for _, n := range d.cfg.Eval.StideN {
		m, err := baseline.STIDE{N: n, Frame: d.cfg.Eval.StideFrame}.Fit(train)
		if err != nil {
			return nil, err
		}
		sys := system{Name: fmt.Sprintf("STIDE n=%d", n)}
		sys.ValCalls = stideCalls(m, d.val)
		sys.TestCalls = stideCalls(m, d.test())
		sys.Val = reduceAll(sys.ValCalls, maxOf)
		sys.Test = reduceAll(sys.TestCalls, maxOf)
		out = append(out, sys)
		if len(out) == 1 {
			// The headline n also as a mismatch rate: the fraction of the
			// trace's windows never seen in training.
			rate := system{Name: fmt.Sprintf("STIDE n=%d mismatch rate", n)}
			rate.Val, rate.Test = mismatchRates(m, d.val), mismatchRates(m, d.test())
			out = append(out, rate)
		}
	}
	return out, nil
}

// mismatchRates are, per trace, the fraction of its streams' windows that
// STIDE's database lacks.
func mismatchRates(m *baseline.STIDEModel, ts []trace) []float64 {
	out := make([]float64, len(ts))
	for i, t := range ts {
		miss, all := 0, 0
		for _, s := range t.Streams {
			for _, x := range m.Mismatches(s.IDs) {
				all++
				if x {
					miss++
				}
			}
		}
		if all > 0 {
			out[i] = float64(miss) / float64(all)
		}
	}
	return out
}

// stideCalls are STIDE's per-call scores (the locality frame count of the
// window ending at the call, over the frame) in trace order.
func stideCalls(m *baseline.STIDEModel, ts []trace) [][]float64 {
	out := make([][]float64, len(ts))
	for i, t := range ts {
		out[i] = make([]float64, t.Calls)
		for _, s := range t.Streams {
			for k, v := range m.CallScores(s.IDs) {
				out[i][s.Pos[k]] = v
			}
		}
	}
	return out
}

func reduceAll(calls [][]float64, f func([]float64) float64) []float64 {
	out := make([]float64, len(calls))
	for i, c := range calls {
		out[i] = f(c)
	}
	return out
}

// maxOf is the largest non-NaN value, 0 when there is none.
func maxOf(xs []float64) float64 {
	m, any := 0.0, false
	for _, x := range xs {
		if !math.IsNaN(x) && (!any || x > m) {
			m, any = x, true
		}
	}
	return m
}

// meanOf is the mean of the non-NaN values, 0 when there is none.
func meanOf(xs []float64) float64 {
	var s float64
	n := 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}
