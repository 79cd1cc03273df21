package layers

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// goldenTensor is one named tensor of testdata/lstm.json.
type goldenTensor struct {
	Shape []int
	Data  []float64
}

// lstmGoldenCase is one case written by testdata/make_golden_lstm.py.
type lstmGoldenCase struct {
	Name, Kind                string
	T, B, Inp, Hidden, Layers int
	N, V, Vocab, Dim          int
	Tensors                   map[string]goldenTensor
}

func loadLSTMGolden(t *testing.T, kind string) []lstmGoldenCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "lstm.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all, cases []lstmGoldenCase
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatalf("lstm.json: %v", err)
	}
	for _, c := range all {
		if c.Kind == kind {
			cases = append(cases, c)
		}
	}
	if len(cases) == 0 {
		t.Fatalf("lstm.json: no %s cases", kind)
	}
	return cases
}

// get returns a tensor of the case, failing the test if it is missing.
func (c *lstmGoldenCase) get(t *testing.T, name string) goldenTensor {
	t.Helper()
	v, ok := c.Tensors[name]
	if !ok {
		t.Fatalf("%s: no tensor %q", c.Name, name)
	}
	return v
}

func (c *lstmGoldenCase) ints(t *testing.T, name string) []int32 {
	t.Helper()
	v := c.get(t, name)
	out := make([]int32, len(v.Data))
	for i, x := range v.Data {
		out[i] = int32(x)
	}
	return out
}

// setLSTMWeights loads the case's W_ih, W_hh and b_ih + b_hh of every layer.
func setLSTMWeights(t *testing.T, c *lstmGoldenCase, l *LSTM) {
	t.Helper()
	for k, ly := range l.Layers {
		sfx := "_l" + string(rune('0'+k))
		setParam(t, ly.Wih, c.get(t, "W_ih"+sfx).Data)
		setParam(t, ly.Whh, c.get(t, "W_hh"+sfx).Data)
		bih, bhh := c.get(t, "b_ih"+sfx).Data, c.get(t, "b_hh"+sfx).Data
		sum := make([]float64, len(bih))
		for i := range sum {
			sum[i] = float64(float32(bih[i]) + float32(bhh[i]))
		}
		setParam(t, ly.B, sum)
	}
}

// lstmGoldenWant maps the LSTM's parameters to the case's gradients.
func lstmGoldenWant(t *testing.T, c *lstmGoldenCase, l *LSTM, want map[*graph.Param][]float64) {
	for k, ly := range l.Layers {
		sfx := "_l" + string(rune('0'+k))
		want[ly.Wih] = c.get(t, "dW_ih"+sfx).Data
		want[ly.Whh] = c.get(t, "dW_hh"+sfx).Data
		want[ly.B] = c.get(t, "db"+sfx).Data
	}
}

// goldenTol is the tolerance of the PyTorch comparisons: assertClose's,
// relative above 1 and absolute below.
const goldenTol = 1e-5

// runGolden compiles loss on b, runs it once and compares the gradient of
// every parameter with want.
func runGolden(t *testing.T, b *graph.Builder, loss *G.Node, want map[*graph.Param][]float64) *graph.Program {
	t.Helper()
	prog, err := graph.Compile(b, loss, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { prog.Close() })
	if err := prog.Run(rand.New(rand.NewPCG(0, 0))); err != nil {
		t.Fatal(err)
	}
	grads, err := prog.Grads()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range prog.Params() {
		w, ok := want[p]
		if !ok {
			t.Fatalf("no golden gradient for %s", p.Name)
		}
		assertClose(t, "d"+p.Name, grads[i], w, goldenTol)
		maxErr(t, "d"+p.Name, grads[i], w)
	}
	return prog
}

// maxErr logs the largest difference scaled like assertClose's tolerance.
func maxErr(t *testing.T, what string, got []float32, want []float64) {
	t.Helper()
	var m float64
	for i := range want {
		m = math.Max(m, math.Abs(float64(got[i])-want[i])/math.Max(1, math.Abs(want[i])))
	}
	t.Logf("%s: max error %.2g", what, m)
}

func TestLSTMMatchesPyTorch(t *testing.T) {
	for _, c := range loadLSTMGolden(t, "lstm") {
		t.Run(c.Name, func(t *testing.T) {
			reg := graph.NewRegistry()
			l, err := NewLSTM(reg, "lstm", c.Inp, c.Hidden, c.Layers, 0, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			setLSTMWeights(t, &c, l)
			xg := c.get(t, "x")
			xp, err := reg.Add("x", xg.Shape, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			setParam(t, xp, xg.Data)
			b := graph.NewBuilder(reg, graph.Train)
			y, err := l.Forward(b, b.Param(xp))
			if err != nil {
				t.Fatal(err)
			}
			yg := c.get(t, "y")
			if !y.Shape().Eq(tensor.Shape(yg.Shape)) {
				t.Fatalf("output %v, want %v", y.Shape(), yg.Shape)
			}
			var yv G.Value
			G.Read(y, &yv)
			want := map[*graph.Param][]float64{xp: c.get(t, "dx").Data}
			lstmGoldenWant(t, &c, l, want)
			runGolden(t, b, sumProducts(t, b, y, toFloat32(c.get(t, "r").Data)), want)
			assertClose(t, "y", yv.Data().([]float32), yg.Data, goldenTol)
			maxErr(t, "y", yv.Data().([]float32), yg.Data)
		})
	}
}

func TestSoftmaxXentMatchesPyTorch(t *testing.T) {
	for _, c := range loadLSTMGolden(t, "xent") {
		t.Run(c.Name, func(t *testing.T) {
			reg := graph.NewRegistry()
			lg := c.get(t, "logits")
			lp, err := reg.Add("logits", lg.Shape, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			setParam(t, lp, lg.Data)
			b := graph.NewBuilder(reg, graph.Train)
			targets := c.ints(t, "targets")
			loss, err := SoftmaxCrossEntropy(b.Param(lp), int32Node(t, b, "targets", targets, c.N))
			if err != nil {
				t.Fatal(err)
			}
			var lv G.Value
			G.Read(loss, &lv)
			runGolden(t, b, sumProducts(t, b, loss, toFloat32(c.get(t, "r").Data)), map[*graph.Param][]float64{lp: c.get(t, "dlogits").Data})
			got := lv.Data().([]float32)
			assertClose(t, "loss", got, c.get(t, "loss").Data, goldenTol)
			maxErr(t, "loss", got, c.get(t, "loss").Data)
			// The mean over the rows that count is F.cross_entropy's default.
			var sum float64
			var count int
			for i, tg := range targets {
				if tg != IgnoreTarget {
					sum += float64(got[i])
					count++
				}
			}
			assertClose(t, "mean", []float32{float32(sum / float64(count))}, c.get(t, "mean").Data, goldenTol)
		})
	}
}

// TestLMMatchesPyTorch compares embedding -> LSTM -> dense -> mean
// cross-entropy with PyTorch, loss and every gradient.
func TestLMMatchesPyTorch(t *testing.T) {
	for _, c := range loadLSTMGolden(t, "lm") {
		t.Run(c.Name, func(t *testing.T) {
			reg := graph.NewRegistry()
			rng := rand.New(rand.NewPCG(1, 1))
			e, err := NewEmbedding(reg, "emb", c.Vocab, c.Dim, rng)
			if err != nil {
				t.Fatal(err)
			}
			l, err := NewLSTM(reg, "lstm", c.Dim, c.Hidden, c.Layers, 0, rng)
			if err != nil {
				t.Fatal(err)
			}
			d, err := NewDense(reg, "dense", c.Hidden, c.Vocab, Linear, rng)
			if err != nil {
				t.Fatal(err)
			}
			setParam(t, e.W, c.get(t, "emb").Data)
			setLSTMWeights(t, &c, l)
			setParam(t, d.W, c.get(t, "dense_W").Data)
			setParam(t, d.B, c.get(t, "dense_b").Data)
			b := graph.NewBuilder(reg, graph.Train)
			x, err := e.Forward(b, int32Node(t, b, "ids", c.ints(t, "ids"), c.T, c.B))
			if err != nil {
				t.Fatal(err)
			}
			h, err := l.Forward(b, x)
			if err != nil {
				t.Fatal(err)
			}
			if h, err = Reshape(h, c.T*c.B, c.Hidden); err != nil {
				t.Fatal(err)
			}
			logits, err := d.Forward(b, h)
			if err != nil {
				t.Fatal(err)
			}
			targets := c.ints(t, "targets")
			rows, err := SoftmaxCrossEntropy(logits, int32Node(t, b, "targets", targets, c.T*c.B))
			if err != nil {
				t.Fatal(err)
			}
			count := 0
			for _, tg := range targets {
				if tg != IgnoreTarget {
					count++
				}
			}
			sum, err := G.Sum(rows)
			if err != nil {
				t.Fatal(err)
			}
			loss, err := G.Mul(sum, G.NewConstant(float32(1/float64(count))))
			if err != nil {
				t.Fatal(err)
			}
			want := map[*graph.Param][]float64{
				e.W: c.get(t, "demb").Data, d.W: c.get(t, "ddense_W").Data, d.B: c.get(t, "ddense_b").Data,
			}
			lstmGoldenWant(t, &c, l, want)
			prog := runGolden(t, b, loss, want)
			lv, err := prog.Loss()
			if err != nil {
				t.Fatal(err)
			}
			assertClose(t, "loss", []float32{float32(lv)}, c.get(t, "loss").Data, goldenTol)
			maxErr(t, "loss", []float32{float32(lv)}, c.get(t, "loss").Data)
		})
	}
}
