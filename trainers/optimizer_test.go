package trainers

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/graph"
)

// newParam returns a parameter holding vals.
func newParam(t *testing.T, name string, vals ...float32) *graph.Param {
	t.Helper()
	reg := graph.NewRegistry()
	p, err := reg.Add(name, []int{len(vals)}, graph.Zeros(), rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	copy(p.Data(), vals)
	return p
}

func TestAdamMatchesFormulas(t *testing.T) {
	const lr, b1, b2, eps = 0.01, 0.8, 0.95, 1e-7
	start := []float32{0.5, -1, 2}
	grads := [][]float32{{0.1, -0.2, 0}, {0.3, 0.1, -0.5}, {-0.05, 0.4, 1e-4}}
	p := newParam(t, "w", start...)
	opt := NewAdam(AdamConfig{LR: lr, Beta1: b1, Beta2: b2, Eps: eps})
	// Reference in float64: m, v and the Keras-style bias-corrected step.
	w := []float64{0.5, -1, 2}
	m, v := make([]float64, 3), make([]float64, 3)
	for step, g := range grads {
		if err := opt.Step([]*graph.Param{p}, [][]float32{g}); err != nil {
			t.Fatal(err)
		}
		tt := float64(step + 1)
		lrT := lr * math.Sqrt(1-math.Pow(b2, tt)) / (1 - math.Pow(b1, tt))
		for j := range w {
			gj := float64(g[j])
			m[j] = b1*m[j] + (1-b1)*gj
			v[j] = b2*v[j] + (1-b2)*gj*gj
			w[j] -= lrT * m[j] / (math.Sqrt(v[j]) + eps)
		}
		for j, got := range p.Data() {
			if math.Abs(float64(got)-w[j]) > 1e-6 {
				t.Errorf("step %d: w[%d] = %.9g, want %.9g", step+1, j, got, w[j])
			}
		}
	}
	if s := opt.State(); s.Step != 3 || len(s.Tensors) != 2 || s.Tensors[0].Name != "m/w" || s.Tensors[1].Name != "v/w" {
		t.Errorf("state step %d tensors %v", s.Step, s.Tensors)
	}
}

func TestAdamFirstStepIsLRTimesSign(t *testing.T) {
	p := newParam(t, "w", 1, 1, 1)
	opt := NewAdam(AdamConfig{})
	if c := opt.Config(); c.LR != 1e-3 || c.Beta1 != 0.9 || c.Beta2 != 0.999 || c.Eps != 1e-7 {
		t.Fatalf("defaults %+v", c)
	}
	if err := opt.Step([]*graph.Param{p}, [][]float32{{3, -0.5, 0}}); err != nil {
		t.Fatal(err)
	}
	want := []float64{1 - 1e-3, 1 + 1e-3, 1}
	for j, got := range p.Data() {
		if math.Abs(float64(got)-want[j]) > 1e-6 {
			t.Errorf("w[%d] = %v, want %v", j, got, want[j])
		}
	}
}

func TestAdamConvergesOnQuadratic(t *testing.T) {
	// f(x) = Σ a_i (x_i - c_i)², minimum at c.
	a := []float64{1, 10, 0.1, 3}
	c := []float64{1, -2, 0.5, 3}
	p := newParam(t, "x", 0, 0, 0, 0)
	opt := NewAdam(AdamConfig{LR: 0.05})
	f := func() float64 {
		s := 0.0
		for i, x := range p.Data() {
			d := float64(x) - c[i]
			s += a[i] * d * d
		}
		return s
	}
	f0 := f()
	g := make([]float32, 4)
	for step := 0; step < 2000; step++ {
		for i, x := range p.Data() {
			g[i] = float32(2 * a[i] * (float64(x) - c[i]))
		}
		if err := opt.Step([]*graph.Param{p}, [][]float32{g}); err != nil {
			t.Fatal(err)
		}
	}
	for i, x := range p.Data() {
		if math.Abs(float64(x)-c[i]) > 1e-2 {
			t.Errorf("x[%d] = %v, want %v", i, x, c[i])
		}
	}
	if f() > 1e-4*f0 {
		t.Errorf("f went from %v to %v", f0, f())
	}
}

func TestSGDMatchesFormulas(t *testing.T) {
	grads := [][]float32{{1, -2}, {0.5, 0.5}, {-1, 0}}
	for _, nesterov := range []bool{false, true} {
		const lr, mu = 0.1, 0.9
		p := newParam(t, "w", 1, 2)
		opt := NewSGD(SGDConfig{LR: lr, Momentum: mu, Nesterov: nesterov})
		w, u := []float64{1, 2}, []float64{0, 0}
		for step, g := range grads {
			if err := opt.Step([]*graph.Param{p}, [][]float32{g}); err != nil {
				t.Fatal(err)
			}
			for j := range w {
				gj := float64(g[j])
				u[j] = mu*u[j] - lr*gj
				if nesterov {
					w[j] += mu*u[j] - lr*gj
				} else {
					w[j] += u[j]
				}
				if got := float64(p.Data()[j]); math.Abs(got-w[j]) > 1e-6 {
					t.Errorf("nesterov=%v step %d: w[%d] = %v, want %v", nesterov, step+1, j, got, w[j])
				}
			}
		}
	}
	p := newParam(t, "w", 1)
	plain := NewSGD(SGDConfig{})
	if err := plain.Step([]*graph.Param{p}, [][]float32{{2}}); err != nil {
		t.Fatal(err)
	}
	if p.Data()[0] != float32(1-0.01*2) || len(plain.State().Tensors) != 0 {
		t.Errorf("plain SGD: w = %v, %d state tensors", p.Data()[0], len(plain.State().Tensors))
	}
	if err := NewSGD(SGDConfig{Nesterov: true}).Step([]*graph.Param{p}, [][]float32{{1}}); err == nil {
		t.Error("Nesterov without momentum accepted")
	}
}

// A restored optimizer continues exactly as the original.
func TestOptimizerStateRoundTripContinuesBitExact(t *testing.T) {
	for _, mk := range []func() Optimizer{
		func() Optimizer { return NewAdam(AdamConfig{LR: 0.02}) },
		func() Optimizer { return NewSGD(SGDConfig{LR: 0.05, Momentum: 0.5, Nesterov: true}) },
	} {
		a, b := mk(), mk()
		pa, pb := newParam(t, "w", 1, -1, 0.5), newParam(t, "w", 0, 0, 0)
		rng := rand.New(rand.NewPCG(5, 6))
		grad := func() [][]float32 {
			return [][]float32{{float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())}}
		}
		for i := 0; i < 3; i++ {
			if err := a.Step([]*graph.Param{pa}, grad()); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Restore(a.State()); err != nil {
			t.Fatal(err)
		}
		copy(pb.Data(), pa.Data())
		for i := 0; i < 3; i++ {
			g := grad()
			if err := a.Step([]*graph.Param{pa}, g); err != nil {
				t.Fatal(err)
			}
			if err := b.Step([]*graph.Param{pb}, g); err != nil {
				t.Fatal(err)
			}
		}
		for j := range pa.Data() {
			if math.Float32bits(pa.Data()[j]) != math.Float32bits(pb.Data()[j]) {
				t.Errorf("%s: restored optimizer diverged at %d: %v vs %v", a.State().Name, j, pa.Data()[j], pb.Data()[j])
			}
		}
		if a.State().Step != 6 || b.State().Step != 6 {
			t.Errorf("steps %d %d, want 6", a.State().Step, b.State().Step)
		}
	}
}

func TestRestoreRejectsMismatches(t *testing.T) {
	src := NewAdam(AdamConfig{})
	p := newParam(t, "w", 1, 2, 3)
	if err := src.Step([]*graph.Param{p}, [][]float32{{1, 1, 1}}); err != nil {
		t.Fatal(err)
	}
	good := src.State()
	cases := map[string]func(s *OptimizerState){
		"name":          func(s *OptimizerState) { s.Name = "sgd" },
		"missing hyper": func(s *OptimizerState) { delete(s.Hyper, "beta2") },
		"unknown hyper": func(s *OptimizerState) { s.Hyper["decay"] = 1 },
		"bad beta":      func(s *OptimizerState) { s.Hyper["beta1"] = 1.5 },
		"missing v":     func(s *OptimizerState) { s.Tensors = s.Tensors[:1] },
		"shape":         func(s *OptimizerState) { s.Tensors[1].Shape = []int{1, 3} },
		"data length":   func(s *OptimizerState) { s.Tensors[0].Data = s.Tensors[0].Data[:2] },
		"unknown kind":  func(s *OptimizerState) { s.Tensors[0].Name = "u/w" },
	}
	for name, mutate := range cases {
		s := src.State()
		mutate(&s)
		dst := NewAdam(AdamConfig{})
		if err := dst.Restore(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if dst.State().Step != 0 {
			t.Errorf("%s: failed restore changed the state", name)
		}
	}
	// A state of the right form but for another shape fails at the next step,
	// leaving the parameter untouched.
	dst := NewAdam(AdamConfig{})
	if err := dst.Restore(good); err != nil {
		t.Fatal(err)
	}
	q := newParam(t, "w", 1, 2)
	err := dst.Step([]*graph.Param{q}, [][]float32{{1, 1}})
	if err == nil || !strings.Contains(err.Error(), `"w"`) {
		t.Errorf("shape mismatch: %v", err)
	}
	if q.Data()[0] != 1 || q.Data()[1] != 2 {
		t.Error("failed step modified the parameter")
	}
	if err := dst.Step([]*graph.Param{q}, [][]float32{{1}}); err == nil {
		t.Error("gradient of the wrong length accepted")
	}
}

func TestNewOptimizer(t *testing.T) {
	for name, want := range map[string]string{"adam": "adam", " SGD ": "sgd", "Adam": "adam"} {
		o, err := NewOptimizer(name, 0)
		if err != nil || o.State().Name != want {
			t.Errorf("%q: %v %v", name, o, err)
		}
	}
	o, _ := NewOptimizer("sgd", 0.5)
	if o.State().Hyper["lr"] != 0.5 {
		t.Errorf("lr %v", o.State().Hyper["lr"])
	}
	for _, bad := range []struct {
		name string
		lr   float64
	}{{"rmsprop", 0}, {"", 0}, {"adam", -1}, {"adam", math.NaN()}} {
		if _, err := NewOptimizer(bad.name, bad.lr); err == nil {
			t.Errorf("%q lr %v accepted", bad.name, bad.lr)
		}
	}
}
