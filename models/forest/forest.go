package forest

import (
	"fmt"
	"math"
	"slices"
)

// ClassWeight chooses the weights of the two classes. The zero value,
// Unweighted, gives every row weight one.
type ClassWeight int

const (
	// Unweighted is scikit-learn's class_weight=None.
	Unweighted ClassWeight = iota
	// Balanced weights class c by n/(2·n_c) over the whole training set:
	// scikit-learn's class_weight="balanced".
	Balanced
	// BalancedSubsample weights class c by n/(k·n_c) computed on each
	// tree's bootstrap sample (k the classes it holds):
	// class_weight="balanced_subsample". Without bootstrap it is Balanced,
	// as in scikit-learn.
	BalancedSubsample
	// Explicit uses ForestConfig.PosWeight and NegWeight:
	// class_weight={False: NegWeight, True: PosWeight}.
	Explicit
)

// String returns the scikit-learn spelling.
func (c ClassWeight) String() string {
	switch c {
	case Unweighted:
		return "None"
	case Balanced:
		return "balanced"
	case BalancedSubsample:
		return "balanced_subsample"
	case Explicit:
		return "explicit"
	}
	return fmt.Sprintf("ClassWeight(%d)", int(c))
}

// ForestConfig sets up TrainForest. The zero value is scikit-learn's
// RandomForestClassifier() with random_state=0.
type ForestConfig struct {
	// NEstimators is the number of trees; zero means 100.
	NEstimators int
	// MaxFeatures is the number of features drawn, without replacement,
	// for each split; zero means "sqrt", ⌊√d⌋ (at least one). Set it to
	// the number of features for plain bagged CART. At most d.
	MaxFeatures int
	// MaxDepth bounds the depth of the trees (the root is depth zero);
	// zero means unlimited.
	MaxDepth int
	// MinSamplesSplit is the fewest rows a node needs to be split; zero
	// means 2. Values below 2 are an error.
	MinSamplesSplit int
	// MinSamplesLeaf is the fewest rows each child of a split keeps; zero
	// means 1.
	MinSamplesLeaf int
	// NoBootstrap grows every tree on all rows. The zero value, false,
	// draws n rows with replacement per tree (scikit-learn's
	// bootstrap=True), as integer row weights.
	NoBootstrap bool
	// ClassWeight chooses the class weights; zero is Unweighted.
	ClassWeight ClassWeight
	// PosWeight and NegWeight are the weights of the true and false
	// classes under Explicit; both must then be positive and finite. Other
	// modes require them zero.
	PosWeight, NegWeight float64
	// OOBScore computes the out-of-bag accuracy and probabilities
	// (scikit-learn's oob_score=True); it needs bootstrap.
	OOBScore bool
	// Seed is scikit-learn's random_state: every seed gives one forest,
	// the one scikit-learn 1.2 grows with that random_state. Tree t is
	// grown from the t-th RandomState(Seed).randint(2³¹ − 1) draw, so the
	// trees do not depend on the number of workers.
	Seed uint32
	// Workers is the number of goroutines that grow trees; zero means
	// GOMAXPROCS. It changes the speed only, never the forest.
	Workers int
}

// Forest is a trained random forest for two classes.
type Forest struct {
	d           int
	trees       []*tree
	importances []float64
	oobScore    float64
	oobProba    []float64
	hasOOB      bool
	classW      [2]float64
	// flat holds the trees in the compact layout that ProbaAll walks.
	flat [][]flatNode
}

// resolve fills in the defaults for d features.
func (cfg ForestConfig) resolve(d int) (ForestConfig, treeParams, error) {
	bad := func(format string, a ...any) (ForestConfig, treeParams, error) {
		return cfg, treeParams{}, fmt.Errorf("forest: "+format+": %w", append(a, ErrConfig)...)
	}
	if cfg.NEstimators < 0 {
		return bad("NEstimators = %d, want ≥ 0 (0 = 100)", cfg.NEstimators)
	}
	if cfg.MaxFeatures < 0 || cfg.MaxFeatures > d {
		return bad("MaxFeatures = %d, want in [0, %d] (0 = sqrt)", cfg.MaxFeatures, d)
	}
	if cfg.MaxDepth < 0 {
		return bad("MaxDepth = %d, want ≥ 0 (0 = unlimited)", cfg.MaxDepth)
	}
	if cfg.MinSamplesSplit < 0 || cfg.MinSamplesSplit == 1 {
		return bad("MinSamplesSplit = %d, want 0 or ≥ 2", cfg.MinSamplesSplit)
	}
	if cfg.MinSamplesLeaf < 0 {
		return bad("MinSamplesLeaf = %d, want ≥ 0 (0 = 1)", cfg.MinSamplesLeaf)
	}
	switch cfg.ClassWeight {
	case Unweighted, Balanced, BalancedSubsample:
		if cfg.PosWeight != 0 || cfg.NegWeight != 0 {
			return bad("PosWeight and NegWeight are set but ClassWeight is %v, not Explicit", cfg.ClassWeight)
		}
	case Explicit:
		for _, w := range []float64{cfg.PosWeight, cfg.NegWeight} {
			if !(w > 0) || math.IsInf(w, 0) {
				return bad("Explicit class weights %v (true) and %v (false), want both positive and finite", cfg.PosWeight, cfg.NegWeight)
			}
		}
	default:
		return bad("unknown ClassWeight %d", int(cfg.ClassWeight))
	}
	if cfg.OOBScore && cfg.NoBootstrap {
		return bad("OOBScore needs bootstrap")
	}
	if cfg.Workers < 0 {
		return bad("Workers = %d, want ≥ 0 (0 = GOMAXPROCS)", cfg.Workers)
	}
	if cfg.NEstimators == 0 {
		cfg.NEstimators = 100
	}
	if cfg.MaxFeatures == 0 {
		cfg.MaxFeatures = max(1, int(math.Sqrt(float64(d))))
	}
	if cfg.MinSamplesLeaf == 0 {
		cfg.MinSamplesLeaf = 1
	}
	if cfg.MinSamplesSplit == 0 {
		cfg.MinSamplesSplit = 2
	}
	p := treeParams{
		maxFeatures:     cfg.MaxFeatures,
		maxDepth:        unlimitedDepth,
		minSamplesLeaf:  cfg.MinSamplesLeaf,
		minSamplesSplit: max(cfg.MinSamplesSplit, 2*cfg.MinSamplesLeaf),
	}
	if cfg.MaxDepth > 0 {
		p.maxDepth = cfg.MaxDepth
	}
	return cfg, p, nil
}

// TrainForest grows a random forest on rows x and labels y (true = the
// positive, usually rare, class) as scikit-learn 1.2's
// RandomForestClassifier does: CART trees with the Gini criterion, best
// splits over MaxFeatures features drawn per node, thresholds midway
// between consecutive distinct values, bootstrap samples as integer row
// weights, class weights multiplied in. Features are stored as float32, as
// scikit-learn stores them. It returns an error wrapping ErrEmpty,
// ErrRagged, ErrNotFinite, ErrOneClass or ErrConfig for bad input; x and y
// are neither modified nor retained.
func TrainForest(x [][]float64, y []bool, cfg ForestConfig) (*Forest, error) {
	cols, err := toColumns(x)
	if err != nil {
		return nil, err
	}
	yc, err := labels(y, len(x))
	if err != nil {
		return nil, err
	}
	cfg, params, err := cfg.resolve(len(cols))
	if err != nil {
		return nil, err
	}
	n := len(yc)
	var nc [2]int
	for _, c := range yc {
		nc[c]++
	}
	// classW multiplies every row's weight; nil rowW means all ones.
	var classW [2]float64
	var rowW []float64
	switch {
	case cfg.ClassWeight == Explicit:
		classW = [2]float64{cfg.NegWeight, cfg.PosWeight}
	case cfg.ClassWeight == Balanced || cfg.ClassWeight == BalancedSubsample && cfg.NoBootstrap:
		for c := range classW {
			classW[c] = float64(n) / float64(2*nc[c])
		}
	default:
		classW = [2]float64{1, 1}
	}
	if classW != [2]float64{1, 1} {
		rowW = make([]float64, n)
		for i, c := range yc {
			rowW[i] = classW[c]
		}
	}

	f := &Forest{d: len(cols), trees: make([]*tree, cfg.NEstimators), classW: classW}
	seeds := estimatorSeeds(cfg.Seed, cfg.NEstimators)
	subsample := cfg.ClassWeight == BalancedSubsample && !cfg.NoBootstrap
	forEach(cfg.NEstimators, cfg.Workers, func(t int) {
		w := rowW
		if !cfg.NoBootstrap {
			counts := bootstrapCounts(seeds[t], n)
			w = make([]float64, n)
			for i, c := range yc {
				w[i] = classW[c] * float64(counts[i])
			}
			if subsample {
				reweightSubsample(w, yc, counts)
			}
		}
		f.trees[t] = buildTree(cols, yc, w, params, splitterState(seeds[t]))
	})
	f.importances = forestImportances(f.trees, f.d)
	f.flat = flatForest(f.trees)
	if cfg.OOBScore {
		f.outOfBag(cols, yc, seeds)
	}
	return f, nil
}

// bootstrapCounts returns how often each of n rows is drawn by
// RandomState(seed).randint(0, n, n), scikit-learn's bootstrap sample.
func bootstrapCounts(seed uint32, n int) []int {
	r := newRandomState(seed)
	counts := make([]int, n)
	for range n {
		counts[r.randint(0, n)]++
	}
	return counts
}

// reweightSubsample multiplies w by the balanced weights of the bootstrap
// sample: n/(k·n_c), n_c the draws of class c and k the classes drawn.
func reweightSubsample(w []float64, y []uint8, counts []int) {
	var drawn [2]int
	total := 0
	for i, c := range y {
		drawn[c] += counts[i]
		total += counts[i]
	}
	k := 0
	for _, m := range drawn {
		if m > 0 {
			k++
		}
	}
	for i, c := range y {
		if drawn[c] == 0 {
			w[i] = 0 // no row of the class was drawn; counts[i] is zero anyway
			continue
		}
		w[i] *= float64(total) / float64(k*drawn[c])
	}
}

// forestImportances is scikit-learn's feature_importances_: the mean of
// the trees' normalized impurity decreases over the trees that split at
// least once, normalized again.
func forestImportances(trees []*tree, d int) []float64 {
	mean := make([]float64, d)
	k := 0
	for _, t := range trees {
		if len(t.nodes) <= 1 {
			continue
		}
		for j, v := range t.importances(d) {
			mean[j] += v
		}
		k++
	}
	if k == 0 {
		return mean
	}
	for j := range mean {
		mean[j] /= float64(k)
	}
	s := numpySum(mean)
	for j := range mean {
		mean[j] /= s
	}
	return mean
}

// outOfBag computes scikit-learn's oob_decision_function_ and
// oob_score_: each row's class probabilities averaged over the trees
// whose bootstrap sample missed it (zero when none did), and the accuracy
// of their argmax.
func (f *Forest) outOfBag(cols [][]float32, y []uint8, seeds []uint32) {
	n := len(y)
	sum := make([][2]float64, n)
	hits := make([]int, n)
	row := make([]float32, f.d)
	for t, tr := range f.trees {
		counts := bootstrapCounts(seeds[t], n)
		for i, c := range counts {
			if c != 0 {
				continue
			}
			for j := range row {
				row[j] = cols[j][i]
			}
			p := tr.apply(row).proba
			sum[i][0] += p[0]
			sum[i][1] += p[1]
			hits[i]++
		}
	}
	f.oobProba = make([]float64, n)
	correct := 0
	for i := range n {
		h := float64(max(hits[i], 1))
		p0, p1 := sum[i][0]/h, sum[i][1]/h
		f.oobProba[i] = p1
		if (p1 > p0) == (y[i] == 1) {
			correct++
		}
	}
	f.oobScore = float64(correct) / float64(n)
	f.hasOOB = true
}

// probas returns the mean over the trees of P(false) and P(true) at the
// leaves x reaches, summed in tree order as scikit-learn sums them.
func (f *Forest) probas(x []float32) (p0, p1 float64) {
	for _, t := range f.trees {
		p := t.apply(x).proba
		p0 += p[0]
		p1 += p[1]
	}
	k := float64(len(f.trees))
	return p0 / k, p1 / k
}

// Proba returns P(true | x): the mean over the trees of the weighted
// fraction of true rows in the leaf x reaches (scikit-learn's
// predict_proba[:, 1]). x is rounded to float32 first. It panics if
// len(x) is not the number of training features.
func (f *Forest) Proba(x []float64) float64 {
	_, p1 := f.probas(toFloat32(x, f.d, "Proba"))
	return p1
}

// Predict returns the more probable class of x: true when the mean
// probability of true exceeds that of false (a tie goes to false, as
// scikit-learn's argmax gives it). It panics as Proba does.
func (f *Forest) Predict(x []float64) bool {
	p0, p1 := f.probas(toFloat32(x, f.d, "Predict"))
	return p1 > p0
}

// Importances returns the impurity-based feature importances (mean
// decrease in Gini impurity, weighted by the rows reaching each split,
// normalized per tree and overall to sum to one): scikit-learn's
// feature_importances_. The slice is a copy.
func (f *Forest) Importances() []float64 { return slices.Clone(f.importances) }

// OOBScore returns the out-of-bag accuracy and whether it was computed
// (ForestConfig.OOBScore).
func (f *Forest) OOBScore() (float64, bool) { return f.oobScore, f.hasOOB }

// OOBProba returns, per training row, P(true) averaged over the trees that
// did not draw it (zero for a row every tree drew): scikit-learn's
// oob_decision_function_[:, 1]. Nil without ForestConfig.OOBScore; the
// slice is a copy.
func (f *Forest) OOBProba() []float64 { return slices.Clone(f.oobProba) }

// ClassWeights returns the class weights used for false and true (before
// BalancedSubsample's per-tree reweighting, which they do not include).
func (f *Forest) ClassWeights() (neg, pos float64) { return f.classW[0], f.classW[1] }

// NumTrees returns the number of trees.
func (f *Forest) NumTrees() int { return len(f.trees) }

// NumFeatures returns the length of the rows the forest takes.
func (f *Forest) NumFeatures() int { return f.d }
