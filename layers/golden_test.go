package layers

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// goldenCase is one case written by testdata/make_golden.py.
type goldenCase struct {
	Name                           string
	InC, OutC, Kernel, Stride, Pad int
	OutPad                         int `json:"out_pad"`
	Act                            string
	XShape                         []int `json:"x_shape"`
	YShape                         []int `json:"y_shape"`
	X, W, B, Y, R, DX, DW, DB      []float64
}

func (c *goldenCase) UnmarshalJSON(data []byte) error {
	type plain goldenCase
	aux := struct {
		*plain
		InC  int `json:"in_c"`
		OutC int `json:"out_c"`
	}{plain: (*plain)(c)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	c.InC, c.OutC = aux.InC, aux.OutC
	return nil
}

func loadGolden(t *testing.T, file string) []goldenCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no cases", file)
	}
	return cases
}

func toFloat32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func setParam(t *testing.T, p *graph.Param, v []float64) {
	t.Helper()
	if len(v) != p.Size() {
		t.Fatalf("%s: golden file has %d values, want %d", p.Name, len(v), p.Size())
	}
	copy(p.Data(), toFloat32(v))
}

// checkGolden loads c's weights into w and b, feeds c.X through forward as
// the parameter "x" and compares the output and the gradients of Σ y ⊙ r
// with PyTorch's.
func checkGolden(t *testing.T, c goldenCase, reg *graph.Registry, w, b *graph.Param, forward buildFn) {
	t.Helper()
	const tol = 1e-5
	xp, err := reg.Add("x", c.XShape, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	setParam(t, xp, c.X)
	setParam(t, w, c.W)
	setParam(t, b, c.B)
	bld := graph.NewBuilder(reg, graph.Train)
	y, err := forward(bld, bld.Param(xp))
	if err != nil {
		t.Fatal(err)
	}
	if !y.Shape().Eq(tensor.Shape(c.YShape)) {
		t.Fatalf("output shape %v, want %v", y.Shape(), c.YShape)
	}
	// Read a copy of y: the backward pass may reuse its buffer.
	var yv G.Value
	G.Read(y, &yv)
	prog, err := graph.Compile(bld, sumProducts(t, bld, y, toFloat32(c.R)), true)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	if err := prog.Run(rand.New(rand.NewPCG(0, 0))); err != nil {
		t.Fatal(err)
	}
	if yv == nil {
		t.Fatal("output was not read")
	}
	got, ok := yv.Data().([]float32)
	if !ok {
		t.Fatalf("output holds %T", yv.Data())
	}
	assertClose(t, "y", got, c.Y, tol)
	grads, err := prog.Grads()
	if err != nil {
		t.Fatal(err)
	}
	want := map[*graph.Param][]float64{xp: c.DX, w: c.DW, b: c.DB}
	for i, p := range prog.Params() {
		assertClose(t, "d"+p.Name, grads[i], want[p], tol)
	}
}

func TestConv2DMatchesPyTorch(t *testing.T) {
	for _, c := range loadGolden(t, "conv2d.json") {
		t.Run(c.Name, func(t *testing.T) {
			reg := graph.NewRegistry()
			l, err := NewConv2D(reg, "conv", c.InC, c.OutC, c.Kernel, c.Stride, c.Pad, Activation(c.Act), rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c, reg, l.W, l.B, l.Forward)
		})
	}
}

func TestConvTranspose2DMatchesPyTorch(t *testing.T) {
	for _, c := range loadGolden(t, "conv_transpose2d.json") {
		t.Run(c.Name, func(t *testing.T) {
			reg := graph.NewRegistry()
			l, err := NewConvTranspose2D(reg, "convT", c.InC, c.OutC, c.Kernel, c.Stride, c.Pad, c.OutPad, Activation(c.Act), rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c, reg, l.W, l.B, l.Forward)
		})
	}
}

func TestDenseMatchesPyTorch(t *testing.T) {
	for _, c := range loadGolden(t, "dense.json") {
		t.Run(c.Name, func(t *testing.T) {
			reg := graph.NewRegistry()
			l, err := NewDense(reg, "dense", c.InC, c.OutC, Activation(c.Act), rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c, reg, l.W, l.B, l.Forward)
		})
	}
}
