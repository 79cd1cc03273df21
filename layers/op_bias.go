package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.SDOp = biasActOp{}
	_ G.Op   = biasGradOp{}
)

// BiasAdd adds b [C] along axis 1 of x [N, C, ...] in one fused pass (no
// broadcast copy of b). It returns an error unless x has at least 2
// dimensions and b is a vector of length x.Shape()[1].
func BiasAdd(x, b *G.Node) (*G.Node, error) { return biasAct(x, b, Linear) }

// biasAct computes act(x + b) in one pass, b added along axis 1.
func biasAct(x, b *G.Node, act Activation) (*G.Node, error) {
	if err := act.Validate(); err != nil {
		return nil, err
	}
	xs, bs := x.Shape(), b.Shape()
	if xs.Dims() < 2 || bs.Dims() != 1 || bs[0] != xs[1] {
		return nil, fmt.Errorf("layers: bias %v does not fit axis 1 of %v", bs, xs)
	}
	if act == "" {
		act = Linear
	}
	y, err := G.ApplyOp(biasActOp{dims: xs.Dims(), act: act}, x, b)
	if err != nil {
		return nil, fmt.Errorf("layers: bias add: %w", err)
	}
	return y, nil
}

// biasLayout splits a shape [N, C, ...] into N, C and the product of the rest.
func biasLayout(s tensor.Shape) (n, c, inner int) {
	inner = 1
	for _, d := range s[2:] {
		inner *= d
	}
	return s[0], s[1], inner
}

// biasActOp computes act(x + b) for x [N, C, ...] and b [C] broadcast along
// axis 1.
type biasActOp struct {
	dims int
	act  Activation
}

func (op biasActOp) Arity() int { return 2 }

func (op biasActOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := G.TensorType{Dims: op.dims, Of: a}
	return hm.NewFnType(t, G.TensorType{Dims: 1, Of: a}, t)
}

func (op biasActOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, op.dims, 1)
	if err != nil {
		return nil, err
	}
	if s[1][0] != s[0][1] {
		return nil, fmt.Errorf("%v: bias %v does not fit %v", op, s[1], s[0])
	}
	return s[0].Clone(), nil
}

func (op biasActOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	xs := v[0].Shape()
	if xs.Dims() != op.dims {
		return nil, fmt.Errorf("%v: input has shape %v", op, xs)
	}
	x, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	b, err := float32Input(op, 1, v[1], tensor.Shape{xs[1]})
	if err != nil {
		return nil, err
	}
	t, y := newFloat32(xs...)
	n, c, inner := biasLayout(xs)
	if inner == 1 {
		// [N, C]: one row of C values per sample.
		parallelChunks(n, max(1, elementwiseChunk/c), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				row := x[i*c : (i+1)*c]
				out := y[i*c : (i+1)*c]
				for j, bv := range b {
					out[j] = row[j] + bv
				}
				activate(op.act, out, out, 0)
			}
		})
		return t, nil
	}
	parallelChunks(n*c, max(1, elementwiseChunk/inner), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			activate(op.act, y[i*inner:(i+1)*inner], x[i*inner:(i+1)*inner], b[i%c])
		}
	})
	return t, nil
}

func (op biasActOp) ReturnsPtr() bool     { return false }
func (op biasActOp) CallsExtern() bool    { return false }
func (op biasActOp) OverwritesInput() int { return -1 }
func (op biasActOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.BiasAct{%d,%s}", op.dims, op.act)
}
func (op biasActOp) Hashcode() uint32 { return hashOf(op.WriteHash) }
func (op biasActOp) String() string   { return fmt.Sprintf("BiasAct{%dD,%s}", op.dims, op.act) }

func (op biasActOp) DiffWRT(inputs int) []bool { return []bool{true, true} }

// SymDiff computes the pre-activation gradient dz from the output (grad
// itself for the identity); dz is the input gradient and its per-channel
// sum the bias gradient.
func (op biasActOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dz := grad
	if op.act != Linear {
		var err error
		if dz, err = G.ApplyOp(actGradOp{act: op.act}, output, grad); err != nil {
			return nil, fmt.Errorf("%v: activation gradient: %w", op, err)
		}
	}
	db, err := G.ApplyOp(biasGradOp{dims: op.dims}, dz)
	if err != nil {
		return nil, fmt.Errorf("%v: bias gradient: %w", op, err)
	}
	return G.Nodes{dz, db}, nil
}

// biasGradOp sums g [N, C, ...] over every axis but 1, giving [C].
type biasGradOp struct{ dims int }

func (op biasGradOp) Arity() int { return 1 }

func (op biasGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: op.dims, Of: a}, G.TensorType{Dims: 1, Of: a})
}

func (op biasGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, op.dims)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{s[0][1]}, nil
}

func (op biasGradOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 1 {
		return nil, fmt.Errorf("%v: got %d inputs, want 1", op, len(v))
	}
	gs := v[0].Shape()
	if gs.Dims() != op.dims {
		return nil, fmt.Errorf("%v: input has shape %v", op, gs)
	}
	g, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	n, c, inner := biasLayout(gs)
	t, db := newFloat32(c)
	for i := 0; i < n*c; i++ {
		var s float32
		for _, gv := range g[i*inner : (i+1)*inner] {
			s += gv
		}
		db[i%c] += s
	}
	return t, nil
}

func (op biasGradOp) ReturnsPtr() bool     { return false }
func (op biasGradOp) CallsExtern() bool    { return false }
func (op biasGradOp) OverwritesInput() int { return -1 }
func (op biasGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.BiasGrad{%d}", op.dims)
}
func (op biasGradOp) Hashcode() uint32 { return hashOf(op.WriteHash) }
func (op biasGradOp) String() string   { return fmt.Sprintf("BiasGrad{%dD}", op.dims) }
