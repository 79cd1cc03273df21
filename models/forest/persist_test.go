package forest

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/vigil-ml/vigil/models/internal/jsondoc/jsondoctest"
)

// sameBits reports whether a and b are the same float64, bit for bit.
func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// freshPoints returns n points of d features uniform in [lo, hi].
var freshPoints = jsondoctest.Points

// roundTrip saves v with encoding/json, restores it into back, and checks
// that saving back gives the same bytes.
var roundTrip = jsondoctest.RoundTrip

// checkSameForest compares the trees, outputs and accessors of got with
// want, bit for bit, over the rows of each of xs.
func checkSameForest(t *testing.T, got, want *Forest, xs ...[][]float64) {
	t.Helper()
	gn, gp := got.ClassWeights()
	wn, wp := want.ClassWeights()
	if got.NumFeatures() != want.NumFeatures() || got.NumTrees() != want.NumTrees() || !sameBits(gn, wn) || !sameBits(gp, wp) {
		t.Fatalf("%d features, %d trees, class weights %v %v; want %d, %d, %v %v",
			got.NumFeatures(), got.NumTrees(), gn, gp, want.NumFeatures(), want.NumTrees(), wn, wp)
	}
	gi, wi := got.Importances(), want.Importances()
	for j := range wi {
		if len(gi) != len(wi) || !sameBits(gi[j], wi[j]) {
			t.Fatalf("importances %v, want %v", gi, wi)
		}
	}
	for k, tr := range want.trees {
		if len(got.trees[k].nodes) != len(tr.nodes) {
			t.Fatalf("tree %d has %d nodes, want %d", k, len(got.trees[k].nodes), len(tr.nodes))
		}
		for i, w := range tr.nodes {
			g := got.trees[k].nodes[i]
			if g.left != w.left || g.right != w.right || g.feature != w.feature || !sameBits(g.threshold, w.threshold) ||
				!sameBits(g.value[0], w.value[0]) || !sameBits(g.value[1], w.value[1]) ||
				!sameBits(g.proba[0], w.proba[0]) || !sameBits(g.proba[1], w.proba[1]) {
				t.Fatalf("tree %d node %d: %+v, want %+v", k, i, g, w)
			}
		}
	}
	for _, x := range xs {
		for _, row := range x {
			if g, w := got.Proba(row), want.Proba(row); !sameBits(g, w) || got.Predict(row) != want.Predict(row) {
				t.Fatalf("Proba(%v) = %v, want %v", row, g, w)
			}
		}
	}
}

// TestForestMarshalRoundTrip saves and restores the golden forests, an
// explicitly weighted one and one of single leaves, and compares every
// node and output bit for bit on the training rows and fresh rows. The
// out-of-bag estimates are not saved.
func TestForestMarshalRoundTrip(t *testing.T) {
	type trained struct {
		name string
		f    *Forest
		xs   [][][]float64
	}
	var cases []trained
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
		cases = append(cases, trained{g.name, f, [][][]float64{x, xt, freshPoints(1, 200, len(x[0]), -10, 100)}})
	}
	x, y := minerData(3, 200, 10)
	f, err := TrainForest(x, y, ForestConfig{NEstimators: 10, ClassWeight: Explicit, PosWeight: 7.5, NegWeight: 0.3, MaxFeatures: 6})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, trained{"explicit", f, [][][]float64{x, freshPoints(2, 200, 6, -10, 100)}})
	leaves, err := TrainForest([][]float64{{1, 2}, {1, 2}}, []bool{true, false}, ForestConfig{NEstimators: 3, NoBootstrap: true})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, trained{"single leaves", leaves, [][][]float64{freshPoints(3, 10, 2, -5, 5)}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var back Forest
			roundTrip(t, c.f, &back)
			checkSameForest(t, &back, c.f, c.xs...)
			if _, ok := back.OOBScore(); ok || back.OOBProba() != nil {
				t.Error("the restored forest reports out-of-bag estimates")
			}
		})
	}
}

// checkSameIsolation compares the trees, outputs and accessors of got with
// want, bit for bit, over the rows of each of xs.
func checkSameIsolation(t *testing.T, got, want *Isolation, xs ...[][]float64) {
	t.Helper()
	if got.NumFeatures() != want.NumFeatures() || got.NumTrees() != want.NumTrees() ||
		got.MaxSamples() != want.MaxSamples() || !sameBits(got.Offset(), want.Offset()) {
		t.Fatalf("%d features, %d trees, ψ %d, offset %v; want %d, %d, %d, %v", got.NumFeatures(), got.NumTrees(),
			got.MaxSamples(), got.Offset(), want.NumFeatures(), want.NumTrees(), want.MaxSamples(), want.Offset())
	}
	if !reflect.DeepEqual(got.features, want.features) {
		t.Fatalf("tree features %v, want %v", got.features, want.features)
	}
	for k, tr := range want.trees {
		if len(got.trees[k].nodes) != len(tr.nodes) {
			t.Fatalf("tree %d has %d nodes, want %d", k, len(got.trees[k].nodes), len(tr.nodes))
		}
		for i, w := range tr.nodes {
			g := got.trees[k].nodes[i]
			if g.left != w.left || g.right != w.right || g.feature != w.feature ||
				!sameBits(g.threshold, w.threshold) || !sameBits(g.pathLen, w.pathLen) {
				t.Fatalf("tree %d node %d: %+v, want %+v", k, i, g, w)
			}
		}
	}
	for _, x := range xs {
		for _, row := range x {
			if g, w := got.Score(row), want.Score(row); !sameBits(g, w) ||
				!sameBits(got.ScoreSamples(row), want.ScoreSamples(row)) ||
				!sameBits(got.Decision(row), want.Decision(row)) || got.Predict(row) != want.Predict(row) ||
				!sameBits(got.PathLength(row), want.PathLength(row)) {
				t.Fatalf("Score(%v) = %v, want %v", row, g, w)
			}
		}
	}
}

// TestIsolationMarshalRoundTrip saves and restores the golden isolation
// forests and compares every node and output bit for bit on the training
// rows, the golden query rows and fresh rows.
func TestIsolationMarshalRoundTrip(t *testing.T) {
	for i, g := range goldenIsolation {
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
			var back Isolation
			roundTrip(t, m, &back)
			checkSameIsolation(t, &back, m, x, xq, freshPoints(uint64(i), 200, len(x[0]), -10, 10))
		})
	}
}

// edit decodes the document b, applies f to it and encodes it again.
var edit = jsondoctest.Edit

// tree0 returns the first tree of a decoded document.
func tree0(d map[string]any) map[string]any { return d["trees"].([]any)[0].(map[string]any) }

// corruptCase is a damaged document and a phrase its error must hold.
type corruptCase struct {
	name, want string
	doc        []byte
}

// TestForestUnmarshalRejectsCorrupt: a truncated, mislabelled or
// inconsistent forest document is an error wrapping ErrFormat that names
// the problem, and the forest it was read into is unchanged.
func TestForestUnmarshalRejectsCorrupt(t *testing.T) {
	x, y := minerData(1, 120, 30)
	f, err := TrainForest(x, y, ForestConfig{NEstimators: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	iso, err := TrainIsolation(x, IsolationConfig{NEstimators: 3})
	if err != nil {
		t.Fatal(err)
	}
	ib, err := iso.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	n := len(f.trees[0].nodes)
	for _, c := range []corruptCase{
		{"truncated", "unexpected end", b[:len(b)-1]},
		{"cut in half", "", b[:len(b)/2]},
		{"null", "null", []byte("null")},
		{"format version", `format "vigil.forest/2"`, edit(t, b, func(d map[string]any) { d["format"] = "vigil.forest/2" })},
		{"isolation document", `format "vigil.isolation/1"`, ib},
		{"missing importances", `no "importances"`, edit(t, b, func(d map[string]any) { delete(d, "importances") })},
		{"unknown key", "unknown field", edit(t, b, func(d map[string]any) { tree0(d)["impurity"] = []any{} })},
		{"null value", "null value", edit(t, b, func(d map[string]any) { tree0(d)["threshold"].([]any)[0] = nil })},
		{"no trees", "no trees", edit(t, b, func(d map[string]any) { d["trees"] = []any{} })},
		{"child out of range", "trees[0]: node 0: child 1000000 out of range", edit(t, b, func(d map[string]any) {
			tree0(d)["right"].([]any)[0] = 1000000
		})},
		{"child loops back", "node 0: child 0 out of range", edit(t, b, func(d map[string]any) { tree0(d)["left"].([]any)[0] = 0 })},
		{"shared child", "another parent", edit(t, b, func(d map[string]any) {
			tr := tree0(d)
			tr["right"].([]any)[0] = tr["left"].([]any)[0]
		})},
		{"half leaf", "child -1 out of range", edit(t, b, func(d map[string]any) { tree0(d)["right"].([]any)[0] = -1 })},
		{"feature out of range", "node 0: feature 6 out of range [0, 6)", edit(t, b, func(d map[string]any) {
			tree0(d)["feature"].([]any)[0] = 6
		})},
		{"leaf feature", "has feature 2", edit(t, b, func(d map[string]any) { tree0(d)["feature"].([]any)[n-1] = 2 })},
		{"short threshold", "thresholds", edit(t, b, func(d map[string]any) {
			tr := tree0(d)
			tr["threshold"] = tr["threshold"].([]any)[1:]
		})},
		{"short left", "right children", edit(t, b, func(d map[string]any) {
			tr := tree0(d)
			tr["left"] = tr["left"].([]any)[:n-1]
		})},
		{"value of three", "value[2] has 3 entries", edit(t, b, func(d map[string]any) {
			v := tree0(d)["value"].([]any)
			v[2] = append(v[2].([]any), 1)
		})},
		{"negative value", "value[1][0] is -1", edit(t, b, func(d map[string]any) {
			tree0(d)["value"].([]any)[1].([]any)[0] = -1
		})},
		{"importances", "5 importances", edit(t, b, func(d map[string]any) { d["importances"] = d["importances"].([]any)[1:] })},
		{"class weights", "1 class_weights", edit(t, b, func(d map[string]any) { d["class_weights"] = []any{1} })},
		{"class weight", "class_weights[1] is 0", edit(t, b, func(d map[string]any) { d["class_weights"] = []any{1, 0} })},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := *f
			jsondoctest.CheckError(t, got.UnmarshalJSON(c.doc), ErrFormat, c.want)
			checkSameForest(t, &got, f, x[:5])
		})
	}
}

// TestIsolationUnmarshalRejectsCorrupt does the same for isolation
// forests.
func TestIsolationUnmarshalRejectsCorrupt(t *testing.T) {
	x := blobData(7, 300, 12)
	m, err := TrainIsolation(x, IsolationConfig{NEstimators: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []corruptCase{
		{"truncated", "unexpected end", b[:len(b)-1]},
		{"format version", `format "vigil.isolation/0"`, edit(t, b, func(d map[string]any) { d["format"] = "vigil.isolation/0" })},
		{"missing offset", `no "offset"`, edit(t, b, func(d map[string]any) { delete(d, "offset") })},
		{"max_samples", "max_samples 0", edit(t, b, func(d map[string]any) { d["max_samples"] = 0 })},
		{"child out of range", "trees[0]: node 0: child -7 out of range", edit(t, b, func(d map[string]any) {
			tree0(d)["left"].([]any)[0] = -7
		})},
		{"tree feature out of range", "features[0] = 2", edit(t, b, func(d map[string]any) { tree0(d)["features"].([]any)[0] = 2 })},
		{"repeated tree feature", "want distinct", edit(t, b, func(d map[string]any) {
			fs := tree0(d)["features"].([]any)
			fs[1] = fs[0]
		})},
		{"node feature out of range", "node 0: feature 2 out of range [0, 2)", edit(t, b, func(d map[string]any) {
			tree0(d)["feature"].([]any)[0] = 2
		})},
		{"short path_length", "path lengths", edit(t, b, func(d map[string]any) {
			tr := tree0(d)
			tr["path_length"] = tr["path_length"].([]any)[1:]
		})},
		{"negative path_length", "path_length[0] is -1", edit(t, b, func(d map[string]any) { tree0(d)["path_length"].([]any)[0] = -1 })},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := *m
			jsondoctest.CheckError(t, got.UnmarshalJSON(c.doc), ErrFormat, c.want)
			checkSameIsolation(t, &got, m, x[:5])
		})
	}
}

// TestMarshalRejectsBadModel: untrained forests and ones holding a NaN or
// an infinity are not written.
func TestMarshalRejectsBadModel(t *testing.T) {
	x, y := minerData(1, 60, 30)
	f, err := TrainForest(x, y, ForestConfig{NEstimators: 2})
	if err != nil {
		t.Fatal(err)
	}
	nanImp := *f
	nanImp.importances = append([]float64{}, f.importances...)
	nanImp.importances[2] = math.NaN()
	m, err := TrainIsolation(x, IsolationConfig{NEstimators: 2})
	if err != nil {
		t.Fatal(err)
	}
	infOffset := *m
	infOffset.offset = math.Inf(1)
	var nilForest *Forest
	for name, c := range map[string]struct {
		v    json.Marshaler
		want string
	}{
		"untrained forest":    {&Forest{}, "num_features 0"},
		"nil forest":          {nilForest, "nil Forest"},
		"NaN importance":      {&nanImp, "importances[2] is NaN"},
		"untrained isolation": {&Isolation{d: 2, maxSamples: 4}, "no trees"},
		"+Inf offset":         {&infOffset, "offset is +Inf"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.v.MarshalJSON()
			jsondoctest.CheckError(t, err, ErrFormat, c.want)
		})
	}
}

// FuzzForestUnmarshalJSON: no document makes UnmarshalJSON panic, and a
// forest it accepts predicts without panicking, ProbaAll as Proba, and is
// written again.
func FuzzForestUnmarshalJSON(f *testing.F) {
	x, y := tiesData(12, 40)
	tf, err := TrainForest(x, y, ForestConfig{NEstimators: 2, MaxDepth: 3})
	if err != nil {
		f.Fatal(err)
	}
	b, err := tf.MarshalJSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Forest
		if m.UnmarshalJSON(b) != nil || m.NumFeatures() > 1000 {
			return
		}
		var rows [][]float64
		for _, v := range []float64{-1e9, 0, 1e9} {
			row := make([]float64, m.NumFeatures())
			for j := range row {
				row[j] = v
			}
			m.Predict(row)
			rows = append(rows, row)
		}
		for i, p := range m.ProbaAll(rows, 2) {
			if want := m.Proba(rows[i]); !sameBits(p, want) {
				t.Errorf("a forest read from %s: ProbaAll %v, Proba %v", b, p, want)
			}
		}
		if _, err := m.MarshalJSON(); err != nil {
			t.Errorf("a forest read from %s is not written: %v", b, err)
		}
	})
}

// FuzzIsolationUnmarshalJSON does the same for isolation forests.
func FuzzIsolationUnmarshalJSON(f *testing.F) {
	x, _ := tiesData(12, 40)
	m, err := TrainIsolation(x, IsolationConfig{NEstimators: 2, MaxSamples: 8})
	if err != nil {
		f.Fatal(err)
	}
	b, err := m.MarshalJSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Isolation
		if m.UnmarshalJSON(b) != nil || m.NumFeatures() > 1000 {
			return
		}
		var rows [][]float64
		for _, v := range []float64{-1e9, 0, 1e9} {
			row := make([]float64, m.NumFeatures())
			for j := range row {
				row[j] = v
			}
			m.Predict(row)
			rows = append(rows, row)
		}
		for i, s := range m.DecisionAll(rows, 2) {
			if want := m.Decision(rows[i]); !sameBits(s, want) {
				t.Errorf("an isolation forest read from %s: DecisionAll %v, Decision %v", b, s, want)
			}
		}
		if _, err := m.MarshalJSON(); err != nil {
			t.Errorf("an isolation forest read from %s is not written: %v", b, err)
		}
	})
}
