package layers

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

func TestDenseGradients(t *testing.T) {
	for i, act := range []Activation{Linear, ReLU, Sigmoid, Tanh} {
		t.Run(string(act), func(t *testing.T) {
			reg := graph.NewRegistry()
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			d, err := NewDense(reg, "d", 5, 4, act, rng)
			if err != nil {
				t.Fatal(err)
			}
			randomize(d.B.Data(), rng)
			gradCheck(t, reg, []int{3, 5}, d.Forward, uint64(10+i))
		})
	}
}

func TestConv2DGradients(t *testing.T) {
	cases := []struct {
		name                        string
		inC, outC, k, s, p, n, h, w int
		act                         Activation
	}{
		{"k3s2p1", 2, 3, 3, 2, 1, 2, 7, 6, Linear},
		{"k3s1p1_tanh", 2, 2, 3, 1, 1, 1, 5, 4, Tanh},
		{"k2s3p0_uncovered", 1, 2, 2, 3, 0, 2, 8, 7, Sigmoid},
		{"k4s2p2_relu", 2, 2, 4, 2, 2, 1, 5, 6, ReLU},
		{"4to3_k3s1p1_tanh", 4, 3, 3, 1, 1, 2, 5, 4, Tanh},
		{"5to2_k3s2p1", 5, 2, 3, 2, 1, 1, 7, 6, Linear},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg := graph.NewRegistry()
			rng := rand.New(rand.NewPCG(uint64(i), 2))
			l, err := NewConv2D(reg, "c", c.inC, c.outC, c.k, c.s, c.p, c.act, rng)
			if err != nil {
				t.Fatal(err)
			}
			randomize(l.B.Data(), rng)
			gradCheck(t, reg, []int{c.n, c.inC, c.h, c.w}, l.Forward, uint64(20+i))
		})
	}
}

func TestConvTranspose2DGradients(t *testing.T) {
	cases := []struct {
		name                            string
		inC, outC, k, s, p, op, n, h, w int
		act                             Activation
	}{
		{"k3s2p1op1", 3, 2, 3, 2, 1, 1, 1, 4, 3, Linear},
		{"k3s1p0_tanh", 2, 2, 3, 1, 0, 0, 2, 3, 4, Tanh},
		{"k4s2p1_sigmoid", 2, 3, 4, 2, 1, 0, 1, 3, 3, Sigmoid},
		{"k2s3p1op2_relu", 1, 2, 2, 3, 1, 2, 2, 3, 2, ReLU},
		{"4to2_k3s2p1op1_tanh", 4, 2, 3, 2, 1, 1, 2, 3, 3, Tanh},
		{"5to3_k3s1p1", 5, 3, 3, 1, 1, 0, 1, 3, 4, Linear},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg := graph.NewRegistry()
			rng := rand.New(rand.NewPCG(uint64(i), 3))
			l, err := NewConvTranspose2D(reg, "ct", c.inC, c.outC, c.k, c.s, c.p, c.op, c.act, rng)
			if err != nil {
				t.Fatal(err)
			}
			randomize(l.B.Data(), rng)
			gradCheck(t, reg, []int{c.n, c.inC, c.h, c.w}, l.Forward, uint64(30+i))
		})
	}
}

// TestConvTranspose2DOpGradients checks the bare op with unequal output
// paddings per axis, the case Conv2DOp's own gradient relies on.
func TestConvTranspose2DOpGradients(t *testing.T) {
	reg := graph.NewRegistry()
	rng := rand.New(rand.NewPCG(4, 4))
	if _, err := reg.Add("w", []int{2, 3, 3, 3}, graph.Normal(0.5), rng); err != nil {
		t.Fatal(err)
	}
	op := ConvTranspose2DOp{Kernel: 3, Stride: 3, Pad: 1, OutPadH: 2, OutPadW: 0}
	gradCheck(t, reg, []int{2, 2, 3, 4}, func(b *graph.Builder, x *G.Node) (*G.Node, error) {
		y, err := G.ApplyOp(op, x, b.Param(reg.Get("w")))
		if err == nil && !y.Shape().Eq([]int{2, 3, 9, 10}) {
			t.Fatalf("output shape %v, want [2 3 9 10]", y.Shape())
		}
		return y, err
	}, 40)
}

// TestStackedGradients runs a small encoder-decoder through every layer so
// that gradients flow through op outputs, reshapes and dropout masks. A
// gorgonia Reshape here (a view the tape machine's in-place analysis does
// not follow) made this test fail; Reshape and Flatten copy instead.
func TestStackedGradients(t *testing.T) {
	reg := graph.NewRegistry()
	rng := rand.New(rand.NewPCG(5, 5))
	c1, err1 := NewConv2D(reg, "c1", 1, 3, 3, 2, 1, Tanh, rng)
	d1, err2 := NewDense(reg, "d1", 3*4*3, 6, Sigmoid, rng)
	d2, err3 := NewDense(reg, "d2", 6, 2*4*3, Linear, rng)
	ct, err4 := NewConvTranspose2D(reg, "ct", 2, 1, 3, 2, 1, 1, Tanh, rng)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			t.Fatal(err)
		}
	}
	build := func(b *graph.Builder, x *G.Node) (*G.Node, error) {
		h, err := c1.Forward(b, x)
		if err != nil {
			return nil, err
		}
		// Dropout straight on an activation whose backward reads its output.
		if h, err = (Dropout{Rate: 0.2}).Forward(b, h); err != nil {
			return nil, err
		}
		if h, err = Flatten(h); err != nil {
			return nil, err
		}
		if h, err = (Dropout{Rate: 0.3}).Forward(b, h); err != nil {
			return nil, err
		}
		if h, err = d1.Forward(b, h); err != nil {
			return nil, err
		}
		if h, err = d2.Forward(b, h); err != nil {
			return nil, err
		}
		if h, err = Reshape(h, -1, 2, 4, 3); err != nil {
			return nil, err
		}
		return ct.Forward(b, h)
	}
	gradCheck(t, reg, []int{2, 1, 8, 6}, build, 50)
}

func randomize(dst []float32, rng *rand.Rand) {
	for i := range dst {
		dst[i] = float32(rng.NormFloat64() * 0.5)
	}
}

// TestMatMulOpGradients checks every orientation of the matrix product op,
// including those only reached as gradients of the dense layer's product.
func TestMatMulOpGradients(t *testing.T) {
	for i, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		t.Run(fmt.Sprintf("tA=%v,tB=%v", tr[0], tr[1]), func(t *testing.T) {
			const m, n, k = 3, 5, 4
			xShape, wShape := []int{m, k}, []int{k, n}
			if tr[0] {
				xShape = []int{k, m}
			}
			if tr[1] {
				wShape = []int{n, k}
			}
			reg := graph.NewRegistry()
			rng := rand.New(rand.NewPCG(uint64(i), 6))
			if _, err := reg.Add("w", wShape, graph.Normal(1), rng); err != nil {
				t.Fatal(err)
			}
			gradCheck(t, reg, xShape, func(b *graph.Builder, x *G.Node) (*G.Node, error) {
				y, err := G.ApplyOp(matMulOp{tA: tr[0], tB: tr[1]}, x, b.Param(reg.Get("w")))
				if err != nil {
					return nil, err
				}
				return Activate(y, Tanh)
			}, uint64(60+i))
		})
	}
}
