package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var _ G.SDOp = matMulOp{}

// matMulOp computes op(a)·op(b) for float32 matrices, op transposing when
// tA or tB is set, with the packed GEMM split across goroutines. gorgonia's
// own matmul goes to gonum's Sgemm, several times slower at the sizes of a
// dense layer on a flattened feature map.
type matMulOp struct{ tA, tB bool }

// dims returns m, n, k of op(a) (m×k) · op(b) (k×n).
func (op matMulOp) dims(as, bs tensor.Shape) (m, n, k int, err error) {
	if as.Dims() != 2 || bs.Dims() != 2 {
		return 0, 0, 0, fmt.Errorf("%v: shapes %v and %v are not matrices", op, as, bs)
	}
	m, k = as[0], as[1]
	if op.tA {
		m, k = k, m
	}
	kb, n := bs[0], bs[1]
	if op.tB {
		kb, n = n, kb
	}
	if k != kb {
		return 0, 0, 0, fmt.Errorf("%v: inner sizes of %v and %v differ", op, as, bs)
	}
	return m, n, k, nil
}

func (op matMulOp) Arity() int { return 2 }

func (op matMulOp) Type() hm.Type {
	t := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, t)
}

func (op matMulOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 2, 2)
	if err != nil {
		return nil, err
	}
	m, n, _, err := op.dims(s[0], s[1])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{m, n}, nil
}

func (op matMulOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	as, bs := v[0].Shape(), v[1].Shape()
	m, n, k, err := op.dims(as, bs)
	if err != nil {
		return nil, err
	}
	a, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	b, err := float32Input(op, 1, v[1], nil)
	if err != nil {
		return nil, err
	}
	t, c := newFloat32(m, n) // zeroed: gemmParallel adds to it
	gemmParallel(op.tA, op.tB, m, n, k, a, as[1], b, bs[1], c)
	return t, nil
}

func (op matMulOp) ReturnsPtr() bool     { return false }
func (op matMulOp) CallsExtern() bool    { return false }
func (op matMulOp) OverwritesInput() int { return -1 }
func (op matMulOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.MatMul{%v,%v}", op.tA, op.tB)
}
func (op matMulOp) Hashcode() uint32 { return hashOf(op.WriteHash) }
func (op matMulOp) String() string {
	return fmt.Sprintf("MatMul{tA=%v,tB=%v}", op.tA, op.tB)
}

func (op matMulOp) DiffWRT(inputs int) []bool { return []bool{true, true} }

// SymDiff returns the gradients of c = op(a)·op(b) as matrix products of
// grad with the other operand, each in the orientation of its input.
func (op matMulOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(inputs))
	}
	a, b := inputs[0], inputs[1]
	type term struct {
		op   matMulOp
		x, y *G.Node
	}
	var da, db term
	switch {
	case !op.tA && !op.tB: // c = a·b: da = g·bᵀ, db = aᵀ·g
		da, db = term{matMulOp{false, true}, grad, b}, term{matMulOp{true, false}, a, grad}
	case !op.tA && op.tB: // c = a·bᵀ: da = g·b, db = gᵀ·a
		da, db = term{matMulOp{false, false}, grad, b}, term{matMulOp{true, false}, grad, a}
	case op.tA && !op.tB: // c = aᵀ·b: da = b·gᵀ, db = a·g
		da, db = term{matMulOp{false, true}, b, grad}, term{matMulOp{false, false}, a, grad}
	default: // c = aᵀ·bᵀ: da = bᵀ·gᵀ, db = gᵀ·aᵀ
		da, db = term{matMulOp{true, true}, b, grad}, term{matMulOp{true, true}, grad, a}
	}
	dA, err := G.ApplyOp(da.op, da.x, da.y)
	if err != nil {
		return nil, fmt.Errorf("%v: gradient of a: %w", op, err)
	}
	dB, err := G.ApplyOp(db.op, db.x, db.y)
	if err != nil {
		return nil, fmt.Errorf("%v: gradient of b: %w", op, err)
	}
	return G.Nodes{dA, dB}, nil
}
