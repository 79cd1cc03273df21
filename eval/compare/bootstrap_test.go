package compare

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/vigil-ml/vigil/eval"
)

// synth returns labels and two score vectors whose separations of the
// classes are champShift and challShift, sharing a per-row latent value so
// that the two models are correlated as models of the same data are.
func synth(seed uint64, pos, neg int, champShift, challShift float64) (champ, chall []float64, labels []bool) {
	rng := rand.New(rand.NewPCG(seed, 99))
	for i := range pos + neg {
		l := i < pos
		u := rng.NormFloat64()
		a, b := u+rng.NormFloat64(), u+rng.NormFloat64()
		if l {
			a += champShift
			b += challShift
		}
		labels = append(labels, l)
		champ = append(champ, a)
		chall = append(chall, b)
	}
	return champ, chall, labels
}

// Equal seeds give equal results; another seed moves the interval but not
// the point values, which are eval.AveragePrecision's.
func TestPairedBootstrapAPDeterministic(t *testing.T) {
	champ, chall, labels := synth(1, 40, 200, 1, 1.5)
	opts := &eval.BootstrapOptions{Resamples: 500, Seed: 42}
	a, err := PairedBootstrapAP(champ, chall, labels, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PairedBootstrapAP(champ, chall, labels, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different results:\n%+v\n%+v", a, b)
	}
	c, err := PairedBootstrapAP(champ, chall, labels, &eval.BootstrapOptions{Resamples: 500, Seed: 43})
	if err != nil {
		t.Fatal(err)
	}
	if c.CILo == a.CILo && c.CIHi == a.CIHi {
		t.Errorf("seeds 42 and 43 gave the same interval %v %v", a.CILo, a.CIHi)
	}
	apA, _ := eval.AveragePrecision(champ, labels)
	apB, _ := eval.AveragePrecision(chall, labels)
	if a.Champion != apA || a.Challenger != apB || a.Difference != apB-apA || c.Difference != a.Difference {
		t.Errorf("points %v %v %v, want %v %v", a.Champion, a.Challenger, a.Difference, apA, apB)
	}
	if a.Resamples != 500 || a.Alpha != 0.05 || a.Test != TestBootstrapAP || a.N != 240 || a.Positives != 40 {
		t.Errorf("%+v", a)
	}
	if !(a.CILo <= a.Difference && a.Difference <= a.CIHi) || !(a.SE > 0) {
		t.Errorf("interval [%v, %v] around %v, SE %v", a.CILo, a.CIHi, a.Difference, a.SE)
	}
	if a.PTwoSided != math.Min(1, 2*math.Min(a.P, 1-a.P)) { // no resample ties at 0 with continuous scores
		t.Errorf("p %v, two-sided %v", a.P, a.PTwoSided)
	}
}

// A clearly better challenger wins every resample (p 0, interval above 0);
// the same model against itself never leads (p 1, interval [0, 0]); and
// the roles swapped lose every resample. Unstratified resampling agrees.
func TestPairedBootstrapAPDecides(t *testing.T) {
	champ, chall, labels := synth(2, 50, 250, 0.3, 3)
	for _, unstrat := range []bool{false, true} {
		opts := &eval.BootstrapOptions{Resamples: 300, Seed: 1, Unstratified: unstrat}
		r, err := PairedBootstrapAP(champ, chall, labels, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.P != 0 || r.CILo <= 0 || r.Difference < 0.3 || r.Statistic < 3 {
			t.Errorf("better challenger (unstratified %v): %+v", unstrat, r)
		}
		r, err = PairedBootstrapAP(chall, champ, labels, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.P != 1 || r.CIHi >= 0 {
			t.Errorf("worse challenger (unstratified %v): %+v", unstrat, r)
		}
		r, err = PairedBootstrapAP(champ, champ, labels, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.P != 1 || r.PTwoSided != 1 || r.CILo != 0 || r.CIHi != 0 || r.Difference != 0 || r.SE != 0 || r.Statistic != 0 {
			t.Errorf("same model (unstratified %v): %+v", unstrat, r)
		}
	}
	if _, err := PairedBootstrapAP(champ, chall, make([]bool, len(champ)), nil); err == nil {
		t.Error("one class: no error")
	}
	if _, err := PairedBootstrapAP(champ, chall[:5], labels, nil); err == nil {
		t.Error("lengths differ: no error")
	}
	if _, err := PairedBootstrapAP(champ, chall, labels, &eval.BootstrapOptions{Alpha: 2}); err == nil {
		t.Error("alpha 2: no error")
	}
}
