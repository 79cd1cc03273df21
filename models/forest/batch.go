package forest

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// flatNode is a node of the compact copy of a tree that the batch methods
// walk: 16 bytes, four to a cache line, where a node of the training
// layout takes 88. The nodes are renumbered in depth-first order, left
// child first, so an inner node's left child is the next node and only
// the right child is stored.
type flatNode struct {
	// v is the split threshold at an inner node (go left when
	// float64(x[feature]) ≤ v) and the tree's output at a leaf: P(true)
	// for a classification tree, h(x) for an isolation tree.
	v       float64
	right   int32 // index of the right child; zero at a leaf
	feature int32 // column of the input row; −1 at a leaf
}

// flatten returns the compact copy of the tree of n nodes, numbered from
// its root 0, whose node i is described by at: its children (leaf at a
// leaf), the column of the input row it splits on, its threshold and its
// output at a leaf.
func flatten(n int, at func(i int) (left, right, column int, threshold, value float64)) []flatNode {
	if n > math.MaxInt32 {
		panic(fmt.Sprintf("forest: a tree of %d nodes, more than an int32 indexes", n))
	}
	out := make([]flatNode, 0, n)
	type item struct{ node, parent int } // parent: the node whose right child this is, or −1
	stack := []item{{0, -1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		id := len(out)
		if it.parent >= 0 {
			out[it.parent].right = int32(id)
		}
		l, r, col, thr, v := at(it.node)
		if l == leaf {
			out = append(out, flatNode{v: v, feature: -1})
			continue
		}
		out = append(out, flatNode{v: thr, feature: int32(col)})
		stack = append(stack, item{r, id}, item{l, -1})
	}
	return out
}

// flatForest returns the compact copies of the classification trees, with
// P(true) at the leaves.
func flatForest(trees []*tree) [][]flatNode {
	out := make([][]flatNode, len(trees))
	for t, tr := range trees {
		out[t] = flatten(len(tr.nodes), func(i int) (int, int, int, float64, float64) {
			nd := &tr.nodes[i]
			return nd.left, nd.right, nd.feature, nd.threshold, nd.proba[1]
		})
	}
	return out
}

// flatIsolation returns the compact copies of the isolation trees, their
// features mapped to columns of the input row, with h(x) at the leaves.
func flatIsolation(trees []*isoTree, features [][]int) [][]flatNode {
	out := make([][]flatNode, len(trees))
	for t, tr := range trees {
		feats := features[t]
		out[t] = flatten(len(tr.nodes), func(i int) (int, int, int, float64, float64) {
			nd := &tr.nodes[i]
			col := -1
			if nd.left != leaf {
				col = feats[nd.feature]
			}
			return nd.left, nd.right, col, nd.threshold, nd.pathLen
		})
	}
	return out
}

// leafValue returns the output of the leaf that the float32 row x reaches
// in the compact tree nodes. It is kept out of line: inlined into
// walkBlock, the loop measured about 5% slower (amd64, Go 1.26). A
// branch-free step (a conditional move between the children) measured 2.5
// to 3.5 times slower: it puts the loads of every level on one chain,
// where the branch lets the processor walk ahead.
//
//go:noinline
func leafValue(nodes []flatNode, x []float32) float64 {
	i := 0
	for {
		nd := &nodes[i]
		if nd.feature < 0 {
			return nd.v
		}
		if float64(x[nd.feature]) <= nd.v {
			i++
		} else {
			i = int(nd.right)
		}
	}
}

// walkBlock adds to acc[r], for each tree in order, the output of the
// leaf that row r of rows (d float32 features each) reaches in it.
func walkBlock(trees [][]flatNode, rows []float32, d int, acc []float64) {
	for _, nodes := range trees {
		for r := range acc {
			acc[r] += leafValue(nodes, rows[r*d:(r+1)*d])
		}
	}
}

// blockBytes bounds the float32 copy of the rows with which one goroutine
// of the batch methods walks the trees: 4 MiB, 26,214 rows of 40
// features. Below it, the larger the block the faster: a tree's nodes are
// fetched into the cache once per block, and blocks that fit the
// first-level cache were slower than one block of 5,000 rows (or 50,000)
// in the second or third. A variable so that the tests can make blocks
// small.
var blockBytes = 4 << 20

// sumLeaves returns, for every row of x, the sum of the outputs of the
// leaves it reaches in trees, added in tree order from zero, as the
// per-row methods add them. The rows are rounded to float32 and taken in
// blocks: a block walks tree 0 with all of its rows, then tree 1, and so
// on, so each tree is fetched into the cache once per block rather than
// once per row. The blocks, at most about n/workers rows each, are shared
// among workers goroutines (≤ 0: GOMAXPROCS); each row's sum is added up
// by one goroutine in tree order, so the result does not depend on
// workers. It panics, naming who, if a row's length is not d.
func sumLeaves(trees [][]flatNode, x [][]float64, d, workers int, who string) []float64 {
	for i, row := range x {
		if len(row) != d {
			panic(fmt.Sprintf("forest: %s on row %d of %d features, the model has %d", who, i, len(row), d))
		}
	}
	sums := make([]float64, len(x))
	n := len(x)
	if n == 0 {
		return sums
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	block := min(max(blockBytes/(4*max(d, 1)), 1), (n+workers-1)/workers)
	nBlocks := (n + block - 1) / block
	workers = min(workers, nBlocks)
	var next atomic.Int64
	work := func() {
		buf := make([]float32, block*d)
		for {
			b := int(next.Add(1) - 1)
			if b >= nBlocks {
				return
			}
			lo, hi := b*block, min((b+1)*block, n)
			rows := buf[:(hi-lo)*d]
			for r, row := range x[lo:hi] {
				for j, v := range row {
					rows[r*d+j] = float32(v)
				}
			}
			walkBlock(trees, rows, d, sums[lo:hi])
		}
	}
	if workers <= 1 {
		work()
		return sums
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(work)
	}
	wg.Wait()
	return sums
}

// ProbaAll returns Proba(x[i]) for every row of x, bit for bit, computed
// tree by tree over blocks of rows rather than row by row (two to three
// times as fast over thousands of rows: the trees stay in cache) on up to
// workers goroutines; workers ≤ 0 means GOMAXPROCS. The result does not
// depend on workers. It panics if a row's length is not the number of
// training features.
func (f *Forest) ProbaAll(x [][]float64, workers int) []float64 {
	p := sumLeaves(f.flat, x, f.d, workers, "ProbaAll")
	k := float64(len(f.trees))
	for i := range p {
		p[i] /= k
	}
	return p
}

// scoreOf is s(x) = 2^(−E[h(x)]/c(ψ)) from the sum of h(x) over the
// trees.
func (m *Isolation) scoreOf(depths float64) float64 {
	den := float64(len(m.trees)) * AveragePathLength(m.maxSamples)
	e := 1.0 // scikit-learn's value where the denominator is zero (ψ = 1)
	if den != 0 {
		e = depths / den
	}
	return math.Pow(2, -e)
}

// ScoreSamplesAll returns ScoreSamples(x[i]) for every row of x, bit for
// bit, computed tree by tree over blocks of rows on up to workers
// goroutines (≤ 0: GOMAXPROCS), as Forest.ProbaAll. It panics if a row's
// length is not the number of training features.
func (m *Isolation) ScoreSamplesAll(x [][]float64, workers int) []float64 {
	s := sumLeaves(m.flat, x, m.d, workers, "ScoreSamplesAll")
	for i, depths := range s {
		s[i] = -m.scoreOf(depths)
	}
	return s
}

// DecisionAll returns Decision(x[i]) for every row of x, bit for bit, as
// ScoreSamplesAll computes ScoreSamples. It panics as ScoreSamplesAll
// does.
func (m *Isolation) DecisionAll(x [][]float64, workers int) []float64 {
	s := sumLeaves(m.flat, x, m.d, workers, "DecisionAll")
	for i, depths := range s {
		s[i] = -m.scoreOf(depths) - m.offset
	}
	return s
}
