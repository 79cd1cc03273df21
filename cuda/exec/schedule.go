package exec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-ml/vigil/cuda/program"
)

// Config tunes Compile.
type Config struct {
	// ScratchLimit bounds a convolution's column matrix, in float32
	// values: the batch is processed in chunks of as many images as fit
	// (at least one). 0 means no bound (one chunk).
	ScratchLimit int
}

// Step is one primitive call of a schedule.
type Step struct {
	Instr int    // index of the instruction in Program.Instrs
	Call  string // the primitive and its arguments, for inspection
	run   func(Backend) error
}

// Schedule is a program compiled into primitive calls over one arena: the
// program's memory plan followed by a scratch region.
type Schedule struct {
	P     *program.Program
	Steps []Step
	// ScratchOff is the scratch region's offset (Program.ArenaSize),
	// ScratchSize its length; ArenaSize = ScratchOff + ScratchSize.
	ScratchOff, ScratchSize, ArenaSize int
}

// String lists the steps.
func (s *Schedule) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "arena %d floats (scratch %d at %d), %d steps\n", s.ArenaSize, s.ScratchSize, s.ScratchOff, len(s.Steps))
	for _, st := range s.Steps {
		fmt.Fprintf(&b, "[%d] %s\n", st.Instr, st.Call)
	}
	return b.String()
}

// Run executes every step once on b, whose arena must hold ArenaSize
// values laid out by the plan.
func (s *Schedule) Run(b Backend) error {
	for _, st := range s.Steps {
		if err := st.run(b); err != nil {
			return fmt.Errorf("exec: %v: %s: %w", s.P.Instrs[st.Instr], st.Call, err)
		}
	}
	return nil
}

// compiler holds the state of Compile.
type compiler struct {
	p       *program.Program
	cfg     Config
	steps   []Step
	instr   int
	scratch int // scratch offset
	need    int // largest scratch use so far
}

// Compile turns p's instructions into a schedule.
func Compile(p *program.Program, cfg Config) (*Schedule, error) {
	c := &compiler{p: p, cfg: cfg, scratch: alignUp(p.ArenaSize)}
	for i, in := range p.Instrs {
		c.instr = i
		if err := c.compile(in); err != nil {
			return nil, fmt.Errorf("exec: compile %v: %w", in, err)
		}
	}
	return &Schedule{P: p, Steps: c.steps, ScratchOff: c.scratch, ScratchSize: c.need, ArenaSize: c.scratch + c.need}, nil
}

func alignUp(n int) int { return (n + program.Align - 1) / program.Align * program.Align }

// emit appends a step; args describe the call.
func (c *compiler) emit(name string, run func(Backend) error, args ...any) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprint(a)
	}
	c.steps = append(c.steps, Step{Instr: c.instr, Call: name + "(" + strings.Join(parts, ", ") + ")", run: run})
}

// buf returns value v's storage.
func (c *compiler) buf(v int) Buf {
	val := c.p.Values[v]
	return Buf{Off: val.Offset, Len: val.Size}
}

// scratchBufs carves consecutive aligned buffers of the given sizes from
// the scratch region and records the need.
func (c *compiler) scratchBufs(sizes ...int) []Buf {
	off := 0
	bufs := make([]Buf, len(sizes))
	for i, n := range sizes {
		bufs[i] = Buf{Off: c.scratch + off, Len: n}
		off += alignUp(n)
	}
	c.need = max(c.need, off)
	return bufs
}

var unaryKernels = map[program.Unary]string{
	program.Abs: "abs", program.Sign: "sign", program.Ceil: "ceil", program.Floor: "floor",
	program.Sin: "sin", program.Cos: "cos", program.Exp: "exp", program.Log: "log",
	program.Log2: "log2", program.Neg: "neg", program.Square: "square", program.Sqrt: "sqrt",
	program.Inv: "inv", program.InvSqrt: "inv_sqrt", program.Cube: "cube", program.Tanh: "tanh",
	program.Sigmoid: "sigmoid", program.Log1p: "log1p", program.Expm1: "expm1",
	program.Softplus: "softplus", program.ReLU: "relu",
}

var binaryKernels = map[program.Binary]string{
	program.Add: "add", program.Sub: "sub", program.Mul: "mul", program.Div: "div", program.Pow: "pow",
	program.Lt: "lt", program.Gt: "gt", program.Le: "le", program.Ge: "ge", program.Eq: "eq", program.Ne: "ne",
}

// nci splits [N, C, ...] into N, C and the product of the rest.
func nci(s []int) (n, ch, inner int) {
	inner = 1
	for _, d := range s[2:] {
		inner *= d
	}
	return s[0], s[1], inner
}

func (c *compiler) compile(in program.Instr) error {
	out := c.buf(in.Out)
	n := out.Len
	x := c.buf(in.In[0])
	switch in.Kind {
	case program.KindUnary:
		op, ok := unaryKernels[in.Unary]
		if !ok {
			return fmt.Errorf("no kernel for unary %v", in.Unary)
		}
		c.emit("unary", func(b Backend) error { return b.Unary(op, out, x, n) }, op, out, x, n)
	case program.KindBinary:
		return c.binary(in, out)
	case program.KindMatMul:
		c.matMul(in.MatMul, out, x, c.buf(in.In[1]))
	case program.KindBiasAct:
		bn, ch, inner := nci(c.p.Values[in.In[0]].Shape)
		bias, act := c.buf(in.In[1]), int(in.Act)
		c.emit("bias_act", func(b Backend) error { return b.BiasAct(out, x, bias, bn, ch, inner, act) }, out, x, bias, bn, ch, inner, act)
	case program.KindBiasGrad:
		bn, ch, inner := nci(c.p.Values[in.In[0]].Shape)
		c.emit("bias_act_backward", func(b Backend) error {
			return b.BiasActBackward(Buf{}, out, Buf{}, x, bn, ch, inner, ActLinear)
		}, Buf{}, out, Buf{}, x, bn, ch, inner, ActLinear)
	case program.KindActGrad:
		return c.actGrad(in.Act, out, x, c.buf(in.In[1]))
	case program.KindConv2D:
		return c.conv2D(in)
	case program.KindConvTranspose2D:
		return c.convTranspose2D(in)
	case program.KindConvFilterGrad:
		return c.convFilterGrad(in)
	case program.KindBCELogits:
		t, d := c.buf(in.In[1]), x.Len/n
		c.emit("bce_logits", func(b Backend) error { return b.BCELogits(out, x, t, n, d) }, out, x, t, n, d)
	case program.KindBCELogitsGrad:
		t, dy := c.buf(in.In[1]), c.buf(in.In[2])
		bn, d := dy.Len, n/dy.Len
		c.emit("bce_logits_grad", func(b Backend) error { return b.BCELogitsGrad(out, x, t, dy, bn, d) }, out, x, t, dy, bn, d)
	case program.KindSum, program.KindMax:
		return c.reduce(in.Kind == program.KindMax, c.p.Values[in.In[0]].Shape, in.Axes, out, x)
	case program.KindRepeat:
		r := in.Repeat
		c.emit("repeat", func(b Backend) error { return b.Repeat(out, x, r.Outer, r.Dim, r.Reps, r.Inner, 1) },
			out, x, r.Outer, r.Dim, r.Reps, r.Inner, 1)
	case program.KindTranspose:
		d, s, err := transposeStrides(c.p.Values[in.In[0]].Shape, in.Perm)
		if err != nil {
			return err
		}
		c.emit("strided_copy", func(b Backend) error { return b.StridedCopy(out, x, d, s) }, out, x, d, s)
	case program.KindSlice, program.KindSliceAdd, program.KindConcat:
		return c.sliceConcat(in)
	case program.KindGather, program.KindScatterAdd, program.KindSoftmaxXent, program.KindSoftmaxXentGrad,
		program.KindTargetProb, program.KindSegment, program.KindLSTMForward, program.KindLSTMBackward:
		return c.seq(in)
	default:
		return fmt.Errorf("unknown kind %v", in.Kind)
	}
	return nil
}

// binary lowers an elementwise binary op; a scalar operand is a constant
// argument when its value is known, else read with stride 0.
func (c *compiler) binary(in program.Instr, z Buf) error {
	op, ok := binaryKernels[in.Binary]
	if !ok {
		return fmt.Errorf("no kernel for binary %v", in.Binary)
	}
	x, y, n := c.buf(in.In[0]), c.buf(in.In[1]), z.Len
	if x.Len == n && y.Len == n {
		c.emit("binary", func(b Backend) error { return b.Binary(op, z, x, y, n) }, op, z, x, y, n)
		return nil
	}
	if x.Len != 1 && y.Len != 1 {
		return fmt.Errorf("operands of %d and %d values for %d", x.Len, y.Len, n)
	}
	if vy := c.p.Values[in.In[1]]; y.Len == 1 && vy.Role == program.Const {
		s := vy.Data[0]
		c.emit("binary_scalar", func(b Backend) error { return b.BinaryScalar(op, z, x, n, s) }, op, z, x, n, s)
		return nil
	}
	if vx := c.p.Values[in.In[0]]; x.Len == 1 && vx.Role == program.Const {
		s := vx.Data[0]
		c.emit("binary_rscalar", func(b Backend) error { return b.BinaryRScalar(op, z, y, n, s) }, op, z, y, n, s)
		return nil
	}
	d := [4]int{1, 1, 1, n}
	xs, ys := [4]int{0, 0, 0, min(x.Len-1, 1)}, [4]int{0, 0, 0, min(y.Len-1, 1)}
	c.emit("binary_bcast", func(b Backend) error { return b.BinaryBcast(op, z, x, y, d, xs, ys) }, op, z, x, y, d, xs, ys)
	return nil
}

// matMul lowers a (batched) product of packed row-major matrices.
func (c *compiler) matMul(m program.MatMul, out, a, bm Buf) {
	lda, ldb := m.K, m.N
	if m.TransA {
		lda = m.M
	}
	if m.TransB {
		ldb = m.K
	}
	if m.Batch == 1 {
		c.emit("gemm", func(b Backend) error {
			return b.Gemm(m.TransA, m.TransB, m.M, m.N, m.K, 1, a, lda, bm, ldb, 0, out, m.N)
		}, m.TransA, m.TransB, m.M, m.N, m.K, 1, a, lda, bm, ldb, 0, out, m.N)
		return
	}
	sa, sb, sc := m.M*m.K, m.K*m.N, m.M*m.N
	c.emit("gemm_strided_batched", func(b Backend) error {
		return b.GemmStridedBatched(m.TransA, m.TransB, m.M, m.N, m.K, 1, a, lda, sa, bm, ldb, sb, 0, out, m.N, sc, m.Batch)
	}, m.TransA, m.TransB, m.M, m.N, m.K, 1, a, lda, sa, bm, ldb, sb, 0, out, m.N, sc, m.Batch)
}

// actGrad lowers dx = dy·act'(x) through y = act(x) to a unary gradient
// kernel: relu's reads x, and y > 0 exactly where x > 0.
func (c *compiler) actGrad(a program.Act, dx, y, dy Buf) error {
	n := dx.Len
	switch a {
	case program.Linear:
		c.emit("copy", func(b Backend) error { return b.Copy(dx, dy, n) }, dx, dy, n)
	case program.ActReLU:
		c.emit("unary_grad", func(b Backend) error { return b.UnaryGrad("relu", dx, y, Buf{}, dy, n) }, "relu", dx, y, Buf{}, dy, n)
	case program.ActSigmoid, program.ActTanh:
		op := map[program.Act]string{program.ActSigmoid: "sigmoid", program.ActTanh: "tanh"}[a]
		c.emit("unary_grad", func(b Backend) error { return b.UnaryGrad(op, dx, Buf{}, y, dy, n) }, op, dx, Buf{}, y, dy, n)
	default:
		return fmt.Errorf("unknown activation %v", a)
	}
	return nil
}

// reduce lowers a sum or max over axes of shape xs: runs of adjacent
// reduced axes are reduced one run at a time, last run first, through
// scratch intermediates.
func (c *compiler) reduce(isMax bool, xs []int, axes []int, out, x Buf) error {
	shape := slices.Clone(xs)
	red := make([]bool, len(shape))
	if len(axes) == 0 {
		for a := range red {
			red[a] = true
		}
	}
	for _, a := range axes {
		if a < 0 || a >= len(shape) {
			return fmt.Errorf("axis %d of shape %v", a, xs)
		}
		red[a] = true
	}
	type run struct{ outer, length, inner int }
	var runs []run
	for hi := len(shape) - 1; hi >= 0; hi-- {
		if !red[hi] {
			continue
		}
		lo := hi
		for lo > 0 && red[lo-1] {
			lo--
		}
		r := run{1, 1, 1}
		for a, d := range shape {
			switch {
			case a < lo:
				r.outer *= d
			case a <= hi:
				r.length *= d
			default:
				r.inner *= d
			}
		}
		runs = append(runs, r)
		shape = slices.Delete(shape, lo, hi+1)
		red = slices.Delete(red, lo, hi+1)
		hi = lo
	}
	if len(runs) == 0 { // nothing reduced: a copy
		n := out.Len
		c.emit("copy", func(b Backend) error { return b.Copy(out, x, n) }, out, x, n)
		return nil
	}
	sizes := make([]int, len(runs)-1)
	for i, r := range runs[:len(runs)-1] {
		sizes[i] = r.outer * r.inner
	}
	tmp := c.scratchBufs(sizes...)
	src := x
	for i, r := range runs {
		dst := out
		if i < len(tmp) {
			dst = tmp[i]
		}
		if dst.Len != r.outer*r.inner {
			return fmt.Errorf("reduction of %v over %v gives %d values, want %d", xs, axes, r.outer*r.inner, dst.Len)
		}
		in := src
		if isMax {
			c.emit("max_axis", func(b Backend) error { return b.MaxAxis(dst, in, r.outer, r.length, r.inner) }, dst, in, r.outer, r.length, r.inner)
		} else {
			c.emit("sum_axis", func(b Backend) error { return b.SumAxis(dst, in, r.outer, r.length, r.inner, 1) }, dst, in, r.outer, r.length, r.inner, 1)
		}
		src = dst
	}
	return nil
}

// transposeStrides returns the rank-4 StridedCopy dimensions and strides
// of numpy's transpose of shape xs by perm: output axis k reads input
// axis perm[k]; adjacent output axes contiguous in the input are merged
// and axes of length 1 dropped.
func transposeStrides(xs []int, perm []int) (d, s [4]int, err error) {
	if len(perm) != len(xs) {
		return d, s, fmt.Errorf("permutation %v of shape %v", perm, xs)
	}
	in := make([]int, len(xs))
	st := 1
	for a := len(xs) - 1; a >= 0; a-- {
		in[a] = st
		st *= xs[a]
	}
	var dims, strides []int
	for _, a := range perm {
		if a < 0 || a >= len(xs) {
			return d, s, fmt.Errorf("permutation %v of shape %v", perm, xs)
		}
		if xs[a] == 1 {
			continue
		}
		if k := len(dims) - 1; k >= 0 && strides[k] == in[a]*xs[a] {
			dims[k] *= xs[a]
			strides[k] = in[a]
			continue
		}
		dims, strides = append(dims, xs[a]), append(strides, in[a])
	}
	if len(dims) > 4 {
		return d, s, fmt.Errorf("transpose of %v by %v needs rank %d, above 4", xs, perm, len(dims))
	}
	d = [4]int{1, 1, 1, 1}
	off := 4 - len(dims)
	copy(d[off:], dims)
	copy(s[off:], strides)
	return d, s, nil
}
