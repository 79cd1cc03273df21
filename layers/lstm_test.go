package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// newTestLSTM builds an LSTM with its biases randomized too.
func newTestLSTM(t *testing.T, reg *graph.Registry, in, hidden, layers int, dropout float64, seed uint64) *LSTM {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 8))
	l, err := NewLSTM(reg, "lstm", in, hidden, layers, dropout, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, ly := range l.Layers {
		randomize(ly.B.Data(), rng)
	}
	return l
}

func TestLSTMGradients(t *testing.T) {
	cases := []struct {
		name                string
		t, b, in, h, layers int
		dropout             float64
	}{
		{"1layer_T3", 3, 2, 3, 4, 1, 0},
		{"1layer_T5", 5, 2, 3, 4, 1, 0},
		{"1layer_T1", 1, 2, 3, 4, 1, 0},
		{"2layer_T4", 4, 2, 3, 4, 2, 0},
		{"2layer_T4_dropout", 4, 2, 3, 4, 2, 0.3},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg := graph.NewRegistry()
			l := newTestLSTM(t, reg, c.in, c.h, c.layers, c.dropout, uint64(i))
			gradCheck(t, reg, []int{c.t, c.b, c.in}, l.Forward, uint64(90+i))
		})
	}
}

// TestLMGradients checks a composed embedding -> LSTM -> dense -> softmax
// cross-entropy graph, the embedding table being gradCheck's x.
func TestLMGradients(t *testing.T) {
	const vocab, dim, hidden, steps, batch = 7, 3, 4, 4, 2
	reg := graph.NewRegistry()
	l := newTestLSTM(t, reg, dim, hidden, 2, 0, 3)
	d, err := NewDense(reg, "out", hidden, vocab, Linear, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	ids := []int32{1, 6, 0, 1, 5, 5, 2, 3}
	targets := []int32{6, 0, 1, 5, 5, IgnoreTarget, 3, 4}
	gradCheck(t, reg, []int{vocab, dim}, func(b *graph.Builder, table *G.Node) (*G.Node, error) {
		x, err := G.ApplyOp(GatherOp{IdsDims: 2}, table, int32Node(t, b, "ids", ids, steps, batch))
		if err != nil {
			return nil, err
		}
		h, err := l.Forward(b, x)
		if err != nil {
			return nil, err
		}
		if h, err = Reshape(h, steps*batch, hidden); err != nil {
			return nil, err
		}
		logits, err := d.Forward(b, h)
		if err != nil {
			return nil, err
		}
		return SoftmaxCrossEntropy(logits, int32Node(t, b, "targets", targets, steps*batch))
	}, 99)
}

// refLSTM is a float64 reference of one LSTM layer: it returns h [T·B·H]
// and the gradients of Σ h ⊙ r by plain backpropagation through time.
func refLSTM(d lstmDims, x, wih, whh, bias, r []float32) (hs, dx, dwih, dwhh, db []float64) {
	n, H := d.rows(), d.H
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	gates := make([]float64, n*4*H)
	cs := make([]float64, n*H)
	hs = make([]float64, n*H)
	prevRow := func(t, b int) int { return (t-1)*d.B + b }
	for t := 0; t < d.T; t++ {
		for b := 0; b < d.B; b++ {
			row := t*d.B + b
			for j := 0; j < 4*H; j++ {
				z := float64(bias[j])
				for k := 0; k < d.In; k++ {
					z += float64(x[row*d.In+k]) * float64(wih[j*d.In+k])
				}
				if t > 0 {
					for k := 0; k < H; k++ {
						z += hs[prevRow(t, b)*H+k] * float64(whh[j*H+k])
					}
				}
				if j/H == 2 {
					gates[row*4*H+j] = math.Tanh(z)
				} else {
					gates[row*4*H+j] = sig(z)
				}
			}
			for j := 0; j < H; j++ {
				g := gates[row*4*H:]
				c := g[j] * g[2*H+j]
				if t > 0 {
					c += g[H+j] * cs[prevRow(t, b)*H+j]
				}
				cs[row*H+j] = c
				hs[row*H+j] = g[3*H+j] * math.Tanh(c)
			}
		}
	}
	dx, dwih, dwhh, db = make([]float64, n*d.In), make([]float64, 4*H*d.In), make([]float64, 4*H*H), make([]float64, 4*H)
	dh := make([]float64, d.B*H)
	dc := make([]float64, d.B*H)
	dz := make([]float64, 4*H)
	for t := d.T - 1; t >= 0; t-- {
		ndh := make([]float64, d.B*H)
		for b := 0; b < d.B; b++ {
			row := t*d.B + b
			g := gates[row*4*H:]
			for j := 0; j < H; j++ {
				dhv := dh[b*H+j] + float64(r[row*H+j])
				tc := math.Tanh(cs[row*H+j])
				i, f, gv, o := g[j], g[H+j], g[2*H+j], g[3*H+j]
				dcv := dc[b*H+j] + dhv*o*(1-tc*tc)
				cp := 0.0
				if t > 0 {
					cp = cs[prevRow(t, b)*H+j]
				}
				dz[j], dz[H+j], dz[2*H+j], dz[3*H+j] = dcv*gv*i*(1-i), dcv*cp*f*(1-f), dcv*i*(1-gv*gv), dhv*tc*o*(1-o)
				dc[b*H+j] = dcv * f
			}
			for j, v := range dz {
				db[j] += v
				for k := 0; k < d.In; k++ {
					dwih[j*d.In+k] += v * float64(x[row*d.In+k])
					dx[row*d.In+k] += v * float64(wih[j*d.In+k])
				}
				for k := 0; k < H; k++ {
					if t > 0 {
						dwhh[j*H+k] += v * hs[prevRow(t, b)*H+k]
					}
					ndh[b*H+k] += v * float64(whh[j*H+k])
				}
			}
		}
		dh = ndh
	}
	return hs, dx, dwih, dwhh, db
}

func randomF32(rng *rand.Rand, n int, scale float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64() * scale)
	}
	return v
}

// TestLSTMOpMatchesReference runs the ops directly on sizes that take the
// blocked, multi-goroutine step path (batch not a multiple of the GEMM
// micro-tile, H not a multiple of 16) against the float64 reference.
func TestLSTMOpMatchesReference(t *testing.T) {
	for _, d := range []lstmDims{{T: 6, B: 21, In: 13, H: 100}, {T: 3, B: 2, In: 1, H: 3}} {
		rng := rand.New(rand.NewPCG(uint64(d.B), 11))
		x := randomF32(rng, d.rows()*d.In, 1)
		wih := randomF32(rng, 4*d.H*d.In, 0.3)
		whh := randomF32(rng, 4*d.H*d.H, 0.3)
		bias := randomF32(rng, 4*d.H, 0.5)
		r := randomF32(rng, d.rows()*d.H, 1)
		dense := func(data []float32, shape ...int) *tensor.Dense {
			return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
		}
		xv, wihv, whhv := dense(x, d.T, d.B, d.In), dense(wih, 4*d.H, d.In), dense(whh, 4*d.H, d.H)
		ws, err := (LSTMOp{}).Do(xv, wihv, whhv, dense(bias, 4*d.H))
		if err != nil {
			t.Fatal(err)
		}
		h, err := (LSTMHiddenOp{T: d.T, B: d.B, H: d.H}).Do(ws)
		if err != nil {
			t.Fatal(err)
		}
		g, err := (LSTMGradOp{}).Do(xv, wihv, whhv, ws, dense(r, d.T, d.B, d.H))
		if err != nil {
			t.Fatal(err)
		}
		hs, dx, dwih, dwhh, db := refLSTM(d, x, wih, whh, bias, r)
		const tol = 1e-4
		assertClose(t, "h", h.Data().([]float32), hs, tol)
		packed := g.Data().([]float32)
		for p, want := range map[lstmGradPart][]float64{lstmDX: dx, lstmDWih: dwih, lstmDWhh: dwhh, lstmDBias: db} {
			assertClose(t, fmt.Sprintf("part %d", p), packed[d.gradOffset(p):d.gradOffset(p+1)], want, tol)
		}
	}
}

func TestLSTMRejectsBadShapes(t *testing.T) {
	reg := graph.NewRegistry()
	for _, c := range []struct {
		in, h, layers int
		dropout       float64
	}{{0, 4, 1, 0}, {3, 0, 1, 0}, {3, 4, 0, 0}, {3, 4, 2, 1}, {3, 4, 2, -0.1}} {
		if _, err := NewLSTM(reg, "bad", c.in, c.h, c.layers, c.dropout, newRNG()); err == nil {
			t.Errorf("NewLSTM%v: no error", c)
		}
	}
	l, err := NewLSTM(reg, "lstm", 3, 4, 2, 0.1, newRNG())
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Describe(); got != "LSTM 3->4 x2 dropout 0.1" {
		t.Errorf("Describe = %q", got)
	}
	if len(l.Params()) != 6 || !l.Layers[1].Wih.Value.Shape().Eq(tensor.Shape{16, 4}) || reg.Get("lstm.b_l1") == nil {
		t.Fatalf("params %d, layer 1 W_ih %v", len(l.Params()), l.Layers[1].Wih.Value.Shape())
	}
	if _, err := NewLSTM(reg, "lstm", 3, 4, 1, 0, newRNG()); err == nil {
		t.Error("duplicate name: no error")
	}
	b := graph.NewBuilder(reg, graph.Train)
	for _, x := range []*G.Node{b.Input("x2", 4, 3), b.Input("x3", 5, 2, 4)} {
		if _, err := l.Forward(b, x); err == nil || !strings.Contains(err.Error(), "LSTM 3->4") {
			t.Errorf("input %v: got %v", x.Shape(), err)
		}
	}
	g := G.NewGraph()
	node := func(name string, shape ...int) *G.Node {
		return G.NewTensor(g, tensor.Float32, len(shape), G.WithShape(shape...), G.WithName(name))
	}
	x, wih, whh, bias := node("x", 5, 2, 3), node("wih", 16, 3), node("whh", 16, 4), node("b", 16)
	bad := []struct {
		name string
		in   G.Nodes
	}{
		{"W_ih rows", G.Nodes{x, node("wih2", 12, 3), whh, bias}},
		{"W_ih width", G.Nodes{x, node("wih3", 16, 2), whh, bias}},
		{"W_hh", G.Nodes{x, wih, node("whh2", 16, 5), bias}},
		{"bias", G.Nodes{x, wih, whh, node("b2", 12)}},
	}
	for _, c := range bad {
		if _, err := G.ApplyOp(LSTMOp{}, c.in...); err == nil || !strings.Contains(err.Error(), "LSTM") {
			t.Errorf("%s: got %v", c.name, err)
		}
	}
	ws, err := G.ApplyOp(LSTMOp{}, x, wih, whh, bias)
	if err != nil {
		t.Fatal(err)
	}
	if !ws.Shape().Eq(tensor.Shape{7 * 5 * 2 * 4}) {
		t.Fatalf("workspace %v", ws.Shape())
	}
	if _, err := G.ApplyOp(LSTMHiddenOp{T: 5, B: 2, H: 3}, ws); err == nil {
		t.Error("LSTMHidden of the wrong size: no error")
	}
	if _, err := G.ApplyOp(LSTMGradOp{}, x, wih, whh, ws, node("dh", 5, 2, 3)); err == nil || !strings.Contains(err.Error(), "dH") {
		t.Errorf("LSTMGrad with a bad dH: got %v", err)
	}
	// Do checks the values' shapes too.
	xv := tensor.New(tensor.WithShape(5, 2, 3), tensor.Of(tensor.Float32))
	wv := tensor.New(tensor.WithShape(16, 4), tensor.Of(tensor.Float32))
	if _, err := (LSTMOp{}).Do(xv, wv, wv, tensor.New(tensor.WithShape(16), tensor.Of(tensor.Float32))); err == nil {
		t.Error("Do with W_ih [16 4] for In 3: no error")
	}
}
