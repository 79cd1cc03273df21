package forest

import (
	"fmt"
	"math"
	"slices"
)

// eulerGamma is np.euler_gamma.
const eulerGamma = 0.5772156649015329

// AveragePathLength is c(n), the mean path length of an unsuccessful
// search in a binary search tree of n keys, with which the isolation
// forest normalizes path lengths and extends them at leaves holding n
// rows: 0 for n ≤ 1, 1 for n = 2 (scikit-learn's special case), otherwise
// 2H(n − 1) − 2(n − 1)/n with H(i) = ln i + γ.
func AveragePathLength(n int) float64 {
	switch {
	case n <= 1:
		return 0
	case n == 2:
		return 1
	}
	m := float64(n)
	return 2*(math.Log(m-1)+eulerGamma) - float64(2*(m-1))/m
}

// IsolationConfig sets up TrainIsolation. The zero value is
// scikit-learn's IsolationForest() with random_state=0.
type IsolationConfig struct {
	// NEstimators is the number of trees; zero means 100.
	NEstimators int
	// MaxSamples is ψ, the rows drawn without replacement for each tree;
	// zero means min(256, n). More than n rows means n (scikit-learn warns
	// and does the same).
	MaxSamples int
	// MaxFeatures is the number of features drawn without replacement for
	// each tree; zero means all of them (scikit-learn's max_features=1.0).
	MaxFeatures int
	// Contamination is the expected fraction of anomalies, in (0, 0.5]: it
	// sets Offset to that quantile of the training scores. Zero means
	// "auto", the offset −0.5 of the original paper.
	Contamination float64
	// Seed is scikit-learn's random_state; the forest is the one
	// scikit-learn 1.2 grows with it. Tree t depends on (Seed, t) only.
	Seed uint32
	// Workers is the number of goroutines that grow trees; zero means
	// GOMAXPROCS. It changes the speed only.
	Workers int
}

// Isolation is a trained isolation forest (Liu, Ting and Zhou 2008).
type Isolation struct {
	d          int
	trees      []*isoTree
	features   [][]int // per tree: its columns of the input rows
	maxSamples int
	offset     float64
	// flat holds the trees in the compact layout that the batch methods
	// walk.
	flat [][]flatNode
}

// TrainIsolation grows an isolation forest on rows x as scikit-learn 1.2's
// IsolationForest: each tree on MaxSamples rows drawn without replacement,
// split on a random feature at a uniform threshold until the rows are
// isolated or the depth reaches ⌈log₂ ψ⌉. Features are stored as float32,
// as scikit-learn stores them. It returns an error wrapping ErrEmpty,
// ErrRagged, ErrNotFinite or ErrConfig for bad input; x is neither
// modified nor retained.
func TrainIsolation(x [][]float64, cfg IsolationConfig) (*Isolation, error) {
	cols, err := toColumns(x)
	if err != nil {
		return nil, err
	}
	n, d := len(x), len(cols)
	bad := func(format string, a ...any) (*Isolation, error) {
		return nil, fmt.Errorf("forest: "+format+": %w", append(a, ErrConfig)...)
	}
	switch {
	case cfg.NEstimators < 0:
		return bad("NEstimators = %d, want ≥ 0 (0 = 100)", cfg.NEstimators)
	case cfg.MaxSamples < 0:
		return bad("MaxSamples = %d, want ≥ 0 (0 = min(256, n))", cfg.MaxSamples)
	case cfg.MaxFeatures < 0 || cfg.MaxFeatures > d:
		return bad("MaxFeatures = %d, want in [0, %d] (0 = all)", cfg.MaxFeatures, d)
	case !(cfg.Contamination >= 0 && cfg.Contamination <= 0.5):
		return bad("Contamination = %v, want in (0, 0.5] or 0 for auto", cfg.Contamination)
	case cfg.Workers < 0:
		return bad("Workers = %d, want ≥ 0 (0 = GOMAXPROCS)", cfg.Workers)
	}
	nTrees := cmpOr(cfg.NEstimators, 100)
	psi := cmpOr(cfg.MaxSamples, min(256, n))
	psi = min(psi, n)
	k := cmpOr(cfg.MaxFeatures, d)
	maxDepth := int(math.Ceil(math.Log2(float64(max(psi, 2)))))

	// scikit-learn fits its regression trees to a uniform random target;
	// it only marks nodes with equal targets as leaves.
	target := make([]float64, n)
	r := newRandomState(cfg.Seed)
	for i := range target {
		target[i] = r.uniform()
	}
	seeds := estimatorSeeds(cfg.Seed, nTrees)
	m := &Isolation{d: d, trees: make([]*isoTree, nTrees), features: make([][]int, nTrees), maxSamples: psi, offset: -0.5}
	forEach(nTrees, cfg.Workers, func(t int) {
		r := newRandomState(seeds[t])
		feats := sampleWithoutReplacement(r, d, k)
		rows := sampleWithoutReplacement(r, n, psi)
		slices.Sort(rows) // the tree sees the drawn rows in input order
		treeCols := make([][]float32, k)
		for j, f := range feats {
			treeCols[j] = cols[f]
		}
		treeSeed := uint32(newRandomState(seeds[t]).randint(0, maxInt32))
		m.trees[t] = buildIsoTree(treeCols, target, rows, maxDepth, splitterState(treeSeed))
		m.features[t] = feats
	})
	m.flat = flatIsolation(m.trees, m.features)
	if cfg.Contamination > 0 {
		scores := make([]float64, n)
		row := make([]float32, d)
		for i := range n {
			for f := range row {
				row[f] = cols[f][i]
			}
			scores[i] = -m.score(row)
		}
		m.offset = percentile(scores, 100*cfg.Contamination)
	}
	return m, nil
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// sampleWithoutReplacement is scikit-learn's
// sample_without_replacement(nPop, nSamples, method="auto") on r: a
// prefix of a permutation for 1% < ratio < 99%, otherwise tracking
// selection (ratio < 20%) or reservoir sampling.
func sampleWithoutReplacement(r *randomState, nPop, nSamples int) []int {
	ratio := float64(nSamples) / float64(nPop)
	if ratio > 0.01 && ratio < 0.99 {
		return r.permutation(nPop)[:nSamples]
	}
	out := make([]int, nSamples)
	if ratio < 0.2 {
		seen := make(map[int]bool, nSamples)
		for i := range out {
			j := r.randint(0, nPop)
			for seen[j] {
				j = r.randint(0, nPop)
			}
			seen[j] = true
			out[i] = j
		}
		return out
	}
	for i := range out {
		out[i] = i
	}
	for i := nSamples; i < nPop; i++ {
		if j := r.randint(0, i+1); j < nSamples {
			out[j] = i
		}
	}
	return out
}

// percentile is np.percentile(a, q) with linear interpolation.
func percentile(a []float64, q float64) float64 {
	s := slices.Clone(a)
	slices.Sort(s)
	n := len(s)
	qf := q / 100
	vi := float64(n)*qf + (1 - qf) - 1
	vi = min(max(vi, 0), float64(n-1))
	lo := math.Floor(vi)
	i := int(lo)
	j := min(i+1, n-1)
	t := vi - lo
	diff := s[j] - s[i]
	if t >= 0.5 {
		return s[j] - diff*(1-t)
	}
	return s[i] + diff*t
}

// score is s(x) for a float32 row.
func (m *Isolation) score(x []float32) float64 {
	var depths float64
	for t, tr := range m.trees {
		depths += tr.pathLength(x, m.features[t])
	}
	return m.scoreOf(depths)
}

// Score returns the anomaly score s(x) = 2^(−E[h(x)]/c(ψ)) in (0, 1]:
// near 1 for anomalies, at most about 0.5 for ordinary rows. It is
// scikit-learn's −score_samples. x is rounded to float32 first. It panics
// if len(x) is not the number of training features.
func (m *Isolation) Score(x []float64) float64 {
	return m.score(toFloat32(x, m.d, "Score"))
}

// PathLength returns E[h(x)], the mean over the trees of the depth of the
// leaf x reaches plus c(rows in that leaf). It panics as Score does.
func (m *Isolation) PathLength(x []float64) float64 {
	x32 := toFloat32(x, m.d, "PathLength")
	var depths float64
	for t, tr := range m.trees {
		depths += tr.pathLength(x32, m.features[t])
	}
	return depths / float64(len(m.trees))
}

// ScoreSamples returns −Score(x), scikit-learn's score_samples (lower is
// more anomalous). It panics as Score does.
func (m *Isolation) ScoreSamples(x []float64) float64 { return -m.Score(x) }

// Decision returns ScoreSamples(x) − Offset(), scikit-learn's
// decision_function: negative for predicted anomalies. It panics as Score
// does.
func (m *Isolation) Decision(x []float64) float64 { return m.ScoreSamples(x) - m.offset }

// Predict reports whether x is predicted anomalous: Decision(x) < 0
// (scikit-learn's predict = −1). It panics as Score does.
func (m *Isolation) Predict(x []float64) bool { return m.Decision(x) < 0 }

// Offset returns scikit-learn's offset_: −0.5 for Contamination "auto",
// else the Contamination quantile of the training rows' ScoreSamples.
func (m *Isolation) Offset() float64 { return m.offset }

// MaxSamples returns ψ, the rows each tree was grown on.
func (m *Isolation) MaxSamples() int { return m.maxSamples }

// NumTrees returns the number of trees.
func (m *Isolation) NumTrees() int { return len(m.trees) }

// NumFeatures returns the length of the rows the forest takes.
func (m *Isolation) NumFeatures() int { return m.d }
