package program

import (
	"fmt"

	"gorgonia.org/tensor"
)

// convOut is a convolution's output length: (n+2p-k)/s+1.
func convOut(n int, c Conv) int { return (n+2*c.Pad-c.Kernel)/c.Stride + 1 }

// convTransposeOut is a transposed convolution's output length.
func convTransposeOut(n int, c Conv, outPad int) int {
	return (n-1)*c.Stride - 2*c.Pad + c.Kernel + outPad
}

// checkInstr verifies the operand count and shapes of an instruction, so
// that the interpreter and kernels can trust them.
func checkInstr(vals []Value, in Instr) error {
	arity := map[Kind]int{
		KindUnary: 1, KindBinary: 2, KindMatMul: 2, KindBiasAct: 2, KindBiasGrad: 1, KindActGrad: 2,
		KindConv2D: 2, KindConvTranspose2D: 2, KindConvFilterGrad: 2, KindBCELogits: 2, KindBCELogitsGrad: 3,
		KindSum: 1, KindMax: 1, KindRepeat: 1, KindTranspose: 1,
		KindGather: 2, KindScatterAdd: 2, KindSoftmaxXent: 2, KindSoftmaxXentGrad: 3, KindTargetProb: 1,
		KindLSTMForward: 4, KindLSTMBackward: 5, KindSegment: 1, KindSlice: 1, KindSliceAdd: 1,
	}[in.Kind]
	if in.Kind == KindConcat && len(in.In) >= 1 {
		arity = len(in.In) // any number of inputs
	}
	if arity == 0 || len(in.In) != arity {
		return fmt.Errorf("%v: %d inputs", in.Kind, len(in.In))
	}
	out := vals[in.Out]
	if out.DType != Float32 {
		return fmt.Errorf("%v: %v output, want float32", in, out.DType)
	}
	for i, v := range in.In {
		if dt := vals[v].DType; dt != in.InputDType(i) {
			return fmt.Errorf("%v: input %d (%%%d) is %v, want %v", in, i, v, dt, in.InputDType(i))
		}
	}
	x := vals[in.In[0]]
	bad := func() error {
		shapes := make([]tensor.Shape, len(in.In))
		for i, v := range in.In {
			shapes[i] = vals[v].Shape
		}
		return fmt.Errorf("%v: input shapes %v do not give %v", in, shapes, out.Shape)
	}
	switch in.Kind {
	case KindUnary:
		if x.Size != out.Size {
			return bad()
		}
	case KindBinary:
		for _, v := range in.In {
			if s := vals[v].Size; s != 1 && s != out.Size {
				return bad()
			}
		}
	case KindMatMul:
		m, y := in.MatMul, vals[in.In[1]]
		if m.Batch < 1 || m.M < 1 || m.N < 1 || m.K < 1 ||
			x.Size != m.Batch*m.M*m.K || y.Size != m.Batch*m.K*m.N || out.Size != m.Batch*m.M*m.N {
			return bad()
		}
	case KindBiasAct:
		b := vals[in.In[1]]
		if x.Shape.Dims() < 2 || b.Size != x.Shape[1] || out.Size != x.Size {
			return bad()
		}
	case KindBiasGrad:
		if x.Shape.Dims() < 2 || out.Size != x.Shape[1] {
			return bad()
		}
	case KindActGrad:
		if vals[in.In[1]].Size != x.Size || out.Size != x.Size {
			return bad()
		}
	case KindConv2D, KindConvTranspose2D, KindConvFilterGrad:
		return checkConv(vals, in, bad)
	case KindBCELogits, KindBCELogitsGrad:
		t := vals[in.In[1]]
		if x.Shape.Dims() < 1 || t.Size != x.Size {
			return bad()
		}
		n := x.Shape[0]
		if in.Kind == KindBCELogits && (out.Shape.Dims() != 1 || out.Size != n) {
			return bad()
		}
		if in.Kind == KindBCELogitsGrad && (vals[in.In[2]].Size != n || out.Size != x.Size) {
			return bad()
		}
	case KindSum, KindMax:
		size := x.Size
		for _, a := range in.Axes {
			if a < 0 || a >= x.Shape.Dims() {
				return bad()
			}
			size /= x.Shape[a]
		}
		if size != out.Size {
			return bad()
		}
	case KindRepeat:
		r := in.Repeat
		if r.Outer < 1 || r.Dim < 1 || r.Reps < 1 || r.Inner < 1 ||
			x.Size != r.Outer*r.Dim*r.Inner || out.Size != r.Outer*r.Dim*r.Reps*r.Inner {
			return bad()
		}
	case KindGather, KindScatterAdd, KindSoftmaxXent, KindSoftmaxXentGrad, KindTargetProb,
		KindLSTMForward, KindLSTMBackward, KindSegment:
		if !checkSeq(vals, in) {
			return bad()
		}
	case KindSlice, KindSliceAdd, KindConcat:
		if !checkSliceConcat(vals, in) {
			return bad()
		}
	case KindTranspose:
		if len(in.Perm) != x.Shape.Dims() || out.Shape.Dims() != len(in.Perm) {
			return bad()
		}
		for i, a := range in.Perm {
			if a < 0 || a >= len(in.Perm) || out.Shape[i] != x.Shape[a] {
				return bad()
			}
		}
	}
	return nil
}

// checkConv verifies the geometry of the convolution kinds.
func checkConv(vals []Value, in Instr, bad func() error) error {
	a, b, o := vals[in.In[0]].Shape, vals[in.In[1]].Shape, vals[in.Out].Shape
	c := in.Conv
	if a.Dims() != 4 || b.Dims() != 4 || o.Dims() != 4 || c.Kernel < 1 || c.Stride < 1 || c.Pad < 0 {
		return bad()
	}
	var want tensor.Shape
	switch in.Kind {
	case KindConv2D: // x [N, C, H, W], w [OC, C, K, K]
		if b[1] != a[1] || b[2] != c.Kernel || b[3] != c.Kernel {
			return bad()
		}
		want = tensor.Shape{a[0], b[0], convOut(a[2], c), convOut(a[3], c)}
	case KindConvTranspose2D: // x [N, C, H, W], w [C, OC, K, K]
		if b[0] != a[1] || b[2] != c.Kernel || b[3] != c.Kernel ||
			c.OutPadH < 0 || c.OutPadH >= c.Stride || c.OutPadW < 0 || c.OutPadW >= c.Stride {
			return bad()
		}
		want = tensor.Shape{a[0], b[1], convTransposeOut(a[2], c, c.OutPadH), convTransposeOut(a[3], c, c.OutPadW)}
	case KindConvFilterGrad: // large [N, C, H, W], small [N, CS, OH, OW]
		if b[0] != a[0] || b[2] != convOut(a[2], c) || b[3] != convOut(a[3], c) {
			return bad()
		}
		want = tensor.Shape{b[1], a[1], c.Kernel, c.Kernel}
	}
	for i := range want {
		if want[i] < 1 || o[i] != want[i] {
			return bad()
		}
	}
	return nil
}

// Check verifies every instruction's operand shapes and types, that views
// have their storage's type, and the memory plan: every live buffer lies
// inside the arena, pinned buffers overlap no other buffer, temporaries
// share space only when their lifetimes are disjoint, and no instruction's
// output overlaps one of its inputs.
func (p *Program) Check() error {
	type span struct{ lo, hi, def, last int } // values [lo, hi), live at instructions [def, last]
	spans := map[int]span{}
	for i, v := range p.Values {
		if !v.Dead && v.View >= 0 && p.Values[p.root(i)].DType != v.DType {
			return fmt.Errorf("program: view %d is %v, its storage %d %v", i, v.DType, p.root(i), p.Values[p.root(i)].DType)
		}
		if v.Dead || v.View >= 0 {
			continue
		}
		if v.Offset < 0 || v.Offset+v.Size > p.ArenaSize {
			return fmt.Errorf("program: value %d [%d, %d) outside the arena of %d", i, v.Offset, v.Offset+v.Size, p.ArenaSize)
		}
		s := span{lo: v.Offset, hi: v.Offset + v.Size, def: -1, last: len(p.Instrs)}
		if !v.Pinned {
			s.def, s.last = len(p.Instrs), -1
		}
		spans[i] = s
	}
	for k, in := range p.Instrs {
		if err := checkInstr(p.Values, in); err != nil {
			return fmt.Errorf("program: %w", err)
		}
		o := spans[p.root(in.Out)]
		if !p.Values[p.root(in.Out)].Pinned {
			o.def = min(o.def, k)
			o.last = max(o.last, k)
		}
		spans[p.root(in.Out)] = o
		for _, v := range in.In {
			r := p.root(v)
			s := spans[r]
			if !p.Values[r].Pinned {
				s.last = max(s.last, k)
			}
			spans[r] = s
			if s.lo < o.hi && o.lo < s.hi {
				return fmt.Errorf("program: %v: output overlaps input %%%d", in, v)
			}
		}
	}
	for i, a := range spans {
		for j, b := range spans {
			if i >= j || a.hi <= b.lo || b.hi <= a.lo {
				continue
			}
			if p.Values[i].Pinned || p.Values[j].Pinned {
				return fmt.Errorf("program: pinned buffer of value %d or %d overlaps another", i, j)
			}
			if !(a.last < b.def || b.last < a.def) {
				return fmt.Errorf("program: values %d (live %d-%d) and %d (live %d-%d) share memory", i, a.def, a.last, j, b.def, b.last)
			}
		}
	}
	return nil
}
