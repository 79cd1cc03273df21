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
}

// modelSystems are the model's systems from its per-position scores: the
// seed's (a trace scores the largest 1 - p(call) of its calls) and Kim et
// al.'s (the mean negative log-likelihood of its calls).
func (d *data) modelSystems(r tasks.Result, kind string) ([]system, error) {
	L := d.cfg.Windows.Length
	test := d.test()
	valWhere := scorePositions(d.val, L, d.cfg.Windows.ScoreContext)
	testWhere := scorePositions(test, L, d.cfg.Windows.ScoreContext)
	get := func(set, name string, where []window, ts []trace) ([][]float64, error) {
		s, ok := r.Named(set, name)
		if !ok {
			return nil, fmt.Errorf("syscalls: the %s model gave no %q score for %s (a next-call model scores each call)", kind, name, set)
		}
		if s.Width != L || len(s.Values) != len(where)*L {
			return nil, fmt.Errorf("syscalls: %s score %q of %s has %d values of width %d, want %d windows of %d", kind, name, set, len(s.Values), s.Width, len(where), L)
		}
		return callScores(ts, where, s.Values, L, math.NaN()), nil
	}
	var out []system
	for _, agg := range []struct {
		score, name string
		reduce      func([]float64) float64
	}{{"one_minus_p", kind + " max(1-p)", maxOf}, {"nll", kind + " mean NLL", meanOf}} {
		vc, err := get("validation", agg.score, valWhere, d.val)
		if err != nil {
			return nil, err
		}
		tc, err := get("test", agg.score, testWhere, test)
		if err != nil {
			return nil, err
		}
		out = append(out, system{Name: agg.name, Val: reduceAll(vc, agg.reduce), Test: reduceAll(tc, agg.reduce), ValCalls: vc, TestCalls: tc})
	}
	return out, nil
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
		one := model[1]
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
