package compare

import (
	"testing"

	"github.com/vigil-ml/vigil/eval"
)

// nullRate runs reps seeded replications of a test on two models of equal
// quality and returns the one-sided p-values' rejection count at 0.05, the
// fraction below 0.5 and their mean.
func nullRate(t *testing.T, reps int, test func(seed uint64) Result) (reject int, belowHalf, mean float64) {
	t.Helper()
	for s := range reps {
		r := test(uint64(1000 + s))
		if r.P < 0.05 {
			reject++
		}
		if r.P < 0.5 {
			belowHalf++
		}
		mean += r.P
	}
	return reject, belowHalf / float64(reps), mean / float64(reps)
}

// Under H0 (two correlated models of the same quality) DeLong's one-sided
// p-value is close to uniform: over 400 seeded replications of 100
// positives and 100 negatives, 5% rejections expected (20, binomial
// standard deviation 4.4), half the p-values below 0.5 (sd 0.025) and a
// mean of 0.5 (sd 0.014); the bounds are about 3 standard deviations. A
// test that doubled its p-values (a two-sided p used as one-sided) or
// halved them would fail. Under a real difference it rejects almost
// always.
func TestDeLongNullIsUniform(t *testing.T) {
	reject, half, mean := nullRate(t, 400, func(seed uint64) Result {
		a, b, l := synth(seed, 100, 100, 1, 1)
		r, err := DeLong(a, b, l)
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
	t.Logf("DeLong under H0: %d/400 rejected at 0.05, %.3f below 0.5, mean p %.3f", reject, half, mean)
	if reject < 8 || reject > 33 || half < 0.42 || half > 0.58 || mean < 0.45 || mean > 0.55 {
		t.Errorf("DeLong under H0: %d/400 rejected at 0.05, %.3f below 0.5, mean p %.3f", reject, half, mean)
	}
	power := 0
	for s := range 100 {
		a, b, l := synth(uint64(5000+s), 100, 100, 0.8, 1.8)
		r, err := DeLong(a, b, l)
		if err != nil {
			t.Fatal(err)
		}
		if r.P < 0.05 {
			power++
		}
	}
	if power < 90 {
		t.Errorf("DeLong rejected %d/100 for a clearly better challenger", power)
	}
}

// McNemar's exact test is conservative (the binomial is discrete): under
// H0 it rejects at most about 5%, here between 4 and 33 of 400
// replications of 200 rows, each model right 80% of the time.
func TestMcNemarNullSize(t *testing.T) {
	reject, half, mean := nullRate(t, 400, func(seed uint64) Result {
		a, b, l := synth(seed, 100, 100, 1.7, 1.7)
		ca, cb := make([]bool, len(l)), make([]bool, len(l))
		for i := range l {
			ca[i], cb[i] = a[i] > 0.85, b[i] > 0.85
		}
		r, err := McNemar(ca, cb, l)
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
	t.Logf("McNemar under H0: %d/400 rejected at 0.05, %.3f below 0.5, mean p %.3f", reject, half, mean)
	if reject < 4 || reject > 33 || half > 0.58 {
		t.Errorf("McNemar under H0: %d/400 rejected at 0.05, %.3f below 0.5, mean p %.3f", reject, half, mean)
	}
}

// The paired bootstrap's p-value under H0, 200 replications of 40
// positives and 80 negatives with 200 resamples each: about 5% rejected
// (10, sd 3.1; these seeds give 2, on the low side: 1000 replications
// gave 51 in 1000) and p near uniform (fraction below 0.5 sd 0.035, mean
// sd 0.02; bounds about 3.5 sd). The upper bound on rejections, 3.2 sd,
// is the one that guards against a liberal test.
func TestPairedBootstrapAPNull(t *testing.T) {
	reject, half, mean := nullRate(t, 200, func(seed uint64) Result {
		a, b, l := synth(seed, 40, 80, 1, 1)
		r, err := PairedBootstrapAP(a, b, l, &eval.BootstrapOptions{Resamples: 200, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
	t.Logf("bootstrap AP under H0: %d/200 rejected at 0.05, %.3f below 0.5, mean p %.3f", reject, half, mean)
	if reject < 1 || reject > 20 || half < 0.38 || half > 0.62 || mean < 0.43 || mean > 0.57 {
		t.Errorf("bootstrap AP under H0: %d/200 rejected at 0.05, %.3f below 0.5, mean p %.3f", reject, half, mean)
	}
}
