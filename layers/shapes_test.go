package layers

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func newRNG() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func TestConstructorsValidate(t *testing.T) {
	reg := graph.NewRegistry()
	bad := []error{
		func() error { _, err := NewDense(reg, "d0", 0, 3, Linear, newRNG()); return err }(),
		func() error { _, err := NewDense(reg, "d1", 2, 3, "swish", newRNG()); return err }(),
		func() error { _, err := NewConv2D(reg, "c0", 1, 2, 0, 1, 0, ReLU, newRNG()); return err }(),
		func() error { _, err := NewConv2D(reg, "c1", 1, 2, 3, 0, 0, ReLU, newRNG()); return err }(),
		func() error { _, err := NewConv2D(reg, "c2", 1, 2, 3, 1, -1, ReLU, newRNG()); return err }(),
		func() error { _, err := NewConv2D(reg, "c3", 1, 2, 3, 1, 0, "elu", newRNG()); return err }(),
		func() error { _, err := NewConvTranspose2D(reg, "t0", 1, 2, 3, 2, 1, 2, ReLU, newRNG()); return err }(),
		func() error { _, err := NewConvTranspose2D(reg, "t1", 1, 2, 3, 1, 1, 1, ReLU, newRNG()); return err }(),
		func() error { _, err := NewConvTranspose2D(reg, "t2", 0, 2, 3, 1, 1, 0, ReLU, newRNG()); return err }(),
	}
	for i, err := range bad {
		if err == nil {
			t.Errorf("invalid constructor call %d accepted", i)
		}
	}
	if reg.Count() != 0 {
		t.Errorf("rejected layers registered %d values", reg.Count())
	}
	if _, err := NewDense(reg, "d", 2, 3, "", newRNG()); err != nil {
		t.Fatal(err)
	}
	if _, err := NewDense(reg, "d", 2, 3, "", newRNG()); err == nil {
		t.Error("duplicate layer name accepted")
	}
}

func TestParamsShapesAndInit(t *testing.T) {
	reg := graph.NewRegistry()
	c, err1 := NewConv2D(reg, "enc", 2, 4, 3, 1, 1, ReLU, newRNG())
	ct, err2 := NewConvTranspose2D(reg, "dec", 4, 2, 3, 2, 1, 1, Sigmoid, newRNG())
	d, err3 := NewDense(reg, "fc", 6, 5, Tanh, newRNG())
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	type want struct {
		shape []int
		limit float64 // Glorot limit; 0 for zero-initialized biases
	}
	wants := map[string]want{
		"enc.W": {[]int{4, 2, 3, 3}, math.Sqrt(6.0 / (18 + 36))}, "enc.b": {[]int{4}, 0},
		"dec.W": {[]int{4, 2, 3, 3}, math.Sqrt(6.0 / (36 + 18))}, "dec.b": {[]int{2}, 0},
		"fc.W": {[]int{6, 5}, math.Sqrt(6.0 / 11)}, "fc.b": {[]int{5}, 0},
	}
	var all []*graph.Param
	for _, l := range []Layer{c, ct, d, Dropout{Rate: 0.1}} {
		all = append(all, l.Params()...)
	}
	if len(all) != len(wants) {
		t.Fatalf("%d params, want %d", len(all), len(wants))
	}
	for _, p := range all {
		w, ok := wants[p.Name]
		if !ok || !slices.Equal(p.Shape, w.shape) {
			t.Fatalf("param %s %v unexpected", p.Name, p.Shape)
		}
		var maxAbs float64
		for _, v := range p.Data() {
			maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
		}
		if w.limit == 0 && maxAbs != 0 {
			t.Errorf("%s not zero-initialized", p.Name)
		}
		if w.limit > 0 && (maxAbs > w.limit || maxAbs < w.limit/2) {
			t.Errorf("%s: max |value| %v, want within Glorot limit %v", p.Name, maxAbs, w.limit)
		}
	}
}

func TestOutSizesMatchGraphShapes(t *testing.T) {
	reg := graph.NewRegistry()
	c, _ := NewConv2D(reg, "c", 1, 32, 3, 2, 1, ReLU, newRNG())
	ct, _ := NewConvTranspose2D(reg, "t", 32, 1, 3, 2, 1, 1, Sigmoid, newRNG())
	if h, w := c.OutSize(100, 50); h != 50 || w != 25 {
		t.Fatalf("Conv2D.OutSize(100, 50) = %d, %d", h, w)
	}
	if h, w := ct.OutSize(50, 25); h != 100 || w != 50 {
		t.Fatalf("ConvTranspose2D.OutSize(50, 25) = %d, %d", h, w)
	}
	b := graph.NewBuilder(reg, graph.Train)
	y, err := c.Forward(b, b.Input("x", 2, 1, 100, 50))
	if err != nil {
		t.Fatal(err)
	}
	if !y.Shape().Eq([]int{2, 32, 50, 25}) {
		t.Fatalf("conv output %v", y.Shape())
	}
	z, err := ct.Forward(b, y)
	if err != nil {
		t.Fatal(err)
	}
	if !z.Shape().Eq([]int{2, 1, 100, 50}) {
		t.Fatalf("transposed conv output %v", z.Shape())
	}
	// The graph compiles with gradients and runs on a data (non-parameter) input.
	loss, err := G.Mean(z)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := graph.Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	if err := prog.Run(nil); err != nil {
		t.Fatal(err)
	}
	grads, err := prog.Grads()
	if err != nil || len(grads) != 4 {
		t.Fatalf("grads: %d, %v", len(grads), err)
	}
}

func TestForwardRejectsMismatchedInputs(t *testing.T) {
	reg := graph.NewRegistry()
	c, _ := NewConv2D(reg, "c", 2, 3, 3, 1, 0, ReLU, newRNG())
	ct, _ := NewConvTranspose2D(reg, "t", 3, 2, 3, 1, 1, 0, ReLU, newRNG())
	ct1, _ := NewConvTranspose2D(reg, "t1", 3, 2, 1, 1, 1, 0, ReLU, newRNG())
	d, _ := NewDense(reg, "d", 4, 2, ReLU, newRNG())
	b := graph.NewBuilder(reg, graph.Train)
	cases := []struct {
		name, msg string
		run       func() (*G.Node, error)
	}{
		{"conv rank", "want 4 dimensions", func() (*G.Node, error) { return c.Forward(b, b.Input("a", 2, 5, 5)) }},
		{"conv channels", "want size 2 on axis 1", func() (*G.Node, error) { return c.Forward(b, b.Input("b", 1, 3, 5, 5)) }},
		{"conv too small", "smaller than the kernel", func() (*G.Node, error) { return c.Forward(b, b.Input("c", 1, 2, 2, 5)) }},
		{"convT channels", "want size 3 on axis 1", func() (*G.Node, error) { return ct.Forward(b, b.Input("d", 1, 2, 5, 5)) }},
		{"convT empty", "empty", func() (*G.Node, error) { return ct1.Forward(b, b.Input("e", 1, 3, 2, 5)) }},
		{"dense rank", "want 2 dimensions", func() (*G.Node, error) { return d.Forward(b, b.Input("f", 2, 2, 2)) }},
		{"dense width", "want size 4 on axis 1", func() (*G.Node, error) { return d.Forward(b, b.Input("g", 2, 5)) }},
	}
	for _, tc := range cases {
		y, err := tc.run()
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, %v; want an error containing %q", tc.name, y, err, tc.msg)
		}
	}
}

func TestOpsRejectMismatchedShapes(t *testing.T) {
	g := G.NewGraph()
	x := G.NewTensor(g, G.Float32, 4, G.WithShape(1, 2, 5, 5), G.WithName("x"))
	w := G.NewTensor(g, G.Float32, 4, G.WithShape(3, 4, 3, 3), G.WithName("w"))
	if _, err := G.ApplyOp(Conv2DOp{Kernel: 3, Stride: 1}, x, w); err == nil {
		t.Error("Conv2DOp accepted a filter with 4 input channels for a 2-channel input")
	}
	if _, err := G.ApplyOp(ConvTranspose2DOp{Kernel: 3, Stride: 1}, x, w); err == nil {
		t.Error("ConvTranspose2DOp accepted a filter with 3 input channels for a 2-channel input")
	}
	if _, err := G.ApplyOp(ConvTranspose2DOp{Kernel: 3, Stride: 2, OutPadH: 2}, x, w); err == nil {
		t.Error("ConvTranspose2DOp accepted an output padding equal to the stride")
	}
	v := G.NewVector(g, G.Float32, G.WithShape(3), G.WithName("b"))
	if _, err := BiasAdd(x, v); err == nil {
		t.Error("BiasAdd accepted a 3-bias for 2 channels")
	}
}

func TestActivate(t *testing.T) {
	b := graph.NewBuilder(graph.NewRegistry(), graph.Train)
	x := b.Input("x", 2, 3)
	for _, a := range []Activation{"", Linear} {
		if y, err := Activate(x, a); err != nil || y != x {
			t.Errorf("%q: not the identity", a)
		}
	}
	for _, a := range []Activation{ReLU, Sigmoid, Tanh} {
		y, err := Activate(x, a)
		if err != nil || y == x || !y.Shape().Eq(x.Shape()) {
			t.Errorf("%q: %v, %v", a, y, err)
		}
	}
	if _, err := Activate(x, "softmax"); err == nil {
		t.Error("unknown activation accepted")
	}
}

func TestActivationValues(t *testing.T) {
	b := graph.NewBuilder(graph.NewRegistry(), graph.Train)
	x := b.Input("x", 1, 4)
	in := []float32{-2, -0.5, 0, 1.5}
	if err := graph.SetInput(x, in); err != nil {
		t.Fatal(err)
	}
	vals := map[Activation]*G.Value{}
	var sum *G.Node
	for _, a := range []Activation{ReLU, Sigmoid, Tanh} {
		y, err := Activate(x, a)
		if err != nil {
			t.Fatal(err)
		}
		vals[a] = new(G.Value)
		G.Read(y, vals[a])
		if sum == nil {
			sum = y
		} else {
			sum = G.Must(G.Add(sum, y))
		}
	}
	prog, err := graph.Compile(b, G.Must(G.Sum(sum)), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := prog.Run(nil); err != nil {
		t.Fatal(err)
	}
	ref := map[Activation]func(float64) float64{
		ReLU:    func(v float64) float64 { return math.Max(v, 0) },
		Sigmoid: func(v float64) float64 { return 1 / (1 + math.Exp(-v)) },
		Tanh:    math.Tanh,
	}
	for a, v := range vals {
		got := (*v).Data().([]float32)
		for i, xv := range in {
			if want := ref[a](float64(xv)); math.Abs(float64(got[i])-want) > 1e-6 {
				t.Errorf("%s(%v) = %v, want %v", a, xv, got[i], want)
			}
		}
	}
}

func TestFlattenAndReshape(t *testing.T) {
	b := graph.NewBuilder(graph.NewRegistry(), graph.Train)
	x := b.Input("x", 2, 3, 4, 5)
	f, err := Flatten(x)
	if err != nil || !f.Shape().Eq([]int{2, 60}) {
		t.Fatalf("Flatten: %v, %v", f, err)
	}
	if f2, err := Flatten(f); err != nil || f2 != f {
		t.Fatalf("Flatten of a matrix: %v, %v", f2, err)
	}
	r, err := Reshape(f, -1, 3, 4, 5)
	if err != nil || !r.Shape().Eq([]int{2, 3, 4, 5}) {
		t.Fatalf("Reshape -1: %v, %v", r, err)
	}
	for _, shape := range [][]int{{2, 61}, {-1, 7}, {-1, -1, 60}, {0, 120}, {2, -2, 60}} {
		if _, err := Reshape(x, shape...); err == nil {
			t.Errorf("Reshape %v to %v accepted", x.Shape(), shape)
		}
	}
	if _, err := Flatten(b.Input("v", 5)); err == nil {
		t.Error("Flatten of a vector accepted")
	}
	// Values survive the round trip in row-major order.
	data := make([]float32, 120)
	for i := range data {
		data[i] = float32(i)
	}
	if err := graph.SetInput(x, data); err != nil {
		t.Fatal(err)
	}
	var rv G.Value
	G.Read(r, &rv)
	prog, err := graph.Compile(b, G.Must(G.Sum(r)), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := prog.Run(nil); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rv.Data().([]float32), data) {
		t.Fatal("reshape changed the values")
	}
}

func TestDescribe(t *testing.T) {
	reg := graph.NewRegistry()
	c, _ := NewConv2D(reg, "c", 1, 32, 3, 1, 1, ReLU, newRNG())
	ct, _ := NewConvTranspose2D(reg, "t", 64, 32, 3, 2, 1, 1, "", newRNG())
	d, _ := NewDense(reg, "d", 64, 16, Sigmoid, newRNG())
	for l, want := range map[Layer]string{
		c:                   "Conv2D 1->32 3x3 s1 p1 relu",
		ct:                  "ConvTranspose2D 64->32 3x3 s2 p1 op1 linear",
		d:                   "Dense 64->16 sigmoid",
		Dropout{Rate: 0.25}: "Dropout 0.25",
	} {
		if got := l.Describe(); got != want {
			t.Errorf("Describe() = %q, want %q", got, want)
		}
	}
}

func TestFloat32InputMaterializesViews(t *testing.T) {
	d := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	if err := d.T(1, 0); err != nil {
		t.Fatal(err)
	}
	got, err := float32Input(Conv2DOp{}, 0, d, tensor.Shape{3, 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{1, 4, 2, 5, 3, 6}; !slices.Equal(got, want) {
		t.Fatalf("transposed view read as %v, want %v", got, want)
	}
	if _, err := float32Input(Conv2DOp{}, 0, tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{1, 2})), nil); err == nil {
		t.Fatal("float64 input accepted")
	}
}
