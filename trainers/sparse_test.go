package trainers

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/graph"
)

// newTable returns a parameter of the given shape holding vals.
func newTable(t *testing.T, name string, shape []int, vals ...float32) *graph.Param {
	t.Helper()
	p, err := graph.NewRegistry().Add(name, shape, graph.Zeros(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != p.Size() {
		t.Fatalf("%s: %d values for shape %v", name, len(vals), shape)
	}
	copy(p.Data(), vals)
	return p
}

// randVals returns n values drawn from N(0, 1).
func randVals(rng *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(rng.NormFloat64())
	}
	return out
}

// rowOptimizers are the optimizer settings the row tests cover.
func rowOptimizers() map[string]func() RowOptimizer {
	return map[string]func() RowOptimizer{
		"adam":         func() RowOptimizer { return NewAdam(AdamConfig{LR: 0.01}) },
		"adam decay":   func() RowOptimizer { return NewAdam(AdamConfig{LR: 0.01, Beta1: 0.8, WeightDecay: 0.05}) },
		"sgd":          func() RowOptimizer { return NewSGD(SGDConfig{LR: 0.1}) },
		"sgd decay":    func() RowOptimizer { return NewSGD(SGDConfig{LR: 0.1, WeightDecay: 0.2}) },
		"sgd momentum": func() RowOptimizer { return NewSGD(SGDConfig{LR: 0.1, Momentum: 0.9}) },
		"sgd nesterov decay": func() RowOptimizer {
			return NewSGD(SGDConfig{LR: 0.1, Momentum: 0.5, Nesterov: true, WeightDecay: 0.1})
		},
	}
}

// diffStates describes the first difference between two optimizer states,
// moments compared bitwise, or returns "".
func diffStates(a, b OptimizerState) string {
	switch {
	case a.Name != b.Name || a.Step != b.Step:
		return "name or step differ"
	case len(a.Hyper) != len(b.Hyper):
		return "hyperparameters differ"
	case len(a.Tensors) != len(b.Tensors):
		return "tensor counts differ"
	}
	for k, v := range a.Hyper {
		if b.Hyper[k] != v {
			return "hyperparameter " + k + " differs"
		}
	}
	for i, ta := range a.Tensors {
		tb := b.Tensors[i]
		if ta.Name != tb.Name || !slices.Equal(ta.Shape, tb.Shape) {
			return "tensor " + ta.Name + " vs " + tb.Name
		}
		if d := diffWeights([][]float32{ta.Data}, [][]float32{tb.Data}); d != "" {
			return ta.Name + ": " + d
		}
	}
	return ""
}

// A row gradient listing every row updates exactly as the dense gradient.
func TestStepRowsListingEveryRowMatchesStep(t *testing.T) {
	const rows, width = 5, 3
	for name, mk := range rowOptimizers() {
		rng := rand.New(rand.NewPCG(1, 2))
		initE, initV := randVals(rng, rows*width), randVals(rng, 4)
		ea, va := newTable(t, "emb", []int{rows, width}, initE...), newTable(t, "w", []int{4}, initV...)
		eb, vb := newTable(t, "emb", []int{rows, width}, initE...), newTable(t, "w", []int{4}, initV...)
		dense, sparse := mk(), mk()
		for step := 0; step < 4; step++ {
			gE, gV := randVals(rng, rows*width), randVals(rng, 4)
			gE[2] = 0
			rg := &RowGrad{}
			for _, r := range rng.Perm(rows) {
				rg.Rows = append(rg.Rows, int32(r))
				rg.Values = append(rg.Values, gE[r*width:(r+1)*width]...)
			}
			if err := dense.Step([]*graph.Param{ea, va}, [][]float32{gE, gV}); err != nil {
				t.Fatal(err)
			}
			if err := sparse.StepRows([]*graph.Param{eb, vb}, [][]float32{nil, slices.Clone(gV)}, []*RowGrad{rg}); err != nil {
				t.Fatal(err)
			}
		}
		if d := diffWeights([][]float32{ea.Data(), va.Data()}, [][]float32{eb.Data(), vb.Data()}); d != "" {
			t.Errorf("%s: weights differ: %s", name, d)
		}
		if d := diffStates(dense.State(), sparse.State()); d != "" {
			t.Errorf("%s: optimizer states differ: %s", name, d)
		}
		if s := sparse.State().Step; s != 4 {
			t.Errorf("%s: step %d, want 4", name, s)
		}
	}
}

// Rows a step does not list keep their values and moments bit for bit.
func TestStepRowsLeavesUnlistedRowsAlone(t *testing.T) {
	const rows, width = 6, 2
	for name, mk := range rowOptimizers() {
		rng := rand.New(rand.NewPCG(3, 4))
		p := newTable(t, "emb", []int{rows, width}, randVals(rng, rows*width)...)
		opt := mk()
		all := &RowGrad{Rows: []int32{0, 1, 2, 3, 4, 5}, Values: randVals(rng, rows*width)}
		if err := opt.StepRows([]*graph.Param{p}, [][]float32{nil}, []*RowGrad{all}); err != nil {
			t.Fatal(err)
		}
		beforeW, beforeS := slices.Clone(p.Data()), opt.State()
		some := &RowGrad{Rows: []int32{4, 1}, Values: randVals(rng, 2*width)}
		if err := opt.StepRows([]*graph.Param{p}, [][]float32{nil}, []*RowGrad{some}); err != nil {
			t.Fatal(err)
		}
		after := opt.State()
		for r := 0; r < rows; r++ {
			lo, hi := r*width, (r+1)*width
			same := diffWeights([][]float32{beforeW[lo:hi]}, [][]float32{p.Data()[lo:hi]}) == ""
			listed := r == 1 || r == 4
			if same == listed {
				t.Errorf("%s: row %d listed %v but unchanged %v", name, r, listed, same)
			}
			for k, ts := range after.Tensors {
				if !listed && diffWeights([][]float32{beforeS.Tensors[k].Data[lo:hi]}, [][]float32{ts.Data[lo:hi]}) != "" {
					t.Errorf("%s: unlisted row %d of %s changed", name, r, ts.Name)
				}
			}
		}
		if after.Step != 2 {
			t.Errorf("%s: step %d, want 2", name, after.Step)
		}
	}
}

// near reports whether got is within 1e-6 of want.
func near(got float32, want float64) bool { return math.Abs(float64(got)-want) <= 1e-6 }

// Adam on a [3,1] table, lr 0.1, default betas: step 1 updates row 2 (g 0.5),
// step 2 only row 0 (g -2), whose moments start from zero but whose bias
// correction uses t = 2, so it moves by 0.0744 rather than lr.
func TestStepRowsTwoStepsByHand(t *testing.T) {
	p := newTable(t, "emb", []int{3, 1}, 1, 2, 3)
	opt := NewAdam(AdamConfig{LR: 0.1})
	steps := []*RowGrad{{Rows: []int32{2}, Values: []float32{0.5}}, {Rows: []int32{0}, Values: []float32{-2}}}
	for _, rg := range steps {
		if err := opt.StepRows([]*graph.Param{p}, [][]float32{nil}, []*RowGrad{rg}); err != nil {
			t.Fatal(err)
		}
	}
	// Step 1, row 2: m = 0.05, v = 0.00025, w = 3 - sqrt(0.001)·m/(sqrt(v)+1e-7).
	// Step 2, row 0: m = -0.2, v = 0.004,
	// w = 1 - 0.1·sqrt(1-0.999²)/(1-0.9²)·m/(sqrt(v)+1e-7).
	wantW := []float64{1.0744135646985216, 2, 2.900000632451532}
	wantM := []float64{-0.2, 0, 0.05}
	wantV := []float64{0.004, 0, 0.00025}
	s := opt.State()
	for j := range wantW {
		if !near(p.Data()[j], wantW[j]) || !near(s.Tensors[0].Data[j], wantM[j]) || !near(s.Tensors[1].Data[j], wantV[j]) {
			t.Errorf("row %d: w %v m %v v %v, want %v %v %v", j, p.Data()[j], s.Tensors[0].Data[j], s.Tensors[1].Data[j], wantW[j], wantM[j], wantV[j])
		}
	}
	if s.Step != 2 {
		t.Errorf("step %d, want 2", s.Step)
	}
}

func TestWeightDecayByHand(t *testing.T) {
	// SGD, lr 0.1, wd 0.1: w -= 0.1·(g + 0.1·w). A dense zero gradient still
	// decays; an unlisted row does not.
	p := newParam(t, "w", 1, 2)
	if err := NewSGD(SGDConfig{LR: 0.1, WeightDecay: 0.1}).Step([]*graph.Param{p}, [][]float32{{0.5, 0}}); err != nil {
		t.Fatal(err)
	}
	if !near(p.Data()[0], 0.94) || !near(p.Data()[1], 1.98) {
		t.Errorf("sgd dense: %v, want [0.94 1.98]", p.Data())
	}
	e := newTable(t, "emb", []int{2, 1}, 1, 2)
	rg := &RowGrad{Rows: []int32{0}, Values: []float32{0.5}}
	if err := NewSGD(SGDConfig{LR: 0.1, WeightDecay: 0.1}).StepRows([]*graph.Param{e}, [][]float32{nil}, []*RowGrad{rg}); err != nil {
		t.Fatal(err)
	}
	if !near(e.Data()[0], 0.94) || e.Data()[1] != 2 {
		t.Errorf("sgd rows: %v, want [0.94 2]", e.Data())
	}

	// Adam, lr 0.1, wd 0.5, zero gradient: g = 0.5·w, so the first step
	// moves each value by lr·|g|/(|g|+1e-7/sqrt(0.001)) against its sign.
	p = newParam(t, "w", 1, -2)
	if err := NewAdam(AdamConfig{LR: 0.1, WeightDecay: 0.5}).Step([]*graph.Param{p}, [][]float32{{0, 0}}); err != nil {
		t.Fatal(err)
	}
	if !near(p.Data()[0], 0.9000006324515321) || !near(p.Data()[1], -1.900000316226766) {
		t.Errorf("adam dense: %v, want [0.9000006 -1.9000003]", p.Data())
	}
	e = newTable(t, "emb", []int{2, 1}, 1, -2)
	rg = &RowGrad{Rows: []int32{1}, Values: []float32{0}}
	if err := NewAdam(AdamConfig{LR: 0.1, WeightDecay: 0.5}).StepRows([]*graph.Param{e}, [][]float32{nil}, []*RowGrad{rg}); err != nil {
		t.Fatal(err)
	}
	if e.Data()[0] != 1 || !near(e.Data()[1], -1.900000316226766) {
		t.Errorf("adam rows: %v, want [1 -1.9000003]", e.Data())
	}
}

// Adam with weight decay over three row steps follows a float64 reference
// of the formulas, rows not listed standing still.
func TestAdamWeightDecayRowsMatchFormulas(t *testing.T) {
	const lr, b1, b2, eps, wd = 0.01, 0.8, 0.95, 1e-7, 0.3
	p := newTable(t, "emb", []int{3, 2}, 0.5, -1, 2, 0.25, -0.75, 1.5)
	opt := NewAdam(AdamConfig{LR: lr, Beta1: b1, Beta2: b2, Eps: eps, WeightDecay: wd})
	w := []float64{0.5, -1, 2, 0.25, -0.75, 1.5}
	m, v := make([]float64, 6), make([]float64, 6)
	steps := []*RowGrad{
		{Rows: []int32{0, 2}, Values: []float32{0.1, -0.2, 0.3, 0}},
		{Rows: []int32{1}, Values: []float32{-0.4, 0.05}},
		{Rows: []int32{2, 1}, Values: []float32{0, 0, 1, -1}},
	}
	for step, rg := range steps {
		if err := opt.StepRows([]*graph.Param{p}, [][]float32{nil}, []*RowGrad{rg}); err != nil {
			t.Fatal(err)
		}
		tt := float64(step + 1)
		lrT := lr * math.Sqrt(1-math.Pow(b2, tt)) / (1 - math.Pow(b1, tt))
		for k, r := range rg.Rows {
			for c := 0; c < 2; c++ {
				j := int(r)*2 + c
				g := float64(rg.Values[k*2+c]) + wd*w[j]
				m[j] = b1*m[j] + (1-b1)*g
				v[j] = b2*v[j] + (1-b2)*g*g
				w[j] -= lrT * m[j] / (math.Sqrt(v[j]) + eps)
			}
		}
		for j, got := range p.Data() {
			if !near(got, w[j]) {
				t.Errorf("step %d: w[%d] = %.9g, want %.9g", step+1, j, got, w[j])
			}
		}
	}
}

func TestStepRowsValidatesBeforeChanging(t *testing.T) {
	type call struct {
		params []*graph.Param
		grads  [][]float32
		rows   []*RowGrad
	}
	for name, mk := range map[string]func() RowOptimizer{
		"adam":         func() RowOptimizer { return NewAdam(AdamConfig{}) },
		"sgd momentum": func() RowOptimizer { return NewSGD(SGDConfig{Momentum: 0.9}) },
	} {
		w := newParam(t, "w", 1, 2, 3)
		emb := newTable(t, "emb", []int{4, 2}, 1, 2, 3, 4, 5, 6, 7, 8)
		opt := mk()
		if err := opt.Step([]*graph.Param{w, emb}, [][]float32{{1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1}}); err != nil {
			t.Fatal(err)
		}
		wide := newTable(t, "emb", []int{2, 4}, 1, 2, 3, 4, 5, 6, 7, 8)
		rowsOf := func(rows []int32, vals ...float32) []*RowGrad {
			return []*RowGrad{nil, {Rows: rows, Values: vals}}
		}
		dense := [][]float32{{1, 1, 1}, nil}
		cases := map[string]call{
			"row out of range":   {[]*graph.Param{w, emb}, dense, rowsOf([]int32{1, 4}, 1, 1, 1, 1)},
			"negative row":       {[]*graph.Param{w, emb}, dense, rowsOf([]int32{-1}, 1, 1)},
			"duplicate row":      {[]*graph.Param{w, emb}, dense, rowsOf([]int32{2, 0, 2}, 1, 1, 1, 1, 1, 1)},
			"values length":      {[]*graph.Param{w, emb}, dense, rowsOf([]int32{1}, 1, 1, 1)},
			"dense and rows":     {[]*graph.Param{w, emb}, [][]float32{{1, 1, 1}, make([]float32, 8)}, rowsOf([]int32{1}, 1, 1)},
			"moments shape":      {[]*graph.Param{w, wide}, dense, rowsOf([]int32{1}, 1, 1, 1, 1)},
			"extra row gradient": {[]*graph.Param{w, emb}, dense, append(rowsOf([]int32{1}, 1, 1), &RowGrad{})},
		}
		for cname, c := range cases {
			beforeW := slices.Clone(w.Data())
			beforeE := slices.Clone(emb.Data())
			before := opt.State()
			err := opt.StepRows(c.params, c.grads, c.rows)
			if err == nil {
				t.Errorf("%s: %s accepted", name, cname)
				continue
			}
			if cname != "extra row gradient" && !strings.Contains(err.Error(), `"emb"`) {
				t.Errorf("%s: %s: error %q does not name the parameter", name, cname, err)
			}
			if !slices.Equal(beforeW, w.Data()) || !slices.Equal(beforeE, emb.Data()) {
				t.Errorf("%s: %s: failed step changed the weights", name, cname)
			}
			if d := diffStates(before, opt.State()); d != "" {
				t.Errorf("%s: %s: failed step changed the state: %s", name, cname, d)
			}
		}
	}
}

func TestRestoreWeightDecay(t *testing.T) {
	for _, mk := range []func() Optimizer{
		func() Optimizer { return NewAdam(AdamConfig{LR: 0.02, WeightDecay: 0.1}) },
		func() Optimizer { return NewSGD(SGDConfig{LR: 0.05, Momentum: 0.5, WeightDecay: 0.1}) },
	} {
		src := mk()
		name := src.State().Name
		if err := src.Step([]*graph.Param{newParam(t, "w", 1, 2)}, [][]float32{{1, -1}}); err != nil {
			t.Fatal(err)
		}
		s := src.State()
		if s.Hyper["weight_decay"] != 0.1 {
			t.Fatalf("%s: state hyperparameters %v", name, s.Hyper)
		}
		dst := mk()
		delete(s.Hyper, "weight_decay") // as saved before weight decay existed
		if err := dst.Restore(s); err != nil {
			t.Fatalf("%s: state without weight_decay: %v", name, err)
		}
		if got := dst.State(); got.Step != 1 || got.Hyper["weight_decay"] != 0 {
			t.Errorf("%s: restored step %d, weight decay %v; want 1, 0", name, got.Step, got.Hyper["weight_decay"])
		}
		if err := dst.Restore(src.State()); err != nil || dst.State().Hyper["weight_decay"] != 0.1 {
			t.Errorf("%s: restore with weight_decay: %v, %v", name, err, dst.State().Hyper)
		}
		for _, bad := range []float64{-0.1, math.NaN(), math.Inf(1)} {
			s := src.State()
			s.Hyper["weight_decay"] = bad
			fresh := mk()
			if err := fresh.Restore(s); err == nil || fresh.State().Step != 0 {
				t.Errorf("%s: weight decay %v accepted", name, bad)
			}
		}
	}
}

func TestNewOptimizerWithDecay(t *testing.T) {
	for _, name := range []string{"adam", "sgd"} {
		o, err := NewOptimizerWithDecay(name, 0, 0.25)
		if err != nil || o.State().Hyper["weight_decay"] != 0.25 {
			t.Errorf("%s: %v %v", name, o, err)
		}
		if o, _ := NewOptimizer(name, 0); o.State().Hyper["weight_decay"] != 0 {
			t.Errorf("%s: NewOptimizer weight decay %v", name, o.State().Hyper["weight_decay"])
		}
		for _, bad := range []float64{-1, math.NaN(), math.Inf(1)} {
			if _, err := NewOptimizerWithDecay(name, 0, bad); err == nil {
				t.Errorf("%s: weight decay %v accepted", name, bad)
			}
		}
	}
	for _, bad := range []Optimizer{NewAdam(AdamConfig{WeightDecay: -1}), NewSGD(SGDConfig{WeightDecay: math.NaN()})} {
		if err := bad.Step([]*graph.Param{newParam(t, "w", 1)}, [][]float32{{1}}); err == nil {
			t.Errorf("%s: invalid weight decay accepted by Step", bad.State().Name)
		}
	}
}
