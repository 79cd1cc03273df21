package program

import (
	"fmt"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// unaryByName maps gorgonia's unary operator names (elemUnaryOp.String).
var unaryByName = func() map[string]Unary {
	m := map[string]Unary{}
	for u, s := range unaryNames {
		if u != ReLU {
			m[s] = u
		}
	}
	return m
}()

// binaryBySymbol maps gorgonia's binary operator symbols.
var binaryBySymbol = func() map[string]Binary {
	m := map[string]Binary{}
	for b, s := range binarySymbols {
		m[s] = b
	}
	return m
}()

// gorgonia's linear algebra operators (āBinaryOperator), in its order.
const (
	linAlgMatMul = iota
	linAlgMatVec
	linAlgVecDot
	linAlgOuter
	linAlgBatched
)

// lowerGorgonia lowers gorgonia's built-in ops by type name, String and
// reflection of their fields.
func lowerGorgonia(name string, op G.Op, n *G.Node, in []*G.Node) (lowered, error) {
	switch name {
	case "constantScalar", "constantTensor":
		d, err := float32Data(n.Value())
		if err != nil {
			return lowered{}, err
		}
		return constant(d), nil
	case "sizeOp":
		// The size of a static shape along an axis.
		if err := wantInputs(in, 1); err != nil {
			return lowered{}, err
		}
		axis, err := intField(op, "axis")
		if err != nil {
			return lowered{}, err
		}
		s := in[0].Shape()
		size := 1
		if !s.IsScalar() {
			if axis < 0 || axis >= s.Dims() {
				return lowered{}, fmt.Errorf("axis %d of shape %v", axis, s)
			}
			size = s[axis]
		}
		return constant([]float32{float32(size)}), nil
	case "reshapeOp", "Iop":
		if err := wantInputs(in, 1); err != nil {
			return lowered{}, err
		}
		return viewOf(0), nil
	case "elemUnaryOp":
		if err := wantInputs(in, 1); err != nil {
			return lowered{}, err
		}
		u, ok := unaryByName[op.String()]
		if !ok {
			return lowered{}, fmt.Errorf("unknown unary operator")
		}
		return instr(Instr{Kind: KindUnary, In: []int{0}, Unary: u}), nil
	case "elemBinOp":
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		sym, _, _ := strings.Cut(op.String(), " ")
		b, ok := binaryBySymbol[sym]
		if !ok {
			return lowered{}, fmt.Errorf("unknown binary operator %q", sym)
		}
		size := numel(n.Shape())
		for i, c := range in {
			if cs := numel(c.Shape()); cs > 1 && cs != size {
				return lowered{}, fmt.Errorf("operand %d has shape %v, output %v (only scalars broadcast)", i, c.Shape(), n.Shape())
			}
		}
		return instr(Instr{Kind: KindBinary, In: []int{0, 1}, Binary: b}), nil
	case "linAlgBinOp":
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		return lowerLinAlg(op, n, in)
	case "sumOp", "maxOp":
		if err := wantInputs(in, 1); err != nil {
			return lowered{}, err
		}
		along, err := intsField(op, "along")
		if err != nil {
			return lowered{}, err
		}
		kind := KindSum
		if name == "maxOp" {
			kind = KindMax
		}
		return lowerReduce(kind, along, n, in[0])
	case "repeatOp":
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		axis, err := intField(op, "along")
		if err != nil {
			return lowered{}, err
		}
		return lowerRepeat(axis, n, in[0])
	case "transposeOp":
		if err := wantInputs(in, 1); err != nil {
			return lowered{}, err
		}
		perm, err := intsField(op, "pattern")
		if err != nil {
			return lowered{}, err
		}
		is, os := in[0].Shape(), n.Shape()
		if len(perm) != is.Dims() || os.Dims() != is.Dims() {
			return lowered{}, fmt.Errorf("pattern %v for shape %v", perm, is)
		}
		seen := make([]bool, len(perm))
		for i, a := range perm {
			if a < 0 || a >= len(perm) || seen[a] || os[i] != is[a] {
				return lowered{}, fmt.Errorf("pattern %v takes %v to %v", perm, is, os)
			}
			seen[a] = true
		}
		return instr(Instr{Kind: KindTranspose, In: []int{0}, Perm: perm}), nil
	}
	return lowered{}, fmt.Errorf("unsupported op")
}

// lowerLinAlg lowers gorgonia's matrix, matrix-vector, dot, outer and
// batched matrix products to KindMatMul.
func lowerLinAlg(op G.Op, n *G.Node, in []*G.Node) (lowered, error) {
	kind, err := intField(op, "āBinaryOperator")
	if err != nil {
		return lowered{}, err
	}
	tA, err := boolField(op, "transA")
	if err != nil {
		return lowered{}, err
	}
	tB, err := boolField(op, "transB")
	if err != nil {
		return lowered{}, err
	}
	as, bs, os := in[0].Shape(), in[1].Shape(), n.Shape()
	var mm MatMul
	switch kind {
	case linAlgMatMul:
		return matMul(n, in, tA, tB)
	case linAlgMatVec:
		// op(A) [M, K] · b [K] = [M]: b is a K×1 matrix.
		if as.Dims() != 2 || bs.Dims() != 1 {
			return lowered{}, fmt.Errorf("matrix-vector product of %v and %v", as, bs)
		}
		m, k := as[0], as[1]
		if tA {
			m, k = k, m
		}
		mm = MatMul{Batch: 1, M: m, N: 1, K: k, TransA: tA}
	case linAlgVecDot:
		if as.Dims() != 1 || bs.Dims() != 1 || tA || tB {
			return lowered{}, fmt.Errorf("dot product of %v and %v", as, bs)
		}
		mm = MatMul{Batch: 1, M: 1, N: 1, K: as[0]}
	case linAlgOuter:
		// a [M] ⊗ b [N]: an M×1 by 1×N product.
		if tA || tB {
			return lowered{}, fmt.Errorf("transposed outer product")
		}
		mm = MatMul{Batch: 1, M: as.TotalSize(), N: bs.TotalSize(), K: 1}
	case linAlgBatched:
		d := as.Dims()
		if d < 3 || bs.Dims() != d || !as[:d-2].Eq(bs[:d-2]) {
			return lowered{}, fmt.Errorf("batched product of %v and %v", as, bs)
		}
		m, k := as[d-2], as[d-1]
		if tA {
			m, k = k, m
		}
		_, nn := bs[d-2], bs[d-1]
		if tB {
			nn = bs[d-2]
		}
		mm = MatMul{Batch: as[:d-2].TotalSize(), M: m, N: nn, K: k, TransA: tA, TransB: tB}
	default:
		return lowered{}, fmt.Errorf("unknown linear algebra operator %d", kind)
	}
	if mm.Batch*mm.M*mm.K != numel(as) || mm.Batch*mm.K*mm.N != numel(bs) || mm.Batch*mm.M*mm.N != numel(os) {
		return lowered{}, fmt.Errorf("product of %v and %v does not give %v", as, bs, os)
	}
	return instr(Instr{Kind: KindMatMul, In: []int{0, 1}, MatMul: mm}), nil
}

// lowerReduce lowers a sum or max over axes (all axes when none).
func lowerReduce(kind Kind, along []int, n, x *G.Node) (lowered, error) {
	s := x.Shape()
	if s.IsScalar() {
		return lowered{}, fmt.Errorf("reduction of a scalar")
	}
	if len(along) == 0 {
		for a := range s.Dims() {
			along = append(along, a)
		}
	}
	size := numel(s)
	seen := map[int]bool{}
	for _, a := range along {
		if a < 0 || a >= s.Dims() || seen[a] {
			return lowered{}, fmt.Errorf("axes %v of shape %v", along, s)
		}
		seen[a] = true
		size /= s[a]
	}
	if size != numel(n.Shape()) {
		return lowered{}, fmt.Errorf("reducing %v over %v does not give %v", s, along, n.Shape())
	}
	return instr(Instr{Kind: kind, In: []int{0}, Axes: append([]int(nil), along...)}), nil
}

// lowerRepeat lowers a repeat along axis of x to n's static shape. x may
// have fewer dimensions than n (a scalar or vector extended with ones).
func lowerRepeat(axis int, n, x *G.Node) (lowered, error) {
	os := n.Shape()
	in := append(tensor.Shape(nil), x.Shape()...)
	for len(in) < os.Dims() {
		in = append(in, 1)
	}
	if axis < 0 || axis >= os.Dims() || in.Dims() != os.Dims() {
		return lowered{}, fmt.Errorf("repeat of %v along %d to %v", x.Shape(), axis, os)
	}
	r := Repeat{Outer: 1, Dim: in[axis], Inner: 1}
	for a := range os.Dims() {
		switch {
		case a < axis:
			r.Outer *= os[a]
		case a > axis:
			r.Inner *= os[a]
		}
		if a != axis && in[a] != os[a] {
			return lowered{}, fmt.Errorf("repeat of %v along %d to %v", x.Shape(), axis, os)
		}
	}
	if r.Dim == 0 || os[axis]%r.Dim != 0 {
		return lowered{}, fmt.Errorf("repeat of %v along %d to %v", x.Shape(), axis, os)
	}
	r.Reps = os[axis] / r.Dim
	return instr(Instr{Kind: KindRepeat, In: []int{0}, Repeat: r}), nil
}

// float32Data copies a float32 scalar or tensor value.
func float32Data(v G.Value) ([]float32, error) {
	switch t := v.(type) {
	case *G.F32:
		return []float32{float32(*t)}, nil
	case *tensor.Dense:
		if t.RequiresIterator() {
			m, ok := t.Materialize().(*tensor.Dense)
			if !ok {
				return nil, fmt.Errorf("value cannot be made contiguous")
			}
			t = m
		}
		d, ok := t.Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("value holds %T, want float32", t.Data())
		}
		return append([]float32(nil), d[:numel(t.Shape())]...), nil
	case nil:
		return nil, fmt.Errorf("no value")
	}
	return nil, fmt.Errorf("value of type %T", v)
}

// numel is the number of values of a shape, 1 for a scalar.
func numel(s tensor.Shape) int { return max(1, s.TotalSize()) }
