package forest

import "math"

// isoNode is one node of an isolation tree.
type isoNode struct {
	left, right int // children; leaf at a leaf
	feature     int // column of the tree's own feature subset
	threshold   float64
	// pathLen, at a leaf, is its depth (the root's is zero) plus c(m) for
	// the m training rows in it, summed as scikit-learn sums it.
	pathLen float64
}

type isoTree struct{ nodes []isoNode }

// pathLength returns h(x) for the float32 row x; feats maps the tree's
// feature indices to columns of x.
func (t *isoTree) pathLength(x []float32, feats []int) float64 {
	nd := &t.nodes[0]
	for nd.left != leaf {
		if float64(x[feats[nd.feature]]) <= nd.threshold {
			nd = &t.nodes[nd.left]
		} else {
			nd = &t.nodes[nd.right]
		}
	}
	return nd.pathLen
}

// buildIsoTree grows one isolation tree on the rows samples (ascending) of
// the columns cols, to depth maxDepth: scikit-learn's ExtraTreeRegressor
// with max_features=1 as IsolationForest configures it — at each node a
// feature drawn at random among those not constant on the node, a
// threshold uniform between the node's minimum and maximum of it. The
// squared-error criterion on the random target y only decides, as in
// scikit-learn, that a node whose targets are (numerically) all equal is
// a leaf.
func buildIsoTree(cols [][]float32, y []float64, samples []int, maxDepth int, rng randR) *isoTree {
	s := &randomSplitter{cols: cols, samples: samples, rng: rng}
	s.xf = make([]float32, len(samples))
	s.features = make([]int, len(cols))
	for f := range s.features {
		s.features[f] = f
	}
	s.constant = make([]int, len(cols))
	s.crit = mse{y: y, samples: samples, wSamples: float64(len(samples))}

	t := &isoTree{}
	type record struct {
		start, end, depth, parent int
		isLeft                    bool
		impurity                  float64
		nConstant                 int
	}
	stack := []record{{start: 0, end: len(samples), parent: -2, impurity: math.Inf(1)}}
	first := true
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]

		n := r.end - r.start
		s.crit.init(r.start, r.end)
		isLeaf := r.depth >= maxDepth || n < 2
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
		nd := isoNode{left: leaf, right: leaf, feature: -1}
		if isLeaf {
			// scikit-learn: decision_path_length (depth + 1) plus
			// c(n_node_samples) minus one.
			nd.pathLen = float64(r.depth+1) + AveragePathLength(n) - 1
		} else {
			nd.feature, nd.threshold = sp.feature, sp.threshold
		}
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

// randomSplitter is scikit-learn's RandomSplitter with max_features = 1
// and min_samples_leaf = 1.
type randomSplitter struct {
	cols               [][]float32
	samples            []int
	xf                 []float32
	features, constant []int
	rng                randR
	crit               mse
}

func (s *randomSplitter) nodeSplit(impurity float64, nKnown int) (splitRecord, int) {
	start, end := s.crit.start, s.crit.end
	best := splitRecord{pos: end, impLeft: math.Inf(1), impRight: math.Inf(1), improvement: math.Inf(-1)}
	var current splitRecord
	bestProxy := math.Inf(-1)
	features := s.features

	fi := len(features)
	nVisited, nFound, nDrawn := 0, 0, 0
	nTotal := nKnown
	for fi > nTotal && (nVisited < 1 || nVisited <= nFound+nDrawn) {
		nVisited++
		fj := s.rng.intn(nDrawn, fi-nFound)
		if fj < nKnown {
			features[nDrawn], features[fj] = features[fj], features[nDrawn]
			nDrawn++
			continue
		}
		fj += nFound
		current.feature = features[fj]
		col := s.cols[current.feature]

		lo := col[s.samples[start]]
		hi := lo
		s.xf[start] = lo
		for p := start + 1; p < end; p++ {
			v := col[s.samples[p]]
			s.xf[p] = v
			if v < lo {
				lo = v
			} else if v > hi {
				hi = v
			}
		}
		if hi <= lo+featureThreshold {
			features[fj], features[nTotal] = features[nTotal], current.feature
			nFound++
			nTotal++
			continue
		}
		fi--
		features[fi], features[fj] = features[fj], features[fi]

		current.threshold = s.rng.uniform(float64(lo), float64(hi))
		if current.threshold == float64(hi) {
			current.threshold = float64(lo)
		}
		p, pe := start, end
		for p < pe {
			if float64(s.xf[p]) <= current.threshold {
				p++
			} else {
				pe--
				s.xf[p], s.xf[pe] = s.xf[pe], s.xf[p]
				s.samples[p], s.samples[pe] = s.samples[pe], s.samples[p]
			}
		}
		current.pos = pe
		if pe-start < 1 || end-pe < 1 {
			continue
		}
		s.crit.reset()
		s.crit.update(pe)
		if s.crit.wLeft < 0 || s.crit.wRight < 0 {
			continue
		}
		if proxy := s.crit.proxyImprovement(); proxy > bestProxy {
			bestProxy = proxy
			best = current
		}
	}

	if best.pos < end {
		if current.feature != best.feature {
			col := s.cols[best.feature]
			for p, pe := start, end; p < pe; {
				if float64(col[s.samples[p]]) <= best.threshold {
					p++
				} else {
					pe--
					s.samples[p], s.samples[pe] = s.samples[pe], s.samples[p]
				}
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

// mse is scikit-learn's squared-error criterion for one output with every
// row of weight one.
type mse struct {
	y        []float64
	samples  []int
	wSamples float64

	start, pos, end      int
	sumTotal, sqSumTotal float64
	sumLeft, sumRight    float64
	wNode, wLeft, wRight float64
}

func (c *mse) init(start, end int) {
	c.start, c.end = start, end
	c.sumTotal, c.sqSumTotal, c.wNode = 0, 0, 0
	for _, i := range c.samples[start:end] {
		v := c.y[i]
		c.sumTotal += v
		c.sqSumTotal += float64(v * v)
		c.wNode++
	}
	c.reset()
}

func (c *mse) reset() {
	c.pos = c.start
	c.wLeft, c.wRight = 0, c.wNode
	c.sumLeft, c.sumRight = 0, c.sumTotal
}

func (c *mse) update(newPos int) {
	if newPos-c.pos <= c.end-newPos {
		for _, i := range c.samples[c.pos:newPos] {
			c.sumLeft += c.y[i]
			c.wLeft++
		}
	} else {
		c.pos = c.end // reverse reset
		c.wLeft, c.sumLeft = c.wNode, c.sumTotal
		for p := c.end - 1; p >= newPos; p-- {
			c.sumLeft -= c.y[c.samples[p]]
			c.wLeft--
		}
	}
	c.wRight = c.wNode - c.wLeft
	c.sumRight = c.sumTotal - c.sumLeft
	c.pos = newPos
}

func (c *mse) nodeImpurity() float64 {
	m := c.sumTotal / c.wNode
	return c.sqSumTotal/c.wNode - float64(m*m)
}

func (c *mse) childrenImpurity() (left, right float64) {
	var sqLeft float64
	for _, i := range c.samples[c.start:c.pos] {
		v := c.y[i]
		sqLeft += float64(v * v)
	}
	sqRight := c.sqSumTotal - sqLeft
	ml, mr := c.sumLeft/c.wLeft, c.sumRight/c.wRight
	return sqLeft/c.wLeft - float64(ml*ml), sqRight/c.wRight - float64(mr*mr)
}

func (c *mse) proxyImprovement() float64 {
	return float64(c.sumLeft*c.sumLeft)/c.wLeft + float64(c.sumRight*c.sumRight)/c.wRight
}

func (c *mse) impurityImprovement(parent, left, right float64) float64 {
	return float64(c.wNode/c.wSamples) * (parent - float64(c.wRight/c.wNode*right) - float64(c.wLeft/c.wNode*left))
}
