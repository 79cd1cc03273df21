package sweep

import (
	"math"
	"reflect"
	"testing"
)

// TestRandomBoundsAndSteps draws 6000 points and checks bounds, types,
// steps, and that each step value and choice comes up about equally often.
func TestRandomBoundsAndSteps(t *testing.T) {
	s := mustSpace(t,
		Param{Key: "f", Kind: Float, Low: 0.5, High: 2},
		Param{Key: "fs", Kind: Float, Low: 0, High: 1, Step: 0.25},
		Param{Key: "n", Kind: Int, Low: -3, High: 7, Step: 2},
		Param{Key: "c", Kind: Choice, Choices: []any{"a", 1, false}},
		Param{Key: "k", Kind: Int, Low: 4, High: 4},
	)
	r := NewRandom(s)
	rng := newRand(1)
	const n = 6000
	counts := map[string]map[any]int{"fs": {}, "n": {}, "c": {}}
	for range n {
		pt, err := r.Sample(nil, rng)
		if err != nil {
			t.Fatal(err)
		}
		if len(pt) != 5 {
			t.Fatalf("point %v: want 5 keys", pt)
		}
		f := pt[1].Value.(float64) // order: c, f, fs, k, n
		if pt[1].Key != "f" || f < 0.5 || f > 2 {
			t.Fatalf("f = %v", pt[1])
		}
		fs := pt[2].Value.(float64)
		if math.Mod(fs, 0.25) != 0 || fs < 0 || fs > 1 {
			t.Fatalf("fs = %v", fs)
		}
		if k := pt[3].Value.(int); k != 4 {
			t.Fatalf("k = %v", k)
		}
		v := pt[4].Value.(int)
		if (v+3)%2 != 0 || v < -3 || v > 7 {
			t.Fatalf("n = %v", v)
		}
		counts["fs"][fs]++
		counts["n"][v]++
		counts["c"][pt[0].Value]++
	}
	for key, want := range map[string]int{"fs": 5, "n": 6, "c": 3} {
		if len(counts[key]) != want {
			t.Errorf("%s: %d distinct values %v, want %d", key, len(counts[key]), counts[key], want)
		}
		for v, c := range counts[key] {
			if p := float64(c) / n; math.Abs(p-1/float64(want)) > 0.03 {
				t.Errorf("%s = %v: frequency %.3f, want %.3f", key, v, p, 1/float64(want))
			}
		}
	}
}

// logBucketChi2 is the chi-square statistic of xs against the uniform
// distribution over 10 equal buckets of log x on [lo, hi].
func logBucketChi2(xs []float64, lo, hi float64) float64 {
	var counts [10]float64
	for _, x := range xs {
		b := int(10 * (math.Log(x) - math.Log(lo)) / (math.Log(hi) - math.Log(lo)))
		counts[min(max(b, 0), 9)]++
	}
	e := float64(len(xs)) / 10
	chi2 := 0.0
	for _, c := range counts {
		chi2 += (c - e) * (c - e) / e
	}
	return chi2
}

// TestRandomLogUniform checks log scale: a Float log range passes a
// chi-square test on 10 equal log buckets (9 dof, 27.88 is p = 0.001) that
// linear-uniform draws fail by orders of magnitude, and an Int log range
// [1, 100] puts about 57% of draws at <= 10 (log(10.5/0.5)/log(100.5/0.5)),
// where a linear draw would put 10%.
func TestRandomLogUniform(t *testing.T) {
	s := mustSpace(t,
		Param{Key: "lr", Kind: Float, Low: 1e-4, High: 1e-2, Log: true},
		Param{Key: "n", Kind: Int, Low: 1, High: 100, Log: true},
	)
	r := NewRandom(s)
	rng := newRand(2)
	const n = 20000
	var lrs, linear []float64
	small := 0
	for range n {
		pt, err := r.Sample(nil, rng)
		if err != nil {
			t.Fatal(err)
		}
		lr := pt[0].Value.(float64)
		if lr < 1e-4 || lr > 1e-2 {
			t.Fatalf("lr = %v", lr)
		}
		lrs = append(lrs, lr)
		linear = append(linear, 1e-4+rng.Float64()*(1e-2-1e-4))
		if v := pt[1].Value.(int); v < 1 || v > 100 {
			t.Fatalf("n = %v", v)
		} else if v <= 10 {
			small++
		}
	}
	if chi2 := logBucketChi2(lrs, 1e-4, 1e-2); chi2 > 27.88 {
		t.Errorf("log draws: chi-square %.1f > 27.88", chi2)
	}
	if chi2 := logBucketChi2(linear, 1e-4, 1e-2); chi2 < 1000 {
		t.Errorf("linear draws: chi-square %.1f, expected the test to reject them", chi2)
	}
	want := math.Log(10.5/0.5) / math.Log(100.5/0.5)
	if p := float64(small) / n; math.Abs(p-want) > 0.02 {
		t.Errorf("int log: P(n <= 10) = %.3f, want %.3f", p, want)
	}
}

// TestRandomConditional checks that a conditional key appears exactly when
// its condition holds, after its parent, and that both branches occur.
func TestRandomConditional(t *testing.T) {
	s := mustSpace(t,
		Param{Key: "model.discriminator", Kind: Choice, Choices: []any{"window", "calls"}},
		Param{Key: "model.corruption", Kind: Float, Low: 0.05, High: 0.5,
			When: []Condition{{Key: "model.discriminator", Values: []any{"calls"}}}},
		Param{Key: "a.depth", Kind: Int, Low: 1, High: 3}, // unconditional, sorts first
	)
	r := NewRandom(s)
	rng := newRand(3)
	seen := map[string]int{}
	for range 1000 {
		pt, err := r.Sample(nil, rng)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := pt.Get("model.discriminator")
		_, has := pt.Get("model.corruption")
		if has != (d == "calls") {
			t.Fatalf("point %v: corruption present = %v with discriminator %v", pt, has, d)
		}
		var keys []string
		for _, st := range pt {
			keys = append(keys, st.Key)
		}
		want := []string{"a.depth", "model.discriminator"}
		if has {
			want = append(want, "model.corruption")
		}
		if !reflect.DeepEqual(keys, want) {
			t.Fatalf("keys %v, want %v", keys, want)
		}
		seen[d.(string)]++
	}
	if seen["calls"] < 400 || seen["window"] < 400 {
		t.Errorf("branches %v", seen)
	}
}

// TestRandomDeterministic checks that equal seeds give equal points and a
// nil rng is an error.
func TestRandomDeterministic(t *testing.T) {
	s := mustSpace(t, Param{Key: "x", Kind: Float, Low: 0, High: 1}, Param{Key: "c", Kind: Choice, Choices: []any{1, 2, 3}})
	r := NewRandom(s)
	a, b := newRand(9), newRand(9)
	for range 20 {
		p, _ := r.Sample(nil, a)
		q, _ := r.Sample(nil, b)
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("%v != %v", p, q)
		}
	}
	if _, err := r.Sample(nil, nil); err == nil {
		t.Error("nil rng: want an error")
	}
}
