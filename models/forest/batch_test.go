package forest

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// batchWorkers are the worker counts the batch tests try: serial, the
// rows split in two, split unevenly, and GOMAXPROCS.
var batchWorkers = []int{1, 2, 3, 0}

// queryRows returns rows of d features to predict on: rows, fresh points
// in and beyond the training range, and rows holding NaN, ±Inf, values
// beyond float32 and float32 rounding ties, which the per-row methods
// accept too.
func queryRows(rows [][]float64, d int, seed uint64) [][]float64 {
	q := append([][]float64{}, rows...)
	q = append(q, freshPoints(seed, 150, d, -10, 100)...)
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -1e300, 1 + 0x1p-24, 0x1p-150} {
		for j := range d {
			row := make([]float64, d)
			copy(row, rows[j%len(rows)])
			row[j] = v
			q = append(q, row)
		}
	}
	return q
}

// withSmallBlocks runs fn with blocks of at most rows rows of d features,
// so that every worker walks several blocks, the last one short.
func withSmallBlocks(t *testing.T, rows, d int, fn func()) {
	t.Helper()
	saved := blockBytes
	blockBytes = 4 * d * rows
	defer func() { blockBytes = saved }()
	fn()
}

// checkBatch compares got, a batch method's output on x with workers
// workers, with the per-row method one, bit for bit.
func checkBatch(t *testing.T, what string, workers int, x [][]float64, got []float64, one func([]float64) float64) {
	t.Helper()
	if got == nil || len(got) != len(x) {
		t.Fatalf("%s, %d workers: %d values (nil: %v) for %d rows", what, workers, len(got), got == nil, len(x))
	}
	for i, row := range x {
		if want := one(row); !sameBits(got[i], want) {
			t.Fatalf("%s, %d workers, row %d %v: %v, the per-row method %v", what, workers, i, row, got[i], want)
		}
	}
}

// forestCases are the forests of the golden tests, an explicitly weighted
// one with all features, one of single leaves and one restored from JSON,
// with the rows to predict on.
func forestCases(t *testing.T) []struct {
	name string
	f    *Forest
	x    [][]float64
} {
	t.Helper()
	type c = struct {
		name string
		f    *Forest
		x    [][]float64
	}
	var cases []c
	for _, g := range goldenForests {
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
		cases = append(cases, c{g.name, f, queryRows(append(x, xt...), len(x[0]), 1)})
	}
	x, y := minerData(3, 200, 10)
	f, err := TrainForest(x, y, ForestConfig{NEstimators: 10, ClassWeight: Explicit, PosWeight: 7.5, NegWeight: 0.3, MaxFeatures: 6})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, c{"explicit", f, queryRows(x, 6, 2)})
	var back Forest
	roundTrip(t, f, &back)
	cases = append(cases, c{"explicit, restored from JSON", &back, queryRows(x, 6, 2)})
	leaves, err := TrainForest([][]float64{{1, 2}, {1, 2}}, []bool{true, false}, ForestConfig{NEstimators: 3, NoBootstrap: true})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, c{"single leaves", leaves, freshPoints(3, 10, 2, -5, 5)})
	return cases
}

// TestProbaAllEqualsProba: ProbaAll gives Proba's values bit for bit with
// 1, 2, 3 and GOMAXPROCS workers, in one block per worker and in many
// small ones, and an empty slice for no rows.
func TestProbaAllEqualsProba(t *testing.T) {
	for _, c := range forestCases(t) {
		t.Run(c.name, func(t *testing.T) {
			for _, w := range batchWorkers {
				checkBatch(t, "ProbaAll", w, c.x, c.f.ProbaAll(c.x, w), c.f.Proba)
				withSmallBlocks(t, 7, c.f.d, func() {
					checkBatch(t, "ProbaAll in blocks of 7 rows", w, c.x, c.f.ProbaAll(c.x, w), c.f.Proba)
				})
				for _, empty := range [][][]float64{nil, {}} {
					if got := c.f.ProbaAll(empty, w); got == nil || len(got) != 0 {
						t.Errorf("ProbaAll(%#v, %d) = %#v, want an empty slice", empty, w, got)
					}
				}
			}
			// More workers than rows.
			checkBatch(t, "ProbaAll", 8, c.x[:3], c.f.ProbaAll(c.x[:3], 8), c.f.Proba)
		})
	}
}

// TestFlatTreesMatchNodes: the compact trees that the batch methods walk
// reach, for every row, the leaf of the training layout.
func TestFlatTreesMatchNodes(t *testing.T) {
	for _, c := range forestCases(t) {
		if len(c.f.flat) != len(c.f.trees) {
			t.Fatalf("%s: %d compact trees for %d trees", c.name, len(c.f.flat), len(c.f.trees))
		}
		for k, tr := range c.f.trees {
			if len(c.f.flat[k]) != len(tr.nodes) {
				t.Fatalf("%s: compact tree %d has %d nodes, want %d", c.name, k, len(c.f.flat[k]), len(tr.nodes))
			}
			for _, row := range c.x {
				x32 := toFloat32(row, c.f.d, "test")
				if got, want := leafValue(c.f.flat[k], x32), tr.apply(x32).proba[1]; !sameBits(got, want) {
					t.Fatalf("%s: tree %d, row %v: compact leaf %v, want %v", c.name, k, row, got, want)
				}
			}
		}
	}
}

// TestIsolationBatchEqualsPerRow: ScoreSamplesAll and DecisionAll give
// ScoreSamples' and Decision's values bit for bit, as
// TestProbaAllEqualsProba checks ProbaAll, on the golden isolation forests
// (feature subsets, contamination offsets, ties) and one restored from
// JSON.
func TestIsolationBatchEqualsPerRow(t *testing.T) {
	type c struct {
		name string
		m    *Isolation
		x    [][]float64
	}
	var cases []c
	for _, g := range goldenIsolation {
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
		cases = append(cases, c{g.name, m, queryRows(append(x, xq...), len(x[0]), 4)})
	}
	x, _ := minerData(5, 300, 10)
	m, err := TrainIsolation(x, IsolationConfig{NEstimators: 20, MaxFeatures: 3, Contamination: 0.05, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	var back Isolation
	roundTrip(t, m, &back)
	cases = append(cases, c{"3 of 6 features", m, queryRows(x, 6, 5)}, c{"3 of 6 features, restored from JSON", &back, queryRows(x, 6, 5)})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, w := range batchWorkers {
				checkBatch(t, "ScoreSamplesAll", w, c.x, c.m.ScoreSamplesAll(c.x, w), c.m.ScoreSamples)
				checkBatch(t, "DecisionAll", w, c.x, c.m.DecisionAll(c.x, w), c.m.Decision)
				withSmallBlocks(t, 5, c.m.d, func() {
					checkBatch(t, "ScoreSamplesAll in blocks of 5 rows", w, c.x, c.m.ScoreSamplesAll(c.x, w), c.m.ScoreSamples)
					checkBatch(t, "DecisionAll in blocks of 5 rows", w, c.x, c.m.DecisionAll(c.x, w), c.m.Decision)
				})
				for _, empty := range [][][]float64{nil, {}} {
					if got := c.m.ScoreSamplesAll(empty, w); got == nil || len(got) != 0 {
						t.Errorf("ScoreSamplesAll(%#v, %d) = %#v, want an empty slice", empty, w, got)
					}
					if got := c.m.DecisionAll(empty, w); got == nil || len(got) != 0 {
						t.Errorf("DecisionAll(%#v, %d) = %#v, want an empty slice", empty, w, got)
					}
				}
			}
			checkBatch(t, "DecisionAll", 8, c.x[:3], c.m.DecisionAll(c.x[:3], 8), c.m.Decision)
		})
	}
}

// TestBatchWrongLengthPanics: a row of the wrong length panics in the
// caller's goroutine, naming the method and the row, before any work.
func TestBatchWrongLengthPanics(t *testing.T) {
	x, y := minerData(1, 60, 30)
	f, err := TrainForest(x, y, ForestConfig{NEstimators: 3})
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainIsolation(x, IsolationConfig{NEstimators: 3})
	if err != nil {
		t.Fatal(err)
	}
	bad := append(append([][]float64{}, x[:4]...), []float64{1, 2})
	for name, call := range map[string]func(){
		"ProbaAll":        func() { f.ProbaAll(bad, 2) },
		"ScoreSamplesAll": func() { m.ScoreSamplesAll(bad, 2) },
		"DecisionAll":     func() { m.DecisionAll(bad, 2) },
	} {
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if want := name + " on row 4 of 2 features, the model has 6"; !strings.Contains(msg, want) {
					t.Errorf("%s: panic %q, want one with %q", name, msg, want)
				}
			}()
			call()
		}()
	}
}

// BenchmarkProba compares Proba row by row with ProbaAll on 5,000 rows of
// the miner data, 100 trees.
func BenchmarkProba(b *testing.B) {
	x, y := minerData(1, 5000, 7)
	f, err := TrainForest(x, y, ForestConfig{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rows", func(b *testing.B) {
		p := make([]float64, len(x))
		for b.Loop() {
			for i, row := range x {
				p[i] = f.Proba(row)
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			f.ProbaAll(x, 1)
		}
	})
}
