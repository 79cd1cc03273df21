package program

import (
	"fmt"
	"reflect"
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

// gorgoniaOps is every gorgonia built-in op that lowers, by type name, with
// the unexported fields its lowering reads by reflection. It is the only
// place that knows gorgonia's internals: TestGorgoniaTableMatchesGorgonia
// fails when the pinned gorgonia renames an op type or one of these fields
// or changes its kind.
var gorgoniaOps = map[string][]opField{
	"constantScalar": nil,
	"constantTensor": nil,
	"sizeOp":         {{"axis", reflect.Int}},
	"reshapeOp":      nil,
	"Iop":            nil,
	"elemUnaryOp":    nil, // by String
	"elemBinOp":      nil, // by String
	"linAlgBinOp":    {{"āBinaryOperator", reflect.Int}, {"transA", reflect.Bool}, {"transB", reflect.Bool}},
	"sumOp":          {{"along", reflect.Slice}},
	"maxOp":          {{"along", reflect.Slice}},
	"repeatOp":       {{"along", reflect.Int}},
	"transposeOp":    {{"pattern", reflect.Slice}},
	"sliceOp":        {{"along", reflect.Int}}, // and the range by IsSlice
	"sliceIncrOp":    {{"along", reflect.Int}}, // embeds *sliceOp
	"concatOp":       {{"axis", reflect.Int}},
}

// slicer is gorgonia's *sliceOp, and sliceIncrOp through it: the range of
// the sliced axis (nil for all of it).
type slicer interface{ IsSlice() tensor.Slice }

// sliceOf reads the axis and range of a sliceOp or sliceIncrOp.
func sliceOf(op G.Op) (int, tensor.Slice, error) {
	axis, err := intField(op, "along")
	if err != nil {
		return 0, nil, err
	}
	sl, ok := op.(slicer)
	if !ok {
		return 0, nil, fmt.Errorf("op has no IsSlice method")
	}
	return axis, sl.IsSlice(), nil
}

// opField is an unexported field of a gorgonia op and its kind.
type opField struct {
	Name string
	Kind reflect.Kind
}

const gorgoniaPkg = "gorgonia.org/gorgonia"

// gorgoniaOp returns the lowering of a gorgonia built-in op in gorgoniaOps.
func gorgoniaOp(op G.Op) (func(G.Op, *G.Node, []*G.Node) (Lowering, error), bool) {
	name, ok := gorgoniaName(op)
	if !ok {
		return nil, false
	}
	if _, ok := gorgoniaOps[name]; !ok {
		return nil, false
	}
	return func(op G.Op, n *G.Node, in []*G.Node) (Lowering, error) { return lowerGorgonia(name, op, n, in) }, true
}

// gorgoniaName is the type name of a gorgonia op (through a pointer).
func gorgoniaName(op G.Op) (string, bool) {
	t := reflect.TypeOf(op)
	if t == nil {
		return "", false
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name(), t.PkgPath() == gorgoniaPkg
}

// lowerGorgonia lowers gorgonia's built-in ops by type name, String and
// reflection of their fields.
func lowerGorgonia(name string, op G.Op, n *G.Node, in []*G.Node) (Lowering, error) {
	switch name {
	case "constantScalar", "constantTensor":
		d, err := constData(n)
		if err != nil {
			return Lowering{}, err
		}
		return Constant(d), nil
	case "sizeOp":
		// The size of a static shape along an axis.
		if err := WantInputs(in, 1); err != nil {
			return Lowering{}, err
		}
		axis, err := intField(op, "axis")
		if err != nil {
			return Lowering{}, err
		}
		s := in[0].Shape()
		size := 1
		if !s.IsScalar() {
			if axis < 0 || axis >= s.Dims() {
				return Lowering{}, fmt.Errorf("axis %d of shape %v", axis, s)
			}
			size = s[axis]
		}
		return Constant([]float32{float32(size)}), nil
	case "reshapeOp", "Iop":
		if err := WantInputs(in, 1); err != nil {
			return Lowering{}, err
		}
		return ViewOf(0), nil
	case "elemUnaryOp":
		if err := WantInputs(in, 1); err != nil {
			return Lowering{}, err
		}
		u, ok := unaryByName[op.String()]
		if !ok {
			return Lowering{}, fmt.Errorf("unknown unary operator")
		}
		return Instruction(Instr{Kind: KindUnary, In: []int{0}, Unary: u}), nil
	case "elemBinOp":
		if err := WantInputs(in, 2); err != nil {
			return Lowering{}, err
		}
		sym, _, _ := strings.Cut(op.String(), " ")
		b, ok := binaryBySymbol[sym]
		if !ok {
			return Lowering{}, fmt.Errorf("unknown binary operator %q", sym)
		}
		size := numel(n.Shape())
		for i, c := range in {
			if cs := numel(c.Shape()); cs > 1 && cs != size {
				return Lowering{}, fmt.Errorf("operand %d has shape %v, output %v (only scalars broadcast)", i, c.Shape(), n.Shape())
			}
		}
		return Instruction(Instr{Kind: KindBinary, In: []int{0, 1}, Binary: b}), nil
	case "linAlgBinOp":
		if err := WantInputs(in, 2); err != nil {
			return Lowering{}, err
		}
		return lowerLinAlg(op, n, in)
	case "sumOp", "maxOp":
		if err := WantInputs(in, 1); err != nil {
			return Lowering{}, err
		}
		along, err := intsField(op, "along")
		if err != nil {
			return Lowering{}, err
		}
		kind := KindSum
		if name == "maxOp" {
			kind = KindMax
		}
		return lowerReduce(kind, along, n, in[0])
	case "repeatOp":
		if err := WantInputs(in, 2); err != nil {
			return Lowering{}, err
		}
		axis, err := intField(op, "along")
		if err != nil {
			return Lowering{}, err
		}
		return lowerRepeat(axis, n, in[0])
	case "transposeOp":
		if err := WantInputs(in, 1); err != nil {
			return Lowering{}, err
		}
		perm, err := intsField(op, "pattern")
		if err != nil {
			return Lowering{}, err
		}
		is, os := in[0].Shape(), n.Shape()
		if len(perm) != is.Dims() || os.Dims() != is.Dims() {
			return Lowering{}, fmt.Errorf("pattern %v for shape %v", perm, is)
		}
		seen := make([]bool, len(perm))
		for i, a := range perm {
			if a < 0 || a >= len(perm) || seen[a] || os[i] != is[a] {
				return Lowering{}, fmt.Errorf("pattern %v takes %v to %v", perm, is, os)
			}
			seen[a] = true
		}
		return Instruction(Instr{Kind: KindTranspose, In: []int{0}, Perm: perm}), nil
	case "sliceOp", "sliceIncrOp":
		axis, r, err := sliceOf(op)
		if err != nil {
			return Lowering{}, err
		}
		if name == "sliceOp" {
			return lowerSlice(axis, r, n, in)
		}
		return lowerSliceIncr(axis, r, n, in)
	case "concatOp":
		axis, err := intField(op, "axis")
		if err != nil {
			return Lowering{}, err
		}
		return lowerConcat(axis, n, in)
	}
	return Lowering{}, fmt.Errorf("gorgonia op %q is in the lowering table but has no lowering", name)
}

// lowerLinAlg lowers gorgonia's matrix, matrix-vector, dot, outer and
// batched matrix products to KindMatMul.
func lowerLinAlg(op G.Op, n *G.Node, in []*G.Node) (Lowering, error) {
	kind, err := intField(op, "āBinaryOperator")
	if err != nil {
		return Lowering{}, err
	}
	tA, err := boolField(op, "transA")
	if err != nil {
		return Lowering{}, err
	}
	tB, err := boolField(op, "transB")
	if err != nil {
		return Lowering{}, err
	}
	as, bs, os := in[0].Shape(), in[1].Shape(), n.Shape()
	var mm MatMul
	switch kind {
	case linAlgMatMul:
		return MatMulOf(n, in, tA, tB)
	case linAlgMatVec:
		// op(A) [M, K] · b [K] = [M]: b is a K×1 matrix.
		if as.Dims() != 2 || bs.Dims() != 1 {
			return Lowering{}, fmt.Errorf("matrix-vector product of %v and %v", as, bs)
		}
		m, k := as[0], as[1]
		if tA {
			m, k = k, m
		}
		mm = MatMul{Batch: 1, M: m, N: 1, K: k, TransA: tA}
	case linAlgVecDot:
		if as.Dims() != 1 || bs.Dims() != 1 || tA || tB {
			return Lowering{}, fmt.Errorf("dot product of %v and %v", as, bs)
		}
		mm = MatMul{Batch: 1, M: 1, N: 1, K: as[0]}
	case linAlgOuter:
		// a [M] ⊗ b [N]: an M×1 by 1×N product.
		if tA || tB {
			return Lowering{}, fmt.Errorf("transposed outer product")
		}
		mm = MatMul{Batch: 1, M: as.TotalSize(), N: bs.TotalSize(), K: 1}
	case linAlgBatched:
		d := as.Dims()
		if d < 3 || bs.Dims() != d || !as[:d-2].Eq(bs[:d-2]) {
			return Lowering{}, fmt.Errorf("batched product of %v and %v", as, bs)
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
		return Lowering{}, fmt.Errorf("unknown linear algebra operator %d", kind)
	}
	if mm.Batch*mm.M*mm.K != numel(as) || mm.Batch*mm.K*mm.N != numel(bs) || mm.Batch*mm.M*mm.N != numel(os) {
		return Lowering{}, fmt.Errorf("product of %v and %v does not give %v", as, bs, os)
	}
	return Instruction(Instr{Kind: KindMatMul, In: []int{0, 1}, MatMul: mm}), nil
}

// lowerReduce lowers a sum or max over axes (all axes when none).
func lowerReduce(kind Kind, along []int, n, x *G.Node) (Lowering, error) {
	s := x.Shape()
	if s.IsScalar() {
		return Lowering{}, fmt.Errorf("reduction of a scalar")
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
			return Lowering{}, fmt.Errorf("axes %v of shape %v", along, s)
		}
		seen[a] = true
		size /= s[a]
	}
	if size != numel(n.Shape()) {
		return Lowering{}, fmt.Errorf("reducing %v over %v does not give %v", s, along, n.Shape())
	}
	return Instruction(Instr{Kind: kind, In: []int{0}, Axes: append([]int(nil), along...)}), nil
}

// lowerRepeat lowers a repeat along axis of x to n's static shape. x may
// have fewer dimensions than n (a scalar or vector extended with ones).
func lowerRepeat(axis int, n, x *G.Node) (Lowering, error) {
	os := n.Shape()
	in := append(tensor.Shape(nil), x.Shape()...)
	for len(in) < os.Dims() {
		in = append(in, 1)
	}
	if axis < 0 || axis >= os.Dims() || in.Dims() != os.Dims() {
		return Lowering{}, fmt.Errorf("repeat of %v along %d to %v", x.Shape(), axis, os)
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
			return Lowering{}, fmt.Errorf("repeat of %v along %d to %v", x.Shape(), axis, os)
		}
	}
	if r.Dim == 0 || os[axis]%r.Dim != 0 {
		return Lowering{}, fmt.Errorf("repeat of %v along %d to %v", x.Shape(), axis, os)
	}
	r.Reps = os[axis] / r.Dim
	return Instruction(Instr{Kind: KindRepeat, In: []int{0}, Repeat: r}), nil
}

// constData is a constant node's value as arena words.
func constData(n *G.Node) ([]float32, error) {
	dt, err := dtypeOf(n)
	if err != nil {
		return nil, err
	}
	if dt == Int32 {
		return int32Words(n.Value())
	}
	return float32Data(n.Value())
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

// field returns the named field of op's struct (through a pointer), which
// may be unexported: only its kind-specific readers (Int, Bool, String,
// Len, Index) are used.
func field(op G.Op, name string) (reflect.Value, error) {
	v := reflect.ValueOf(op)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, fmt.Errorf("op is a %v, not a struct", v.Kind())
	}
	f := v.FieldByName(name)
	if !f.IsValid() {
		return reflect.Value{}, fmt.Errorf("op has no field %q", name)
	}
	return f, nil
}

func intField(op G.Op, name string) (int, error) {
	f, err := field(op, name)
	if err != nil {
		return 0, err
	}
	switch f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(f.Int()), nil
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		return int(f.Uint()), nil
	}
	return 0, fmt.Errorf("field %q is a %v, not an integer", name, f.Kind())
}

func boolField(op G.Op, name string) (bool, error) {
	f, err := field(op, name)
	if err != nil {
		return false, err
	}
	if f.Kind() != reflect.Bool {
		return false, fmt.Errorf("field %q is a %v, not a bool", name, f.Kind())
	}
	return f.Bool(), nil
}

func intsField(op G.Op, name string) ([]int, error) {
	f, err := field(op, name)
	if err != nil {
		return nil, err
	}
	if f.Kind() != reflect.Slice {
		return nil, fmt.Errorf("field %q is a %v, not a slice", name, f.Kind())
	}
	out := make([]int, f.Len())
	for i := range out {
		e := f.Index(i)
		if e.Kind() != reflect.Int {
			return nil, fmt.Errorf("field %q holds %v, not int", name, e.Kind())
		}
		out[i] = int(e.Int())
	}
	return out, nil
}
