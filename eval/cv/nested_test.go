package cv

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/eval"
)

func TestRepeatedNestedInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	labels, groups := randomGrouped(rng, 300, 40)
	for _, g := range [][]string{groups, nil} {
		folds, err := RepeatedNested(labels, g, 4, 3, 3, 99)
		if err != nil {
			t.Fatal(err)
		}
		if len(folds) != 12 {
			t.Fatalf("%d outer folds, want 3 repeats x 4", len(folds))
		}
		for r := range 3 {
			var tests [][]int
			for _, of := range folds[4*r : 4*r+4] {
				tests = append(tests, of.Outer.Test)
			}
			checkPartition(t, tests, len(labels))
		}
		for _, of := range folds {
			checkOuterFold(t, of, labels, g)
		}
		again, _ := RepeatedNested(labels, g, 4, 3, 3, 99)
		if !slices.EqualFunc(folds, again, equalOuterFold) {
			t.Error("same seed, different folds")
		}
		other, _ := RepeatedNested(labels, g, 4, 3, 3, 100)
		if slices.EqualFunc(folds, other, equalOuterFold) {
			t.Error("seeds 99 and 100 gave the same folds")
		}
	}
}

// checkOuterFold asserts that the outer split partitions all items, that the
// inner folds partition the outer training part and never touch the outer
// test part, that no group crosses either boundary, and that every test fold
// holds both classes.
func checkOuterFold(t *testing.T, of OuterFold, labels []bool, groups []string) {
	t.Helper()
	n := len(labels)
	checkPartition(t, [][]int{of.Outer.Train, of.Outer.Test}, n)
	checkSplitGroups(t, of.Outer, groups)
	outerTest := setOf(of.Outer.Test)
	var innerTests [][]int
	for i, in := range of.Inner {
		for _, idx := range slices.Concat(in.Train, in.Test) {
			if outerTest[idx] {
				t.Fatalf("repeat %d fold %d: inner fold %d holds outer test item %d", of.Repeat, of.Fold, i, idx)
			}
		}
		if got := slices.Sorted(slices.Values(slices.Concat(in.Train, in.Test))); !slices.Equal(got, of.Outer.Train) {
			t.Fatalf("inner fold %d does not split the outer training part", i)
		}
		checkSplitGroups(t, in, groups)
		if countClass(in.Test, labels, true) == 0 || countClass(in.Test, labels, false) == 0 {
			t.Fatalf("inner test fold %d has one class", i)
		}
		innerTests = append(innerTests, in.Test)
	}
	// The inner tests partition the outer training part.
	var all []int
	for _, tf := range innerTests {
		all = append(all, tf...)
	}
	slices.Sort(all)
	if !slices.Equal(all, of.Outer.Train) {
		t.Fatalf("inner tests do not partition the outer training part")
	}
	if countClass(of.Outer.Test, labels, true) == 0 || countClass(of.Outer.Test, labels, false) == 0 {
		t.Fatalf("outer test fold has one class")
	}
}

func checkSplitGroups(t *testing.T, s Split, groups []string) {
	t.Helper()
	if groups == nil {
		return
	}
	train := map[string]bool{}
	for _, i := range s.Train {
		train[groups[i]] = true
	}
	for _, i := range s.Test {
		if train[groups[i]] {
			t.Fatalf("group %s on both sides of a split", groups[i])
		}
	}
}

func setOf(idx []int) map[int]bool {
	m := make(map[int]bool, len(idx))
	for _, i := range idx {
		m[i] = true
	}
	return m
}

func equalOuterFold(a, b OuterFold) bool {
	eq := func(x, y Split) bool { return slices.Equal(x.Train, y.Train) && slices.Equal(x.Test, y.Test) }
	return a.Repeat == b.Repeat && a.Fold == b.Fold && eq(a.Outer, b.Outer) && slices.EqualFunc(a.Inner, b.Inner, eq)
}

// candidateScores gives candidate 1 a perfect ranking and the others noise.
func candidateScores(labels []bool, candidates int, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float64, candidates)
	for c := range out {
		out[c] = make([]float64, len(labels))
		for i, l := range labels {
			out[c][i] = rng.Float64()
			if c == 1 && l {
				out[c][i] += 2
			}
		}
	}
	return out
}

func apOn(scores []float64, labels []bool, test []int) (float64, error) {
	s := make([]float64, len(test))
	l := make([]bool, len(test))
	for j, i := range test {
		s[j], l[j] = scores[i], labels[i]
	}
	return eval.AveragePrecision(s, l)
}

func TestNestedCVChoosesClearlyBestCandidate(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	labels, groups := randomGrouped(rng, 240, 36)
	scores := candidateScores(labels, 3, 7)
	fit := func(train []int, c int) (int, error) { return c, nil }
	score := func(c int, test []int) (float64, error) { return apOn(scores[c], labels, test) }
	cfg := NestedConfig{OuterK: 3, InnerK: 3, Repeats: 2, Seed: 5, CI: &eval.BootstrapOptions{Resamples: 200}}
	res, err := NestedCV(context.Background(), Data{Labels: labels, Groups: groups}, cfg, fit, []int{0, 1, 2}, score)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 6 {
		t.Fatalf("%d folds, want 6", len(res.Folds))
	}
	for _, f := range res.Folds {
		if f.Chosen != 1 || f.Score != 1 {
			t.Errorf("repeat %d fold %d: chose %d (inner means %v), outer score %v", f.Repeat, f.Fold, f.Chosen, f.InnerMeans, f.Score)
		}
	}
	if res.Mean != 1 || res.CI.Lo != 1 || res.CI.Hi != 1 || res.CI.Resamples != 200 {
		t.Errorf("mean %v, CI %+v", res.Mean, res.CI)
	}
}

func TestNestedCVTiesPickFirst(t *testing.T) {
	labels := make([]bool, 40)
	for i := range labels {
		labels[i] = i%4 == 0
	}
	fit := func(train []int, c string) (string, error) { return c, nil }
	score := func(string, []int) (float64, error) { return 0.5, nil }
	res, err := NestedCV(context.Background(), Data{Labels: labels}, NestedConfig{OuterK: 2, InnerK: 2}, fit, []string{"a", "b"}, score)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Folds {
		if f.Chosen != 0 {
			t.Errorf("tie chose candidate %d", f.Chosen)
		}
	}
}

// memoModel remembers the labels of its training items. Scoring an item it
// saw gives its label; an unseen item gets 0.5. Without leakage every test
// item is unseen, so average precision is the test fold's prevalence;
// leaked items would push it towards 1.
type memoModel struct {
	train  []int
	labels map[int]bool
}

func TestNestedCVNeverLeaksOuterTest(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	labels, groups := randomGrouped(rng, 200, 30)
	const outerK, innerK, repeats, nCand = 4, 3, 2, 2
	var fits, tests [][]int
	fit := func(train []int, c int) (memoModel, error) {
		fits = append(fits, slices.Clone(train))
		m := memoModel{train: slices.Clone(train), labels: map[int]bool{}}
		for _, i := range train {
			m.labels[i] = labels[i]
		}
		return m, nil
	}
	score := func(m memoModel, test []int) (float64, error) {
		tests = append(tests, slices.Clone(test))
		s := make([]float64, len(labels))
		for _, i := range test {
			s[i] = 0.5
			if l, seen := m.labels[i]; seen {
				s[i] = map[bool]float64{true: 1, false: 0}[l]
			}
		}
		return apOn(s, labels, test)
	}
	cfg := NestedConfig{OuterK: outerK, InnerK: innerK, Repeats: repeats, Seed: 3}
	data := Data{Labels: labels, Groups: groups}
	res, err := NestedCV(context.Background(), data, cfg, fit, []int{0, 1}, score)
	if err != nil {
		t.Fatal(err)
	}
	perFold := nCand*innerK + 1
	if len(fits) != len(res.Folds)*perFold || len(tests) != len(fits) {
		t.Fatalf("%d fits and %d scores for %d folds", len(fits), len(tests), len(res.Folds))
	}
	prevalence := func(idx []int) float64 { return float64(countClass(idx, labels, true)) / float64(len(idx)) }
	for j, f := range res.Folds {
		outerTest := setOf(f.Outer.Test)
		for call := j * perFold; call < (j+1)*perFold; call++ {
			refit := call == (j+1)*perFold-1
			for _, i := range fits[call] {
				if outerTest[i] {
					t.Fatalf("fold %d call %d: fit saw outer test item %d", j, call, i)
				}
			}
			if !refit {
				for _, i := range tests[call] {
					if outerTest[i] {
						t.Fatalf("fold %d call %d: inner validation holds outer test item %d", j, call, i)
					}
				}
			} else {
				if !slices.Equal(fits[call], f.Outer.Train) || !slices.Equal(tests[call], f.Outer.Test) {
					t.Fatalf("fold %d: refit not on the outer training part or not scored on the outer test", j)
				}
			}
		}
		if math.Abs(f.Score-prevalence(f.Outer.Test)) > 1e-12 {
			t.Errorf("fold %d: memorising model scored %v on the outer test, prevalence %v", j, f.Score, prevalence(f.Outer.Test))
		}
		for c, m := range f.InnerMeans {
			if m > 0.5 {
				t.Errorf("fold %d candidate %d: inner mean %v suggests memorised validation items", j, c, m)
			}
		}
		checkSplitGroups(t, f.Outer, groups)
	}
}

func TestNestedCVErrors(t *testing.T) {
	labels := make([]bool, 40)
	for i := range labels {
		labels[i] = i%4 == 0
	}
	data := Data{Labels: labels}
	fit := func([]int, int) (int, error) { return 0, nil }
	score := func(int, []int) (float64, error) { return 1, nil }
	ctx := context.Background()
	cfg := NestedConfig{OuterK: 2, InnerK: 2}
	if _, err := NestedCV(ctx, data, cfg, fit, nil, score); err == nil {
		t.Error("no candidates accepted")
	}
	boom := errors.New("boom")
	badFit := func([]int, int) (int, error) { return 0, boom }
	if _, err := NestedCV(ctx, data, cfg, badFit, []int{0}, score); !errors.Is(err, boom) {
		t.Errorf("fit error: %v", err)
	}
	nan := func(int, []int) (float64, error) { return math.NaN(), nil }
	if _, err := NestedCV(ctx, data, cfg, fit, []int{0}, nan); err == nil {
		t.Error("NaN score accepted")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NestedCV(cancelled, data, cfg, fit, []int{0}, score); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	// Two positive groups cannot fill three outer folds.
	groups := make([]string, len(labels))
	for i := range groups {
		groups[i] = string(rune('a' + i%8)) // positives (i%4 == 0) in groups a and e
	}
	if _, err := NestedCV(ctx, Data{Labels: labels, Groups: groups}, NestedConfig{OuterK: 3}, fit, []int{0}, score); !errors.Is(err, ErrOneClassFold) {
		t.Errorf("one-class fold: %v, want ErrOneClassFold", err)
	}
	if _, err := RepeatedNested(labels, groups[:3], 2, 2, 1, 0); err == nil {
		t.Error("groups of the wrong length accepted")
	}
	if _, err := RepeatedNested(labels, nil, 2, 2, 0, 0); err == nil {
		t.Error("0 repeats accepted")
	}
}
