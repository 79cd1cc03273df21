package forest

import (
	"math"
	"testing"
)

func TestNumpyRandomState(t *testing.T) {
	r := newRandomState(12345)
	for i, want := range goldenRandint31 {
		if got := r.randint(0, 1<<31-1); got != want {
			t.Fatalf("randint(0, 2^31-1) #%d = %d, want %d", i, got, want)
		}
	}
	for i, want := range goldenRandint10 {
		if got := r.randint(0, 10); got != want {
			t.Fatalf("randint(0, 10) #%d = %d, want %d", i, got, want)
		}
	}
	for i, got := range r.permutation(10) {
		if want := goldenPermutation10[i]; got != want {
			t.Fatalf("permutation(10) = …%d at %d, want %d", got, i, want)
		}
	}
	for i, want := range goldenUniform {
		if got := r.uniform(); got != want {
			t.Fatalf("uniform #%d = %v, want %v", i, got, want)
		}
	}
}

func closeTo(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// TestTreeEqualsSklearn is the exact check: one tree, no bootstrap, against
// scikit-learn's DecisionTreeClassifier, node for node.
func TestTreeEqualsSklearn(t *testing.T) {
	for _, g := range goldenTrees {
		t.Run(g.name, func(t *testing.T) {
			x, y := minerData(1, 120, 30)
			if g.ties {
				x, y = tiesData(12, 90)
			}
			if seeds := estimatorSeeds(g.seed, 1); seeds[0] != g.treeSeed {
				t.Fatalf("tree seed %d, scikit-learn's %d", seeds[0], g.treeSeed)
			}
			cfg := ForestConfig{NEstimators: 1, NoBootstrap: true, MaxFeatures: len(x[0]), Seed: g.seed,
				ClassWeight: g.classWeight, MaxDepth: g.maxDepth, MinSamplesLeaf: g.minLeaf}
			if g.classWeight == Explicit {
				cfg.NegWeight, cfg.PosWeight = 1, 10
			}
			if g.sqrt {
				cfg.MaxFeatures = 0
			}
			f, err := TrainForest(x, y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkTree(t, f.trees[0], g.tree)
		})
	}
}

func checkTree(t *testing.T, tr *tree, g goldenTree) {
	t.Helper()
	if len(tr.nodes) != len(g.left) {
		t.Fatalf("%d nodes, scikit-learn %d", len(tr.nodes), len(g.left))
	}
	for k, nd := range tr.nodes {
		feature, threshold := nd.feature, nd.threshold
		if nd.left == leaf {
			feature, threshold = -2, -2 // scikit-learn's TREE_UNDEFINED
		}
		if nd.left != g.left[k] || nd.right != g.right[k] || feature != g.feature[k] || threshold != g.threshold[k] {
			t.Fatalf("node %d: children (%d, %d) split x[%d] ≤ %v; scikit-learn (%d, %d) x[%d] ≤ %v",
				k, nd.left, nd.right, feature, threshold, g.left[k], g.right[k], g.feature[k], g.threshold[k])
		}
		if nd.nSamples != g.nSamples[k] || nd.weightedN != g.weightedN[k] ||
			nd.value[0] != g.value0[k] || nd.value[1] != g.value1[k] || nd.impurity != g.impurity[k] {
			t.Fatalf("node %d: n %d w %v value %v impurity %v; scikit-learn n %d w %v value [%v %v] impurity %v",
				k, nd.nSamples, nd.weightedN, nd.value, nd.impurity,
				g.nSamples[k], g.weightedN[k], g.value0[k], g.value1[k], g.impurity[k])
		}
	}
}

// TestForestEqualsSklearn: whole bootstrapped forests with the same
// random_state: node counts, probabilities, importances and out-of-bag
// estimates.
func TestForestEqualsSklearn(t *testing.T) {
	for _, g := range goldenForests {
		t.Run(g.name, func(t *testing.T) {
			x, y := minerData(1, 120, 30)
			xt, _ := minerData(2, 150, 30)
			if g.name == "ties" {
				x, y = tiesData(12, 90)
				xt, _ = tiesData(13, 40)
			}
			f, err := TrainForest(x, y, ForestConfig{NEstimators: g.nEstimators, Seed: g.seed,
				ClassWeight: g.classWeight, MaxDepth: g.maxDepth, MinSamplesSplit: g.minSplit, OOBScore: true})
			if err != nil {
				t.Fatal(err)
			}
			for k, tr := range f.trees {
				if len(tr.nodes) != g.nodeCounts[k] {
					t.Fatalf("tree %d has %d nodes, scikit-learn's %d", k, len(tr.nodes), g.nodeCounts[k])
				}
			}
			var worst float64
			for i, row := range xt {
				worst = max(worst, math.Abs(f.Proba(row)-g.proba[i]))
			}
			if worst > 1e-12 {
				t.Errorf("predict_proba differs by up to %.3g", worst)
			}
			var worstImp float64
			for j, v := range f.Importances() {
				worstImp = max(worstImp, math.Abs(v-g.importances[j]))
				if !closeTo(v, g.importances[j], 1e-12) {
					t.Errorf("importance %d = %v, scikit-learn %v", j, v, g.importances[j])
				}
			}
			score, ok := f.OOBScore()
			if !ok || score != g.oobScore {
				t.Errorf("oob score %v (%v), scikit-learn %v", score, ok, g.oobScore)
			}
			for i, p := range f.OOBProba() {
				if !closeTo(p, g.oobProba[i], 1e-12) {
					t.Fatalf("oob proba %d = %v, scikit-learn %v", i, p, g.oobProba[i])
				}
			}
			t.Logf("%s: %d trees equal to scikit-learn %s; max |Δproba| %.2g, max |Δimportance| %.2g", g.name, len(f.trees), goldenSklearnVersion, worst, worstImp)
		})
	}
}

// TestIsolationEqualsSklearn: isolation forests with the same
// random_state: node counts, offsets and score_samples.
func TestIsolationEqualsSklearn(t *testing.T) {
	for _, g := range goldenIsolation {
		t.Run(g.name, func(t *testing.T) {
			x, xq := blobData(7, 300, 12), blobData(8, 60, 6)
			if g.name == "ties" {
				x, _ = tiesData(12, 90)
				xq, _ = tiesData(13, 40)
			}
			m, err := TrainIsolation(x, IsolationConfig{NEstimators: g.nEstimators, MaxSamples: g.maxSamples,
				MaxFeatures: g.maxFeatures, Contamination: g.contamination, Seed: g.seed})
			if err != nil {
				t.Fatal(err)
			}
			for k, tr := range m.trees {
				if len(tr.nodes) != g.nodeCounts[k] {
					t.Fatalf("tree %d has %d nodes, scikit-learn's %d", k, len(tr.nodes), g.nodeCounts[k])
				}
			}
			if !closeTo(m.Offset(), g.offset, 1e-12) {
				t.Errorf("offset %v, scikit-learn %v", m.Offset(), g.offset)
			}
			var worst float64
			for i, row := range xq {
				worst = max(worst, math.Abs(m.ScoreSamples(row)-g.scoreSamples[i]))
			}
			for i, row := range x {
				worst = max(worst, math.Abs(m.ScoreSamples(row)-g.trainScoreSamples[i]))
			}
			if worst > 1e-12 {
				t.Errorf("score_samples differ by up to %.3g", worst)
			}
			t.Logf("%s: max |Δscore_samples| %.2g", g.name, worst)
		})
	}
}
