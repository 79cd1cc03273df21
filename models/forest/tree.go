package forest

import "math"

const (
	// leaf marks a missing child.
	leaf = -1
	// featureThreshold is scikit-learn's FEATURE_THRESHOLD, a float32:
	// values closer than it count as equal.
	featureThreshold float32 = 1e-7
	// epsilon is np.finfo(float64).eps, scikit-learn's EPSILON.
	epsilon = 0x1p-52
	// unlimitedDepth is scikit-learn's max_depth=None.
	unlimitedDepth = math.MaxInt32
)

// node is one node of a classification tree, laid out as scikit-learn's
// Tree: nodes are numbered in depth-first order, left child first.
type node struct {
	left, right int     // children; leaf (−1) at a leaf
	feature     int     // split feature; −1 at a leaf
	threshold   float64 // go left when float64(float32(x[feature])) ≤ threshold
	impurity    float64 // Gini impurity of the node's weighted samples
	nSamples    int     // distinct training rows in the node
	weightedN   float64 // their total weight
	value       [2]float64
	// proba is P(false), P(true) at the node: value normalized.
	proba [2]float64
}

// probaOf normalizes a node's weighted class counts to P(false), P(true);
// both are zero for a node of no weight.
func probaOf(value [2]float64) [2]float64 {
	if norm := value[0] + value[1]; norm != 0 {
		return [2]float64{value[0] / norm, value[1] / norm}
	}
	return [2]float64{}
}

// treeParams are the resolved growth limits of one tree.
type treeParams struct {
	maxFeatures     int // features drawn per split, in [1, d]
	maxDepth        int
	minSamplesSplit int
	minSamplesLeaf  int
}

type tree struct{ nodes []node }

// apply returns the leaf that row x (already float32) reaches.
func (t *tree) apply(x []float32) *node {
	nd := &t.nodes[0]
	for nd.left != leaf {
		if float64(x[nd.feature]) <= nd.threshold {
			nd = &t.nodes[nd.left]
		} else {
			nd = &t.nodes[nd.right]
		}
	}
	return nd
}

// importances returns the tree's impurity decrease per feature, normalized
// to sum to one (all zero for a single leaf), as scikit-learn's
// Tree.compute_feature_importances.
func (t *tree) importances(d int) []float64 {
	imp := make([]float64, d)
	for _, nd := range t.nodes {
		if nd.left == leaf {
			continue
		}
		l, r := &t.nodes[nd.left], &t.nodes[nd.right]
		imp[nd.feature] += float64(nd.weightedN*nd.impurity) - float64(l.weightedN*l.impurity) - float64(r.weightedN*r.impurity)
	}
	for i := range imp {
		imp[i] /= t.nodes[0].weightedN
	}
	if s := numpySum(imp); s > 0 {
		for i := range imp {
			imp[i] /= s
		}
	}
	return imp
}

// buildTree grows a Gini classification tree on the columns cols (float32,
// one slice per feature), labels y (0 = false, 1 = true) and sample
// weights w (nil: all one; rows of weight zero are left out), drawing
// features from rng. It is scikit-learn's DepthFirstTreeBuilder with
// BestSplitter and Gini, step for step, so that for the same xorshift seed
// the tree is scikit-learn's.
func buildTree(cols [][]float32, y []uint8, w []float64, p treeParams, rng randR) *tree {
	s := newBestSplitter(cols, y, w, p, rng)
	t := &tree{}
	type record struct {
		start, end, depth, parent int
		isLeft                    bool
		impurity                  float64
		nConstant                 int
	}
	stack := []record{{start: 0, end: len(s.samples), parent: -2, impurity: math.Inf(1)}}
	first := true
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]

		n := r.end - r.start
		wNode := s.nodeReset(r.start, r.end)
		isLeaf := r.depth >= p.maxDepth || n < p.minSamplesSplit || n < 2*p.minSamplesLeaf || wNode < 0
		impurity := r.impurity
		if first {
			impurity = s.crit.nodeImpurity()
			first = false
		}
		isLeaf = isLeaf || impurity <= epsilon

		var sp splitRecord
		nConstant := r.nConstant
		if !isLeaf {
			sp, nConstant = s.nodeSplit(impurity, r.nConstant)
			isLeaf = sp.pos >= r.end || sp.improvement+epsilon < 0
		}

		id := len(t.nodes)
		nd := node{left: leaf, right: leaf, feature: -1, impurity: impurity, nSamples: n, weightedN: wNode, value: s.crit.total}
		if !isLeaf {
			nd.feature, nd.threshold = sp.feature, sp.threshold
		}
		nd.proba = probaOf(nd.value)
		t.nodes = append(t.nodes, nd)
		if r.parent >= 0 {
			if r.isLeft {
				t.nodes[r.parent].left = id
			} else {
				t.nodes[r.parent].right = id
			}
		}
		if !isLeaf {
			stack = append(stack,
				record{start: sp.pos, end: r.end, depth: r.depth + 1, parent: id, impurity: sp.impRight, nConstant: nConstant},
				record{start: r.start, end: sp.pos, depth: r.depth + 1, parent: id, isLeft: true, impurity: sp.impLeft, nConstant: nConstant})
		}
	}
	return t
}

// splitRecord is a candidate split: rows samples[start:pos] go left.
type splitRecord struct {
	pos, feature      int
	threshold         float64
	impLeft, impRight float64
	improvement       float64
}

// bestSplitter is scikit-learn's BestSplitter on dense float32 data.
type bestSplitter struct {
	cols    [][]float32
	samples []int     // rows of positive weight; nodes are ranges of it
	xf      []float32 // feature values of samples, by position
	// features and constant hold scikit-learn's Fisher–Yates state: the
	// order in which features were drawn and which are known constant.
	features, constant []int
	p                  treeParams
	rng                randR
	crit               gini
}

func newBestSplitter(cols [][]float32, y []uint8, w []float64, p treeParams, rng randR) *bestSplitter {
	n := len(y)
	s := &bestSplitter{cols: cols, p: p, rng: rng}
	var wSum float64
	for i := range n {
		if w == nil || w[i] != 0 {
			s.samples = append(s.samples, i)
		}
		if w != nil {
			wSum += w[i]
		} else {
			wSum++
		}
	}
	s.xf = make([]float32, n)
	s.features = make([]int, len(cols))
	for f := range s.features {
		s.features[f] = f
	}
	s.constant = make([]int, len(cols))
	s.crit = gini{y: y, w: w, samples: s.samples, wSamples: wSum}
	return s
}

// nodeReset points the criterion at samples[start:end] and returns their
// total weight.
func (s *bestSplitter) nodeReset(start, end int) float64 {
	s.crit.init(start, end)
	return s.crit.wNode
}

// nodeSplit finds the best split of the current node, whose impurity is
// impurity and whose first nKnown entries of features are known constant.
// It returns the split (pos = end when there is none) and the number of
// constant features for the children.
func (s *bestSplitter) nodeSplit(impurity float64, nKnown int) (splitRecord, int) {
	start, end := s.crit.start, s.crit.end
	best := splitRecord{pos: end, impLeft: math.Inf(1), impRight: math.Inf(1), improvement: math.Inf(-1)}
	bestProxy := math.Inf(-1)
	features := s.features

	fi := len(features)
	nVisited, nFound, nDrawn := 0, 0, 0
	nTotal := nKnown
	for fi > nTotal && (nVisited < s.p.maxFeatures || nVisited <= nFound+nDrawn) {
		nVisited++
		fj := s.rng.intn(nDrawn, fi-nFound)
		if fj < nKnown {
			features[nDrawn], features[fj] = features[fj], features[nDrawn]
			nDrawn++
			continue
		}
		fj += nFound
		f := features[fj]
		col := s.cols[f]
		xf, smp := s.xf[start:end], s.samples[start:end]
		for k, i := range smp {
			xf[k] = col[i]
		}
		sortSamples(xf, smp)
		if xf[len(xf)-1] <= xf[0]+featureThreshold {
			features[fj], features[nTotal] = features[nTotal], features[fj]
			nFound++
			nTotal++
			continue
		}
		fi--
		features[fi], features[fj] = features[fj], features[fi]

		s.crit.reset()
		for p := start; p < end; {
			for p+1 < end && s.xf[p+1] <= s.xf[p]+featureThreshold {
				p++
			}
			p++
			if p >= end {
				continue
			}
			if p-start < s.p.minSamplesLeaf || end-p < s.p.minSamplesLeaf {
				continue
			}
			s.crit.update(p)
			if s.crit.wLeft < 0 || s.crit.wRight < 0 { // min_weight_leaf = 0
				continue
			}
			if proxy := s.crit.proxyImprovement(); proxy > bestProxy {
				bestProxy = proxy
				lo, hi := float64(s.xf[p-1]), float64(s.xf[p])
				thr := lo/2 + hi/2
				if thr == hi || math.IsInf(thr, 0) {
					thr = lo
				}
				best = splitRecord{pos: p, feature: f, threshold: thr}
			}
		}
	}

	if best.pos < end {
		col := s.cols[best.feature]
		for p, pe := start, end; p < pe; {
			if float64(col[s.samples[p]]) <= best.threshold {
				p++
			} else {
				pe--
				s.samples[p], s.samples[pe] = s.samples[pe], s.samples[p]
			}
		}
		s.crit.reset()
		s.crit.update(best.pos)
		best.impLeft, best.impRight = s.crit.childrenImpurity()
		best.improvement = s.crit.impurityImprovement(impurity, best.impLeft, best.impRight)
	}
	copy(features[:nKnown], s.constant[:nKnown])
	copy(s.constant[nKnown:nKnown+nFound], features[nKnown:nKnown+nFound])
	return best, nTotal
}

// gini is scikit-learn's Gini criterion for two classes: weighted class
// counts of a node and of its left and right parts at pos.
type gini struct {
	y        []uint8
	w        []float64
	samples  []int
	wSamples float64 // total weight of all rows

	start, pos, end      int
	total, left, right   [2]float64
	wNode, wLeft, wRight float64
}

func (c *gini) weight(i int) float64 {
	if c.w == nil {
		return 1
	}
	return c.w[i]
}

func (c *gini) init(start, end int) {
	c.start, c.end = start, end
	c.total = [2]float64{}
	c.wNode = 0
	for _, i := range c.samples[start:end] {
		w := c.weight(i)
		c.total[c.y[i]] += w
		c.wNode += w
	}
	c.reset()
}

func (c *gini) reset() {
	c.pos = c.start
	c.wLeft, c.wRight = 0, c.wNode
	c.left, c.right = [2]float64{}, c.total
}

func (c *gini) reverseReset() {
	c.pos = c.end
	c.wLeft, c.wRight = c.wNode, 0
	c.left, c.right = c.total, [2]float64{}
}

// update moves pos to newPos, adding from pos or subtracting from end,
// whichever touches fewer rows.
func (c *gini) update(newPos int) {
	if newPos-c.pos <= c.end-newPos {
		for _, i := range c.samples[c.pos:newPos] {
			w := c.weight(i)
			c.left[c.y[i]] += w
			c.wLeft += w
		}
	} else {
		c.reverseReset()
		for p := c.end - 1; p >= newPos; p-- {
			i := c.samples[p]
			w := c.weight(i)
			c.left[c.y[i]] -= w
			c.wLeft -= w
		}
	}
	c.wRight = c.wNode - c.wLeft
	c.right[0] = c.total[0] - c.left[0]
	c.right[1] = c.total[1] - c.left[1]
	c.pos = newPos
}

// giniOf is 1 − Σ_c (count_c / w)². The explicit conversions keep the
// compiler from fusing multiply–adds, so the rounding is scikit-learn's.
func giniOf(counts [2]float64, w float64) float64 {
	sq := float64(counts[0]*counts[0]) + float64(counts[1]*counts[1])
	return 1 - sq/float64(w*w)
}

func (c *gini) nodeImpurity() float64 { return giniOf(c.total, c.wNode) }

func (c *gini) childrenImpurity() (left, right float64) {
	return giniOf(c.left, c.wLeft), giniOf(c.right, c.wRight)
}

// proxyImprovement ranks the splits of one node as the impurity decrease
// does: −w_R·G_R − w_L·G_L.
func (c *gini) proxyImprovement() float64 {
	l, r := c.childrenImpurity()
	return float64(-c.wRight*r) - float64(c.wLeft*l)
}

// impurityImprovement is the weighted impurity decrease of the split.
func (c *gini) impurityImprovement(parent, left, right float64) float64 {
	return float64(c.wNode/c.wSamples) * (parent - float64(c.wRight/c.wNode*right) - float64(c.wLeft/c.wNode*left))
}

// numpySum is np.sum of a float64 vector: numpy's pairwise summation.
func numpySum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		var s float64
		for _, v := range a {
			s += v
		}
		return s
	case n <= 128:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range 8 {
				r[j] += a[i+j]
			}
		}
		s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += a[i]
		}
		return s
	}
	n2 := n / 2
	n2 -= n2 % 8
	return numpySum(a[:n2]) + numpySum(a[n2:])
}
