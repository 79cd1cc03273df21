package layers

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.SDOp = actOp{}
	_ G.Op   = actGradOp{}
)

// activate writes act(src[i] + bias) to dst[i]. Activations other than
// relu, sigmoid and tanh are the identity.
func activate(act Activation, dst, src []float32, bias float32) {
	dst = dst[:len(src)]
	switch act {
	case ReLU:
		for i, v := range src {
			// Branch-free max(v, 0): clear every bit of a negative value.
			b := math.Float32bits(v + bias)
			dst[i] = math.Float32frombits(b &^ uint32(int32(b)>>31))
		}
	case Sigmoid:
		for i, v := range src {
			dst[i] = float32(1 / (1 + math.Exp(-float64(v+bias))))
		}
	case Tanh:
		for i, v := range src {
			// tanh|x| = (1-t)/(1+t) with t = exp(-2|x|), in float64 so that
			// small arguments keep their relative precision.
			x := float64(v + bias)
			t := math.Exp(-2 * math.Abs(x))
			dst[i] = float32(math.Copysign((1-t)/(1+t), x))
		}
	default:
		for i, v := range src {
			dst[i] = v + bias
		}
	}
}

// activationGrad writes dy[i]·act'(x) to dst[i], the derivative expressed
// through the output y = act(x): relu 1 where y > 0 (0 at x = 0, as
// PyTorch), sigmoid y(1-y), tanh 1-y².
func activationGrad(act Activation, dst, y, dy []float32) {
	dst, dy = dst[:len(y)], dy[:len(y)]
	switch act {
	case ReLU:
		for i, v := range y {
			// Branch-free: y is +0 or positive, so its bits are 0 exactly
			// where the gradient is blocked.
			b := math.Float32bits(v)
			keep := uint32(int32(b|-b) >> 31)
			dst[i] = math.Float32frombits(math.Float32bits(dy[i]) & keep)
		}
	case Sigmoid:
		for i, v := range y {
			dst[i] = dy[i] * v * (1 - v)
		}
	case Tanh:
		for i, v := range y {
			dst[i] = dy[i] * (1 - v*v)
		}
	default:
		copy(dst, dy)
	}
}

// actOp applies a relu, sigmoid or tanh activation in one pass.
type actOp struct{ act Activation }

func (op actOp) Arity() int { return 1 }

func (op actOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op actOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%v: got %d input shapes, want 1", op, len(in))
	}
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%v: input shape is %T", op, in[0])
	}
	return s.Clone(), nil
}

func (op actOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 1 {
		return nil, fmt.Errorf("%v: got %d inputs, want 1", op, len(v))
	}
	x, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	t, y := newFloat32(v[0].Shape()...)
	parallelChunks(len(x), elementwiseChunk, func(lo, hi int) {
		activate(op.act, y[lo:hi], x[lo:hi], 0)
	})
	return t, nil
}

func (op actOp) ReturnsPtr() bool      { return false }
func (op actOp) CallsExtern() bool     { return false }
func (op actOp) OverwritesInput() int  { return -1 }
func (op actOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "vigil.Act{%s}", op.act) }
func (op actOp) Hashcode() uint32      { return hashOf(op.WriteHash) }
func (op actOp) String() string        { return string(op.act) }

func (op actOp) DiffWRT(inputs int) []bool { return []bool{true} }

// SymDiff computes the input gradient from the output and grad.
func (op actOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(actGradOp(op), output, grad)
	if err != nil {
		return nil, fmt.Errorf("%v: gradient: %w", op, err)
	}
	return G.Nodes{dx}, nil
}

// actGradOp computes dy·act'(x) from (y, dy), y being the activation's output.
type actGradOp struct{ act Activation }

func (op actGradOp) Arity() int { return 2 }

func (op actGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (op actGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("%v: got %d input shapes, want 2", op, len(in))
	}
	a, ok1 := in[0].(tensor.Shape)
	b, ok2 := in[1].(tensor.Shape)
	if !ok1 || !ok2 || !a.Eq(b) {
		return nil, fmt.Errorf("%v: input shapes %v and %v differ", op, in[0], in[1])
	}
	return a.Clone(), nil
}

func (op actGradOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	y, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	dy, err := float32Input(op, 1, v[1], v[0].Shape())
	if err != nil {
		return nil, err
	}
	t, dx := newFloat32(v[0].Shape()...)
	parallelChunks(len(y), elementwiseChunk, func(lo, hi int) {
		activationGrad(op.act, dx[lo:hi], y[lo:hi], dy[lo:hi])
	})
	return t, nil
}

func (op actGradOp) ReturnsPtr() bool      { return false }
func (op actGradOp) CallsExtern() bool     { return false }
func (op actGradOp) OverwritesInput() int  { return -1 }
func (op actGradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "vigil.ActGrad{%s}", op.act) }
func (op actGradOp) Hashcode() uint32      { return hashOf(op.WriteHash) }
func (op actGradOp) String() string        { return string(op.act) + "Grad" }
