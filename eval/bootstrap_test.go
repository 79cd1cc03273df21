package eval

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// Over 400 independent normal samples the 95% percentile interval of the
// mean should cover the true mean at roughly its nominal rate.
func TestBootstrapMeanCoverage(t *testing.T) {
	const (
		reps      = 400
		n         = 60
		trueMean  = 3.0
		sd        = 2.0
		resamples = 400
	)
	rng := rand.New(rand.NewPCG(11, 12))
	covered := 0
	values := make([]float64, n)
	for rep := range reps {
		for i := range values {
			values[i] = trueMean + sd*rng.NormFloat64()
		}
		ci, err := BootstrapMean(values, &BootstrapOptions{Resamples: resamples, Seed: uint64(rep)})
		if err != nil {
			t.Fatal(err)
		}
		if !(ci.Lo <= ci.Point && ci.Point <= ci.Hi) {
			t.Fatalf("rep %d: point %v outside [%v, %v]", rep, ci.Point, ci.Lo, ci.Hi)
		}
		if ci.Lo <= trueMean && trueMean <= ci.Hi {
			covered++
		}
	}
	rate := float64(covered) / reps
	t.Logf("coverage of the 95%% interval: %.3f", rate)
	if rate < 0.90 || rate > 0.99 {
		t.Errorf("coverage %.3f outside [0.90, 0.99]", rate)
	}
}

// With a metric returning 1, 2, ..., 101 in turn, the 90% interval is the
// 5th and 95th percentile of 1..101, which are 6 and 96.
func TestBootstrapPercentileRule(t *testing.T) {
	calls := 0
	ci, err := Bootstrap(3, 101, 0.1, 7, func([]int) (float64, bool) {
		calls++
		return float64(calls - 1), true // 0 for the point, then 1..101
	})
	if err != nil {
		t.Fatal(err)
	}
	if ci.Point != 0 || ci.Lo != 6 || ci.Hi != 96 || ci.Resamples != 101 || ci.Skipped != 0 || ci.Alpha != 0.1 {
		t.Errorf("got %+v, want Point 0, Lo 6, Hi 96, 101 resamples", ci)
	}
	// Interpolation: 1..4 at q = 0.025 and 0.975 is 1.075 and 3.925.
	calls = 0
	ci, err = Bootstrap(3, 4, 0.05, 7, func([]int) (float64, bool) {
		calls++
		return float64(calls - 1), true
	})
	if err != nil || !near(ci.Lo, 1.075) || !near(ci.Hi, 3.925) {
		t.Errorf("interpolated: %+v, %v; want Lo 1.075, Hi 3.925", ci, err)
	}
}

func TestBootstrapSkipsSingleClassResamples(t *testing.T) {
	labels := make([]bool, 10)
	labels[3] = true
	const resamples = 1000
	declined := 0
	first := true
	ci, err := Bootstrap(len(labels), resamples, 0.05, 5, func(idx []int) (float64, bool) {
		pos := 0
		for _, i := range idx {
			if labels[i] {
				pos++
			}
		}
		if first {
			first = false
		} else if pos == 0 {
			declined++
		}
		return float64(pos), pos > 0
	})
	if err != nil {
		t.Fatal(err)
	}
	if ci.Skipped != declined || ci.Resamples+ci.Skipped != resamples {
		t.Errorf("Skipped %d, Resamples %d; metric declined %d of %d", ci.Skipped, ci.Resamples, declined, resamples)
	}
	// P(no positive in 10 draws) = 0.9^10 = 0.349.
	if rate := float64(ci.Skipped) / resamples; rate < 0.29 || rate > 0.41 {
		t.Errorf("skipped fraction %.3f, want about 0.349", rate)
	}
}

func TestStratifiedBootstrapKeepsClassCounts(t *testing.T) {
	labels := []bool{false, true, false, false, false, true, false, false, false, false, false, true}
	bad := 0
	ci, err := StratifiedBootstrap(labels, 500, 0.05, 9, func(idx []int) (float64, bool) {
		for i, j := range idx {
			if labels[j] != labels[i] {
				bad++
			}
		}
		return 0, true
	})
	if err != nil {
		t.Fatal(err)
	}
	if bad != 0 || ci.Skipped != 0 || ci.Resamples != 500 {
		t.Errorf("%d class changes, %+v", bad, ci)
	}
}

func TestBootstrapDeterministic(t *testing.T) {
	values := []float64{1, 4, 2, 8, 5, 7}
	a, errA := BootstrapMean(values, &BootstrapOptions{Seed: 3, Resamples: 200})
	b, errB := BootstrapMean(values, &BootstrapOptions{Seed: 3, Resamples: 200})
	c, errC := BootstrapMean(values, &BootstrapOptions{Seed: 4, Resamples: 200})
	if err := errors.Join(errA, errB, errC); err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("same seed: %+v and %+v", a, b)
	}
	if a == c {
		t.Errorf("seeds 3 and 4 gave the same interval %+v", a)
	}
	if a.Resamples != 200 || a.Alpha != DefaultAlpha || !near(a.Point, 4.5) {
		t.Errorf("options not applied: %+v", a)
	}
	if d, err := BootstrapMean(values, nil); err != nil || d.Resamples != DefaultResamples {
		t.Errorf("nil options: %+v, %v", d, err)
	}
}

func TestBootstrapScores(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	n := 300
	scores := make([]float64, n)
	labels := make([]bool, n)
	for i := range n {
		labels[i] = i%30 == 0 // 10 positives
		scores[i] = rng.NormFloat64()
		if labels[i] {
			scores[i] += 1.5
		}
	}
	ap, err := AveragePrecision(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	strat, err := BootstrapScores(scores, labels, AveragePrecision, &BootstrapOptions{Resamples: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if strat.Point != ap || strat.Skipped != 0 || !(strat.Lo < ap && ap < strat.Hi) {
		t.Errorf("stratified: %+v, AP %v", strat, ap)
	}
	// Two positives in 300: plain resampling often draws none.
	few := make([]bool, n)
	few[0], few[1] = true, true
	plain, err := BootstrapScores(scores, few, ROCAUC, &BootstrapOptions{Resamples: 300, Seed: 1, Unstratified: true})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Skipped == 0 || plain.Skipped+plain.Resamples != 300 {
		t.Errorf("unstratified with 2 positives: %+v, want skipped resamples", plain)
	}
	failing := func([]float64, []bool) (float64, error) { return 0, errors.New("boom") }
	if _, err := BootstrapScores(scores, labels, failing, nil); err == nil {
		t.Error("metric error not returned")
	}
	calls := 0
	laterFailing := func(s []float64, l []bool) (float64, error) {
		if calls++; calls > 3 {
			return 0, errors.New("boom")
		}
		return 1, nil
	}
	if _, err := BootstrapScores(scores, labels, laterFailing, &BootstrapOptions{Resamples: 10}); err == nil {
		t.Error("metric error on a resample not returned")
	}
}

func TestBootstrapErrors(t *testing.T) {
	ok := func([]int) (float64, bool) { return 1, true }
	cases := map[string]func() error{
		"n 0":         func() error { _, err := Bootstrap(0, 10, 0.05, 1, ok); return err },
		"resamples 0": func() error { _, err := Bootstrap(5, 0, 0.05, 1, ok); return err },
		"alpha 0":     func() error { _, err := Bootstrap(5, 10, 0, 1, ok); return err },
		"alpha 1":     func() error { _, err := Bootstrap(5, 10, 1, 1, ok); return err },
		"alpha NaN":   func() error { _, err := Bootstrap(5, 10, math.NaN(), 1, ok); return err },
		"nil metric":  func() error { _, err := Bootstrap(5, 10, 0.05, 1, nil); return err },
		"no labels":   func() error { _, err := StratifiedBootstrap(nil, 10, 0.05, 1, ok); return err },
		"point undefined": func() error {
			_, err := Bootstrap(5, 10, 0.05, 1, func([]int) (float64, bool) { return 0, false })
			return err
		},
		"NaN": func() error {
			_, err := Bootstrap(5, 10, 0.05, 1, func([]int) (float64, bool) { return math.NaN(), true })
			return err
		},
		"empty mean":    func() error { _, err := BootstrapMean(nil, nil); return err },
		"infinite mean": func() error { _, err := BootstrapMean([]float64{1, math.Inf(1)}, nil); return err },
	}
	for name, f := range cases {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	first := true
	_, err := Bootstrap(5, 10, 0.05, 1, func([]int) (float64, bool) {
		defer func() { first = false }()
		return 1, first
	})
	if !errors.Is(err, ErrAllResamplesSkipped) {
		t.Errorf("all skipped: %v, want ErrAllResamplesSkipped", err)
	}
}
