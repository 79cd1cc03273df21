package forest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/models/internal/jsondoc"
)

// ErrFormat is wrapped by the errors of the MarshalJSON and UnmarshalJSON
// methods: a model that cannot be written (untrained, or holding a NaN or
// infinity) or a document that is not a valid saved model.
var ErrFormat = errors.New("invalid model document")

// Formats name and version the documents of Forest and Isolation.
const (
	forestFormat    = "vigil.forest/1"
	isolationFormat = "vigil.isolation/1"
)

// forestJSON is the saved Forest: its trees, class weights and feature
// importances.
type forestJSON struct {
	Format       string     `json:"format"`
	NumFeatures  int        `json:"num_features"`
	ClassWeights []float64  `json:"class_weights"` // false, true
	Importances  []float64  `json:"importances"`
	Trees        []treeJSON `json:"trees"`
}

// treeJSON holds a tree's nodes column by column, in scikit-learn's
// depth-first order: children and feature are −1 at a leaf, and value is
// the weighted count of false and true rows at every node.
type treeJSON struct {
	Left      []int       `json:"left"`
	Right     []int       `json:"right"`
	Feature   []int       `json:"feature"`
	Threshold []float64   `json:"threshold"`
	Value     [][]float64 `json:"value"`
}

// isolationJSON is the saved Isolation.
type isolationJSON struct {
	Format      string        `json:"format"`
	NumFeatures int           `json:"num_features"`
	MaxSamples  int           `json:"max_samples"`
	Offset      float64       `json:"offset"`
	Trees       []isoTreeJSON `json:"trees"`
}

// isoTreeJSON holds an isolation tree as treeJSON does: feature indexes
// the tree's Features, the columns of the input row it was grown on, and
// path_length is the leaf's h(x) (zero at inner nodes).
type isoTreeJSON struct {
	Features   []int     `json:"features"`
	Left       []int     `json:"left"`
	Right      []int     `json:"right"`
	Feature    []int     `json:"feature"`
	Threshold  []float64 `json:"threshold"`
	PathLength []float64 `json:"path_length"`
}

var (
	forestRequired    = []string{"format", "num_features", "class_weights", "importances", "trees"}
	isolationRequired = []string{"format", "num_features", "max_samples", "offset", "trees"}
)

// MarshalJSON writes the forest as a versioned JSON document (format
// "vigil.forest/1") from which UnmarshalJSON restores a forest with
// bit-identical Proba, Predict and Importances. The out-of-bag estimates,
// which describe the training rows, are not saved. It returns an error
// wrapping ErrFormat for an untrained forest or one holding a NaN or
// infinity.
func (f *Forest) MarshalJSON() ([]byte, error) {
	if f == nil {
		return nil, fmt.Errorf("forest: %w: nil Forest", ErrFormat)
	}
	j := forestJSON{Format: forestFormat, NumFeatures: f.d, ClassWeights: f.classW[:],
		Importances: append([]float64{}, f.importances...), Trees: make([]treeJSON, len(f.trees))}
	for t, tr := range f.trees {
		if tr == nil {
			continue // check reports the empty tree
		}
		n := len(tr.nodes)
		tj := treeJSON{Left: make([]int, n), Right: make([]int, n), Feature: make([]int, n),
			Threshold: make([]float64, n), Value: make([][]float64, n)}
		for i, nd := range tr.nodes {
			tj.Left[i], tj.Right[i], tj.Feature[i], tj.Threshold[i] = nd.left, nd.right, nd.feature, nd.threshold
			tj.Value[i] = []float64{nd.value[0], nd.value[1]}
		}
		j.Trees[t] = tj
	}
	if err := j.check(); err != nil {
		return nil, fmt.Errorf("forest: %w: %w", ErrFormat, err)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a document Forest.MarshalJSON wrote. It checks the
// format, that every key is present and known and no value null, and that
// every tree is a tree over the forest's features with consistent
// columns; on any error, wrapping ErrFormat, the forest is left unchanged.
// OOBScore reports false on the forest read.
func (f *Forest) UnmarshalJSON(b []byte) error {
	var j forestJSON
	if err := jsondoc.Decode(b, forestFormat, forestRequired, &j); err != nil {
		return fmt.Errorf("forest: %w: %w", ErrFormat, err)
	}
	if err := j.check(); err != nil {
		return fmt.Errorf("forest: %w: %w", ErrFormat, err)
	}
	out := Forest{d: j.NumFeatures, trees: make([]*tree, len(j.Trees)), importances: j.Importances,
		classW: [2]float64{j.ClassWeights[0], j.ClassWeights[1]}}
	for t, tj := range j.Trees {
		tr := &tree{nodes: make([]node, len(tj.Left))}
		for i := range tr.nodes {
			nd := &tr.nodes[i]
			nd.left, nd.right, nd.feature, nd.threshold = tj.Left[i], tj.Right[i], tj.Feature[i], tj.Threshold[i]
			nd.value = [2]float64{tj.Value[i][0], tj.Value[i][1]}
			nd.proba = probaOf(nd.value)
		}
		out.trees[t] = tr
	}
	out.flat = flatForest(out.trees)
	*f = out
	return nil
}

// check reports the first inconsistency of a document, naming its key.
func (j *forestJSON) check() error {
	switch {
	case j.NumFeatures < 1:
		return fmt.Errorf("num_features %d, want ≥ 1", j.NumFeatures)
	case len(j.ClassWeights) != 2:
		return fmt.Errorf("%d class_weights, want 2", len(j.ClassWeights))
	case len(j.Importances) != j.NumFeatures:
		return fmt.Errorf("%d importances, want num_features = %d", len(j.Importances), j.NumFeatures)
	case len(j.Trees) == 0:
		return errors.New("no trees")
	}
	for c, w := range j.ClassWeights {
		if !(w > 0) || math.IsInf(w, 0) {
			return fmt.Errorf("class_weights[%d] is %v, want finite and > 0", c, w)
		}
	}
	if err := jsondoc.AllFinite("importances", j.Importances); err != nil {
		return err
	}
	for t, tj := range j.Trees {
		if err := tj.check(j.NumFeatures); err != nil {
			return fmt.Errorf("trees[%d]: %w", t, err)
		}
	}
	return nil
}

func (tj *treeJSON) check(d int) error {
	if err := checkTopology(tj.Left, tj.Right, tj.Feature, d); err != nil {
		return err
	}
	n := len(tj.Left)
	if len(tj.Threshold) != n || len(tj.Value) != n {
		return fmt.Errorf("%d thresholds and %d values for %d nodes", len(tj.Threshold), len(tj.Value), n)
	}
	if err := jsondoc.AllFinite("threshold", tj.Threshold); err != nil {
		return err
	}
	for i, v := range tj.Value {
		if len(v) != 2 {
			return fmt.Errorf("value[%d] has %d entries, want 2", i, len(v))
		}
		for c, w := range v {
			if !(w >= 0) || math.IsInf(w, 0) {
				return fmt.Errorf("value[%d][%d] is %v, want finite and ≥ 0", i, c, w)
			}
		}
	}
	return nil
}

// MarshalJSON writes the isolation forest as a versioned JSON document
// (format "vigil.isolation/1") from which UnmarshalJSON restores a forest
// with bit-identical scores, decisions and path lengths. It returns an
// error wrapping ErrFormat for an untrained forest or one holding a NaN or
// infinity.
func (m *Isolation) MarshalJSON() ([]byte, error) {
	if m == nil {
		return nil, fmt.Errorf("forest: %w: nil Isolation", ErrFormat)
	}
	j := isolationJSON{Format: isolationFormat, NumFeatures: m.d, MaxSamples: m.maxSamples, Offset: m.offset,
		Trees: make([]isoTreeJSON, len(m.trees))}
	for t, tr := range m.trees {
		if tr == nil || t >= len(m.features) {
			continue // check reports the empty tree
		}
		n := len(tr.nodes)
		tj := isoTreeJSON{Features: append([]int{}, m.features[t]...), Left: make([]int, n), Right: make([]int, n),
			Feature: make([]int, n), Threshold: make([]float64, n), PathLength: make([]float64, n)}
		for i, nd := range tr.nodes {
			tj.Left[i], tj.Right[i], tj.Feature[i] = nd.left, nd.right, nd.feature
			tj.Threshold[i], tj.PathLength[i] = nd.threshold, nd.pathLen
		}
		j.Trees[t] = tj
	}
	if err := j.check(); err != nil {
		return nil, fmt.Errorf("forest: %w: %w", ErrFormat, err)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a document Isolation.MarshalJSON wrote, checking it
// as Forest.UnmarshalJSON does; on any error, wrapping ErrFormat, the
// forest is left unchanged.
func (m *Isolation) UnmarshalJSON(b []byte) error {
	var j isolationJSON
	if err := jsondoc.Decode(b, isolationFormat, isolationRequired, &j); err != nil {
		return fmt.Errorf("forest: %w: %w", ErrFormat, err)
	}
	if err := j.check(); err != nil {
		return fmt.Errorf("forest: %w: %w", ErrFormat, err)
	}
	out := Isolation{d: j.NumFeatures, trees: make([]*isoTree, len(j.Trees)), features: make([][]int, len(j.Trees)),
		maxSamples: j.MaxSamples, offset: j.Offset}
	for t, tj := range j.Trees {
		tr := &isoTree{nodes: make([]isoNode, len(tj.Left))}
		for i := range tr.nodes {
			tr.nodes[i] = isoNode{left: tj.Left[i], right: tj.Right[i], feature: tj.Feature[i],
				threshold: tj.Threshold[i], pathLen: tj.PathLength[i]}
		}
		out.trees[t], out.features[t] = tr, tj.Features
	}
	out.flat = flatIsolation(out.trees, out.features)
	*m = out
	return nil
}

func (j *isolationJSON) check() error {
	switch {
	case j.NumFeatures < 1:
		return fmt.Errorf("num_features %d, want ≥ 1", j.NumFeatures)
	case j.MaxSamples < 1:
		return fmt.Errorf("max_samples %d, want ≥ 1", j.MaxSamples)
	case len(j.Trees) == 0:
		return errors.New("no trees")
	}
	if err := jsondoc.Finite("offset", j.Offset); err != nil {
		return err
	}
	for t, tj := range j.Trees {
		if err := tj.check(j.NumFeatures); err != nil {
			return fmt.Errorf("trees[%d]: %w", t, err)
		}
	}
	return nil
}

func (tj *isoTreeJSON) check(d int) error {
	if len(tj.Features) == 0 {
		return errors.New("no features")
	}
	seen := make(map[int]bool, len(tj.Features))
	for k, f := range tj.Features {
		if f < 0 || f >= d || seen[f] {
			return fmt.Errorf("features[%d] = %d, want distinct columns in [0, %d)", k, f, d)
		}
		seen[f] = true
	}
	if err := checkTopology(tj.Left, tj.Right, tj.Feature, len(tj.Features)); err != nil {
		return err
	}
	n := len(tj.Left)
	if len(tj.Threshold) != n || len(tj.PathLength) != n {
		return fmt.Errorf("%d thresholds and %d path lengths for %d nodes", len(tj.Threshold), len(tj.PathLength), n)
	}
	if err := jsondoc.AllFinite("threshold", tj.Threshold); err != nil {
		return err
	}
	for i, v := range tj.PathLength {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("path_length[%d] is %v, want finite and ≥ 0", i, v)
		}
	}
	return nil
}

// checkTopology checks that left, right and feature describe one binary
// tree over nf features, numbered from its root: every other node the
// child of exactly one node numbered before it, a leaf with both children
// and its feature −1, an inner node with a feature in [0, nf). Prediction
// on such a tree stays in range and ends.
func checkTopology(left, right, feature []int, nf int) error {
	n := len(left)
	switch {
	case n == 0:
		return errors.New("no nodes")
	case len(right) != n || len(feature) != n:
		return fmt.Errorf("%d left, %d right children and %d features for %d nodes", n, len(right), len(feature), n)
	}
	hasParent := make([]bool, n)
	for i := range n {
		if left[i] == leaf && right[i] == leaf {
			if feature[i] != -1 {
				return fmt.Errorf("leaf %d has feature %d, want -1", i, feature[i])
			}
			continue
		}
		if f := feature[i]; f < 0 || f >= nf {
			return fmt.Errorf("node %d: feature %d out of range [0, %d)", i, f, nf)
		}
		for _, c := range [2]int{left[i], right[i]} {
			if c <= i || c >= n {
				return fmt.Errorf("node %d: child %d out of range [%d, %d)", i, c, i+1, n)
			}
			if hasParent[c] {
				return fmt.Errorf("node %d: child %d has another parent", i, c)
			}
			hasParent[c] = true
		}
	}
	for i := 1; i < n; i++ {
		if !hasParent[i] {
			return fmt.Errorf("node %d is no node's child", i)
		}
	}
	return nil
}
