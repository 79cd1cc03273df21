package forest

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"sort"
	"testing"
)

// auc is the area under the ROC curve of scores for labels y (ties count
// one half): the Mann–Whitney statistic, as roc_auc_score computes it.
func auc(scores []float64, y []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var rankSumPos float64
	nPos := 0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for _, k := range idx[i:j] {
			if y[k] {
				rankSumPos += rank
				nPos++
			}
		}
		i = j
	}
	nNeg := len(y) - nPos
	return (rankSumPos - float64(nPos*(nPos+1))/2) / float64(nPos*nNeg)
}

// TestHeldOutAgainstSklearn is the statistical comparison: 100-tree
// forests over five seeds, held-out AUC and accuracy against
// scikit-learn's for the same seeds (equal, since the forests are equal;
// the bound is the margin the task allows).
func TestHeldOutAgainstSklearn(t *testing.T) {
	x, y := minerData(3, 400, 25)
	xh, yh := minerData(4, 400, 25)
	for seed := range uint32(5) {
		f, err := TrainForest(x, y, ForestConfig{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		p := make([]float64, len(xh))
		correct := 0
		for i, row := range xh {
			p[i] = f.Proba(row)
			if f.Predict(row) == yh[i] {
				correct++
			}
		}
		a, acc := auc(p, yh), float64(correct)/float64(len(xh))
		if math.Abs(a-goldenHeldOutAUC[seed]) > 0.01 || math.Abs(acc-goldenHeldOutAccuracy[seed]) > 0.01 {
			t.Errorf("seed %d: AUC %.4f accuracy %.4f; scikit-learn %.4f %.4f", seed, a, acc, goldenHeldOutAUC[seed], goldenHeldOutAccuracy[seed])
		}
		t.Logf("seed %d: AUC %.6f (scikit-learn %.6f), accuracy %.4f (%.4f)", seed, a, goldenHeldOutAUC[seed], acc, goldenHeldOutAccuracy[seed])
		rank := make([]int, len(x[0]))
		for j := range rank {
			rank[j] = j
		}
		imp := f.Importances()
		sort.SliceStable(rank, func(a, b int) bool { return imp[rank[a]] > imp[rank[b]] })
		if !slices.Equal(rank[:3], goldenHeldOutTop3(seed)) {
			t.Errorf("seed %d: importance ranking %v, scikit-learn %v", seed, rank, goldenImportanceRank[seed])
		}
		if s := numpySum(imp); math.Abs(s-1) > 1e-12 {
			t.Errorf("importances sum to %v", s)
		}
	}
}

func goldenHeldOutTop3(seed uint32) []int { return goldenImportanceRank[seed][:3] }

// TestInformativeFeaturesFirst: the two informative features lead the
// importances, then the weak count, then the noise.
func TestInformativeFeaturesFirst(t *testing.T) {
	for _, r := range goldenImportanceRank {
		if !(r[0] <= 1 && r[1] <= 1 && r[2] == 2) {
			t.Fatalf("scikit-learn ranks %v; the dataset lost its structure", r)
		}
	}
	x, y := minerData(3, 400, 25)
	f, err := TrainForest(x, y, ForestConfig{Seed: 11, NEstimators: 60, MaxDepth: 6})
	if err != nil {
		t.Fatal(err)
	}
	imp := f.Importances()
	for _, noise := range []int{3, 4, 5} {
		for _, informative := range []int{0, 1, 2} {
			if imp[informative] <= imp[noise] {
				t.Errorf("importance of x%d (%.3f) ≤ that of noise x%d (%.3f)", informative, imp[informative], noise, imp[noise])
			}
		}
	}
}

// TestBalancedRaisesMinorityRecall: on a 1:10 set, balanced weights
// recover more of the minority on held-out data than no weights, as they
// do in scikit-learn.
func TestBalancedRaisesMinorityRecall(t *testing.T) {
	x, y := minerData(5, 330, 9)
	xh, yh := minerData(6, 330, 9)
	recall := func(cw ClassWeight, seed uint32) float64 {
		f, err := TrainForest(x, y, ForestConfig{NEstimators: 50, MaxDepth: 4, ClassWeight: cw, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		hit, pos := 0, 0
		for i, row := range xh {
			if yh[i] {
				pos++
				if f.Predict(row) {
					hit++
				}
			}
		}
		return float64(hit) / float64(pos)
	}
	var sumU, sumB, sumS, skU, skB, skS float64
	for seed := range uint32(3) {
		u, b, s := recall(Unweighted, seed), recall(Balanced, seed), recall(BalancedSubsample, seed)
		if u != goldenRecallUnweighted[seed] || b != goldenRecallBalanced[seed] || s != goldenRecallBalancedSubsample[seed] {
			t.Errorf("seed %d: recall %.3f / %.3f / %.3f, scikit-learn %.3f / %.3f / %.3f", seed, u, b, s,
				goldenRecallUnweighted[seed], goldenRecallBalanced[seed], goldenRecallBalancedSubsample[seed])
		}
		sumU, sumB, sumS = sumU+u, sumB+b, sumS+s
		skU, skB, skS = skU+goldenRecallUnweighted[seed], skB+goldenRecallBalanced[seed], skS+goldenRecallBalancedSubsample[seed]
	}
	if !(skB > skU && skS > skU) {
		t.Fatalf("scikit-learn's recalls %.3f (none) %.3f (balanced) %.3f (subsample) do not show the effect", skU/3, skB/3, skS/3)
	}
	if !(sumB > sumU && sumS > sumU) {
		t.Errorf("mean minority recall: unweighted %.3f, balanced %.3f, balanced_subsample %.3f", sumU/3, sumB/3, sumS/3)
	}
	t.Logf("mean minority recall: unweighted %.3f, balanced %.3f, balanced_subsample %.3f", sumU/3, sumB/3, sumS/3)
}

func TestBalancedWeights(t *testing.T) {
	x, y := minerData(5, 330, 9)
	nPos := 0
	for _, v := range y {
		if v {
			nPos++
		}
	}
	f, err := TrainForest(x, y, ForestConfig{NEstimators: 1, ClassWeight: Balanced})
	if err != nil {
		t.Fatal(err)
	}
	neg, pos := f.ClassWeights()
	n := float64(len(y))
	if pos != n/float64(2*nPos) || neg != n/float64(2*(len(y)-nPos)) {
		t.Errorf("balanced weights %v (false) %v (true), want n/(2·n_c) = %v %v", neg, pos, n/float64(2*(len(y)-nPos)), n/float64(2*nPos))
	}
}

// TestParallelEqualsSerial: the forest does not depend on the number of
// workers.
func TestParallelEqualsSerial(t *testing.T) {
	x, y := minerData(1, 120, 30)
	var ref *Forest
	for _, w := range []int{1, 2, 3, 8, 0} {
		f, err := TrainForest(x, y, ForestConfig{NEstimators: 24, Seed: 5, Workers: w, OOBScore: true, ClassWeight: BalancedSubsample})
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = f
			continue
		}
		if !reflect.DeepEqual(f, ref) {
			t.Fatalf("Workers %d gives a different forest than Workers 1", w)
		}
	}
	xb := blobData(7, 300, 12)
	var iref *Isolation
	for _, w := range []int{1, 4, 0} {
		m, err := TrainIsolation(xb, IsolationConfig{NEstimators: 30, Seed: 5, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if iref == nil {
			iref = m
			continue
		}
		if !reflect.DeepEqual(m, iref) {
			t.Fatalf("Workers %d gives a different isolation forest than Workers 1", w)
		}
	}
}

func TestDeterminism(t *testing.T) {
	x, y := minerData(1, 120, 30)
	a, _ := TrainForest(x, y, ForestConfig{NEstimators: 10, Seed: 3})
	b, _ := TrainForest(x, y, ForestConfig{NEstimators: 10, Seed: 3})
	c, _ := TrainForest(x, y, ForestConfig{NEstimators: 10, Seed: 4})
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different forests")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 3 and 4 give the same forest")
	}
	// Tree t depends on (seed, t) only: the first 10 trees of a 20-tree
	// forest are the 10-tree forest.
	d, _ := TrainForest(x, y, ForestConfig{NEstimators: 20, Seed: 3})
	if !reflect.DeepEqual(a.trees, d.trees[:10]) {
		t.Error("the first trees change with NEstimators")
	}
}

func TestSingleLeafAndPureNodes(t *testing.T) {
	// Two rows, both classes, identical features: no split exists, the
	// tree is one leaf with probability one half.
	x := [][]float64{{1, 2}, {1, 2}}
	y := []bool{true, false}
	f, err := TrainForest(x, y, ForestConfig{NEstimators: 3, NoBootstrap: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := f.Proba([]float64{0, 0}); p != 0.5 {
		t.Errorf("Proba = %v, want 0.5", p)
	}
	if f.Predict([]float64{0, 0}) {
		t.Error("a tie should predict false")
	}
	for _, v := range f.Importances() {
		if v != 0 {
			t.Errorf("importances %v of unsplit trees, want zeros", f.Importances())
		}
	}
	// Separable: every tree is exact on the training rows.
	x = [][]float64{{0}, {1}, {2}, {10}, {11}}
	y = []bool{false, false, false, true, true}
	f, err = TrainForest(x, y, ForestConfig{NEstimators: 5, NoBootstrap: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range x {
		if p := f.Proba(row); (p == 1) != y[i] || (p == 0) == y[i] {
			t.Errorf("Proba(%v) = %v, label %v", row, p, y[i])
		}
	}
	if thr := f.trees[0].nodes[0].threshold; thr != 6 {
		t.Errorf("threshold %v, want the midpoint 6", thr)
	}
}

func TestValidation(t *testing.T) {
	x, y := minerData(1, 20, 30)
	cases := []struct {
		name string
		x    [][]float64
		y    []bool
		cfg  ForestConfig
		want error
	}{
		{"empty", nil, nil, ForestConfig{}, ErrEmpty},
		{"no features", [][]float64{{}, {}}, []bool{true, false}, ForestConfig{}, ErrEmpty},
		{"ragged", [][]float64{{1, 2}, {1}}, []bool{true, false}, ForestConfig{}, ErrRagged},
		{"labels", x, y[:3], ForestConfig{}, ErrRagged},
		{"NaN", [][]float64{{math.NaN()}, {1}}, []bool{true, false}, ForestConfig{}, ErrNotFinite},
		{"Inf", [][]float64{{math.Inf(1)}, {1}}, []bool{true, false}, ForestConfig{}, ErrNotFinite},
		{"float32 overflow", [][]float64{{1e39}, {1}}, []bool{true, false}, ForestConfig{}, ErrNotFinite},
		{"one class", [][]float64{{1}, {2}}, []bool{true, true}, ForestConfig{}, ErrOneClass},
		{"estimators", x, y, ForestConfig{NEstimators: -1}, ErrConfig},
		{"max features", x, y, ForestConfig{MaxFeatures: 7}, ErrConfig},
		{"depth", x, y, ForestConfig{MaxDepth: -1}, ErrConfig},
		{"split 1", x, y, ForestConfig{MinSamplesSplit: 1}, ErrConfig},
		{"leaf", x, y, ForestConfig{MinSamplesLeaf: -2}, ErrConfig},
		{"explicit zero", x, y, ForestConfig{ClassWeight: Explicit, PosWeight: 2}, ErrConfig},
		{"explicit NaN", x, y, ForestConfig{ClassWeight: Explicit, PosWeight: math.NaN(), NegWeight: 1}, ErrConfig},
		{"weights without Explicit", x, y, ForestConfig{ClassWeight: Balanced, PosWeight: 2}, ErrConfig},
		{"unknown weight", x, y, ForestConfig{ClassWeight: 9}, ErrConfig},
		{"oob without bootstrap", x, y, ForestConfig{OOBScore: true, NoBootstrap: true}, ErrConfig},
		{"workers", x, y, ForestConfig{Workers: -1}, ErrConfig},
	}
	for _, c := range cases {
		if _, err := TrainForest(c.x, c.y, c.cfg); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	icases := []struct {
		name string
		x    [][]float64
		cfg  IsolationConfig
		want error
	}{
		{"empty", nil, IsolationConfig{}, ErrEmpty},
		{"ragged", [][]float64{{1, 2}, {1}}, IsolationConfig{}, ErrRagged},
		{"NaN", [][]float64{{math.NaN()}}, IsolationConfig{}, ErrNotFinite},
		{"estimators", x, IsolationConfig{NEstimators: -1}, ErrConfig},
		{"samples", x, IsolationConfig{MaxSamples: -1}, ErrConfig},
		{"features", x, IsolationConfig{MaxFeatures: 7}, ErrConfig},
		{"contamination", x, IsolationConfig{Contamination: 0.6}, ErrConfig},
		{"contamination NaN", x, IsolationConfig{Contamination: math.NaN()}, ErrConfig},
		{"workers", x, IsolationConfig{Workers: -1}, ErrConfig},
	}
	for _, c := range icases {
		if _, err := TrainIsolation(c.x, c.cfg); !errors.Is(err, c.want) {
			t.Errorf("isolation %s: error %v, want %v", c.name, err, c.want)
		}
	}
}

func TestWrongLengthPanics(t *testing.T) {
	x, y := minerData(1, 20, 30)
	f, err := TrainForest(x, y, ForestConfig{NEstimators: 2})
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainIsolation(x, IsolationConfig{NEstimators: 2})
	if err != nil {
		t.Fatal(err)
	}
	for name, fn := range map[string]func(){
		"Proba":      func() { f.Proba([]float64{1}) },
		"Predict":    func() { f.Predict(make([]float64, 7)) },
		"Score":      func() { m.Score(nil) },
		"PathLength": func() { m.PathLength([]float64{1}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s on a row of the wrong length did not panic", name)
				}
			}()
			fn()
		}()
	}
}

// TestSortSamples checks the introsort (and its heapsort fallback) against
// the standard library on data with many ties.
func TestSortSamples(t *testing.T) {
	r := &lcg{9}
	for _, n := range []int{0, 1, 2, 3, 10, 100, 1000} {
		for _, levels := range []int{2, 7, 1 << 30} {
			xf := make([]float32, n)
			for i := range xf {
				xf[i] = float32(r.intn(levels))
			}
			for _, maxd := range []int{-1, 0, 1} {
				a, s := slices.Clone(xf), make([]int, n)
				for i := range s {
					s[i] = i
				}
				if maxd < 0 {
					sortSamples(a, s)
				} else {
					introsort(a, s, maxd) // 0: straight to heapsort
				}
				if !slices.IsSorted(a) {
					t.Fatalf("n %d levels %d maxd %d: not sorted", n, levels, maxd)
				}
				for i, j := range s {
					if xf[j] != a[i] {
						t.Fatalf("n %d: samples not permuted with the values", n)
					}
				}
			}
		}
	}
}

func TestNumpySum(t *testing.T) {
	r := &lcg{4}
	for _, n := range []int{0, 1, 7, 8, 9, 64, 129, 300} {
		a := make([]float64, n)
		var want float64
		for i := range a {
			a[i] = float64(r.intn(1000)) / 8 // exact sums
			want += a[i]
		}
		if got := numpySum(a); got != want {
			t.Errorf("n %d: %v, want %v", n, got, want)
		}
	}
}
