//go:build gpu

package device

import (
	"fmt"
	"math"
	"testing"

	"github.com/vigil-ml/vigil/cuda/kernels"
)

// unaryRef is a unary op's domain, value and derivative (in float64).
type unaryRef struct {
	lo, hi float64
	signed bool // also negate half of the inputs (keeps |x| in [lo, hi))
	f      func(x float64) float64
	df     func(x float64) float64
}

var unaryRefs = map[string]unaryRef{
	"relu":     {-2, 2, false, func(x float64) float64 { return math.Max(x, 0) }, func(x float64) float64 { return b2f(x > 0) }},
	"sigmoid":  {-6, 6, false, sigmoid, func(x float64) float64 { s := sigmoid(x); return s * (1 - s) }},
	"tanh":     {-3, 3, false, math.Tanh, func(x float64) float64 { t := math.Tanh(x); return 1 - t*t }},
	"exp":      {-3, 3, false, math.Exp, math.Exp},
	"log":      {0.1, 4, false, math.Log, func(x float64) float64 { return 1 / x }},
	"log1p":    {-0.5, 3, false, math.Log1p, func(x float64) float64 { return 1 / (1 + x) }},
	"neg":      {-2, 2, false, func(x float64) float64 { return -x }, func(float64) float64 { return -1 }},
	"square":   {-2, 2, false, func(x float64) float64 { return x * x }, func(x float64) float64 { return 2 * x }},
	"sqrt":     {0.1, 4, false, math.Sqrt, func(x float64) float64 { return 0.5 / math.Sqrt(x) }},
	"abs":      {-2, 2, false, math.Abs, func(x float64) float64 { return sign(x) }},
	"softplus": {-8, 8, false, softplus, sigmoid},
	"inv":      {0.5, 2, true, func(x float64) float64 { return 1 / x }, func(x float64) float64 { return -1 / (x * x) }},
	"sign":     {-2, 2, false, sign, func(float64) float64 { return 0 }},
	"ceil":     {-3, 3, false, math.Ceil, func(float64) float64 { return 0 }},
	"floor":    {-3, 3, false, math.Floor, func(float64) float64 { return 0 }},
	"sin":      {-3, 3, false, math.Sin, math.Cos},
	"cos":      {-3, 3, false, math.Cos, func(x float64) float64 { return -math.Sin(x) }},
	"log2":     {0.1, 4, false, math.Log2, func(x float64) float64 { return 1 / (x * math.Ln2) }},
	"inv_sqrt": {0.1, 4, false, func(x float64) float64 { return 1 / math.Sqrt(x) }, func(x float64) float64 { return -0.5 * math.Pow(x, -1.5) }},
	"cube":     {-2, 2, false, func(x float64) float64 { return x * x * x }, func(x float64) float64 { return 3 * x * x }},
	"expm1":    {-2, 2, false, math.Expm1, math.Exp},
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x
}

func TestUnary(t *testing.T) {
	e := newEnv(t)
	const n = 1000
	for _, op := range UnaryOps {
		ref, ok := unaryRefs[op]
		if !ok {
			t.Errorf("%s: no reference", op)
			continue
		}
		x := e.uniform(n, ref.lo, ref.hi)
		if ref.signed {
			for i := 0; i < n; i += 2 {
				x[i] = -x[i]
			}
		}
		if op == "relu" || op == "abs" || op == "sign" {
			x[0], x[1] = 0, float32(math.Copysign(0, -1))
		}
		dy := e.uniform(n, -1, 1)
		y, dx := make([]float32, n), make([]float32, n)
		for i, v := range x {
			y[i] = float32(ref.f(f64(v)))
			dx[i] = float32(ref.df(f64(v)) * f64(dy[i]))
		}
		bx, bdy := e.up(x), e.up(dy)
		by := e.alloc(n)
		e.must(e.s.Unary(op, by, bx))
		e.compare(op, e.down(by), y, relTol)
		// The gradient reads the reference output, so that errors of the
		// forward pass do not add up.
		bdx := e.alloc(n)
		e.must(e.s.UnaryGrad(op, bdx, bx, e.up(y), bdy))
		e.compare(op+"_grad", e.down(bdx), dx, relTol)
		// In place.
		e.must(e.s.Unary(op, bx, bx))
		e.compare(op+" in place", e.down(bx), y, relTol)
	}
}

// binaryRef is the float64 value of a binary op.
var binaryRef = map[string]func(a, b float64) float64{
	"add": func(a, b float64) float64 { return a + b },
	"sub": func(a, b float64) float64 { return a - b },
	"mul": func(a, b float64) float64 { return a * b },
	"div": func(a, b float64) float64 { return a / b },
	"pow": math.Pow,
	"max": math.Max,
	"min": math.Min,
	"gt":  func(a, b float64) float64 { return b2f(a > b) },
	"lt":  func(a, b float64) float64 { return b2f(a < b) },
	"ge":  func(a, b float64) float64 { return b2f(a >= b) },
	"le":  func(a, b float64) float64 { return b2f(a <= b) },
	"eq":  func(a, b float64) float64 { return b2f(a == b) },
	"ne":  func(a, b float64) float64 { return b2f(a != b) },
}

// binaryOperands returns operands in the op's domain: positive bases for
// pow, divisors away from 0, and some exact ties for comparisons.
func (e *env) binaryOperands(op string, n int) (x, y []float32) {
	switch op {
	case "pow":
		return e.uniform(n, 0.5, 2), e.uniform(n, -2, 2)
	case "div":
		y = e.uniform(n, 0.5, 2)
		for i := 0; i < n; i += 3 {
			y[i] = -y[i]
		}
		return e.uniform(n, -2, 2), y
	}
	x, y = e.uniform(n, -2, 2), e.uniform(n, -2, 2)
	for i := 0; i < n; i += 4 {
		y[i] = x[i]
	}
	return x, y
}

func TestBinary(t *testing.T) {
	e := newEnv(t)
	const n = 777
	for _, op := range BinaryOps {
		f := binaryRef[op]
		if f == nil {
			t.Errorf("%s: no reference", op)
			continue
		}
		x, y := e.binaryOperands(op, n)
		bx, by := e.up(x), e.up(y)
		want := make([]float32, n)
		for i := range want {
			want[i] = float32(f(f64(x[i]), f64(y[i])))
		}
		bz := e.alloc(n)
		e.must(e.s.Binary(op, bz, bx, by))
		e.compare(op, e.down(bz), want, relTol)

		c := y[5]
		for i := range want {
			want[i] = float32(f(f64(x[i]), f64(c)))
		}
		e.must(e.s.BinaryScalar(op, bz, bx, c, false))
		e.compare(op+"_scalar", e.down(bz), want, relTol)
		if op == "pow" {
			c = 1.5 // a positive base
		}
		for i := range want {
			want[i] = float32(f(f64(c), f64(x[i])))
		}
		e.must(e.s.BinaryScalar(op, bz, bx, c, true))
		e.compare(op+"_rscalar", e.down(bz), want, relTol)
	}
}

func TestBinaryBcast(t *testing.T) {
	e := newEnv(t)
	// z [2, 3, 4, 5] = op(x [2, 3, 4, 5], y [3, 1, 5]) and the mirror image
	// with a transposed x read through strides.
	shape := [4]int{2, 3, 4, 5}
	n := 2 * 3 * 4 * 5
	for _, op := range BinaryOps {
		f := binaryRef[op]
		xs, ys := e.binaryOperands(op, n)
		x, y := xs, ys[:15]
		bx, by := e.up(x), e.up(y)
		want := make([]float32, n)
		for i0 := range 2 {
			for i1 := range 3 {
				for i2 := range 4 {
					for i3 := range 5 {
						i := ((i0*3+i1)*4+i2)*5 + i3
						want[i] = float32(f(f64(x[i]), f64(y[i1*5+i3])))
					}
				}
			}
		}
		bz := e.alloc(n)
		e.must(e.s.BinaryBcast(op, bz, bx, by, shape, [4]int{60, 20, 5, 1}, [4]int{0, 5, 0, 1}))
		e.compare(op+"_bcast", e.down(bz), want, relTol)

		// y broadcast on the left; x stored as [5, 4, 3, 2] and read
		// transposed (strides of axes 0..3 of z: 1, 2, 6, 24).
		xt := make([]float32, n)
		for i0 := range 2 {
			for i1 := range 3 {
				for i2 := range 4 {
					for i3 := range 5 {
						xt[((i3*4+i2)*3+i1)*2+i0] = x[((i0*3+i1)*4+i2)*5+i3]
					}
				}
			}
		}
		for i0 := range 2 {
			for i1 := range 3 {
				for i2 := range 4 {
					for i3 := range 5 {
						i := ((i0*3+i1)*4+i2)*5 + i3
						want[i] = float32(f(f64(y[i1*5+i3]), f64(x[i])))
					}
				}
			}
		}
		e.must(e.s.BinaryBcast(op, bz, by, e.up(xt), shape, [4]int{0, 5, 0, 1}, [4]int{1, 2, 6, 24}))
		e.compare(op+"_bcast transposed", e.down(bz), want, relTol)
	}
}

func TestFillCopyAxpy(t *testing.T) {
	e := newEnv(t)
	const n = 1234
	b := e.alloc(n)
	e.must(e.s.Fill(b, 2.5))
	want := make([]float32, n)
	for i := range want {
		want[i] = 2.5
	}
	e.compare("fill", e.down(b), want, 0)
	x := e.uniform(n, -1, 1)
	bx := e.up(x)
	e.must(e.s.Copy(b, bx))
	e.compare("copy", e.down(b), x, 0)
	y := e.uniform(n, -1, 1)
	by := e.up(y)
	for i := range want {
		want[i] = y[i] + 0.75*x[i]
	}
	e.must(e.s.Axpy(by, bx, 0.75))
	e.compare("axpy", e.down(by), want, relTol)
	e.must(Zero(e.s, b))
	e.compare("zero", e.down(b), make([]float32, n), 0)
	c := e.alloc(n)
	e.must(CopyBuffer(e.s, c, bx))
	e.compare("CopyBuffer", e.down(c), x, 0)
}

func actRef(act int, z float64) float64 {
	switch act {
	case ActReLU:
		return math.Max(z, 0)
	case ActSigmoid:
		return sigmoid(z)
	case ActTanh:
		return math.Tanh(z)
	}
	return z
}

func actGradRef(act int, y, dy float64) float64 {
	switch act {
	case ActReLU:
		return dy * b2f(y > 0)
	case ActSigmoid:
		return dy * y * (1 - y)
	case ActTanh:
		return dy * (1 - y*y)
	}
	return dy
}

func TestBiasAct(t *testing.T) {
	e := newEnv(t)
	for _, sh := range [][3]int{{3, 5, 7}, {6, 10, 1}, {2, 3, 300}, {64, 33, 1}} {
		n, c, inner := sh[0], sh[1], sh[2]
		total := n * c * inner
		for act := ActLinear; act <= ActTanh; act++ {
			what := fmt.Sprintf("%v act %d", sh, act)
			x, b, dy := e.uniform(total, -2, 2), e.uniform(c, -1, 1), e.uniform(total, -1, 1)
			y, dz, db := make([]float32, total), make([]float32, total), make([]float32, c)
			dbSum := make([]float64, c)
			for i := range x {
				ch := (i / inner) % c
				y[i] = float32(actRef(act, f64(x[i])+f64(b[ch])))
				dz[i] = float32(actGradRef(act, f64(y[i]), f64(dy[i])))
				dbSum[ch] += f64(dz[i])
			}
			for i, v := range dbSum {
				db[i] = float32(v)
			}
			by := e.alloc(total)
			e.must(e.s.BiasAct(by, e.up(x), e.up(b), n, c, inner, act))
			e.compare("bias_act "+what, e.down(by), y, relTol)
			bdz, bdb := e.alloc(total), e.alloc(c)
			byRef := e.up(y)
			e.must(e.s.BiasActBackward(bdz, bdb, byRef, e.up(dy), n, c, inner, act))
			e.compare("bias_act_backward dz "+what, e.down(bdz), dz, relTol)
			e.compare("bias_act_backward db "+what, e.down(bdb), db, 1e-4)
			// db only.
			bdb2 := e.alloc(c)
			e.must(e.s.BiasActBackward(Buffer{}, bdb2, byRef, e.up(dy), n, c, inner, act))
			e.compare("bias_act_backward db only "+what, e.down(bdb2), db, 1e-4)
		}
	}
}

func TestReduce(t *testing.T) {
	e := newEnv(t)
	shape := []int{3, 40, 5}
	total := 3 * 40 * 5
	x := e.uniform(total, 0.5, 1.5) // positive: no cancellation in the sums
	x[17] = -3
	bx := e.up(x)
	for axis := range shape {
		outer, length, inner := 1, shape[axis], 1
		for _, d := range shape[:axis] {
			outer *= d
		}
		for _, d := range shape[axis+1:] {
			inner *= d
		}
		sum, mx := make([]float32, outer*inner), make([]float32, outer*inner)
		for o := range outer {
			for k := range inner {
				s, m := 0.0, math.Inf(-1)
				for l := range length {
					v := f64(x[(o*length+l)*inner+k])
					s += v
					m = math.Max(m, v)
				}
				sum[o*inner+k], mx[o*inner+k] = float32(s/float64(length)), float32(m)
			}
		}
		by := e.alloc(outer * inner)
		e.must(e.s.SumAxis(by, bx, outer, length, inner, 1/float32(length)))
		e.compare(fmt.Sprintf("mean axis %d", axis), e.down(by), sum, relTol)
		e.must(e.s.MaxAxis(by, bx, outer, length, inner))
		e.compare(fmt.Sprintf("max axis %d", axis), e.down(by), mx, 0)
	}
	// Whole tensors, one block and two passes.
	big := e.uniform(100000, 0.5, 1.5)
	var s float64
	for _, v := range big {
		s += f64(v)
	}
	bbig := e.up(big)
	by := e.alloc(1)
	e.must(e.s.SumAll(by, bbig, 1, Buffer{}))
	e.compare("sum all, one block", e.down(by), []float32{float32(s)}, relTol)
	scratch := e.alloc(1024)
	e.must(e.s.SumAll(by, bbig, 0.5, scratch))
	e.compare("sum all, two passes", e.down(by), []float32{float32(s / 2)}, relTol)
}

func TestRepeat(t *testing.T) {
	e := newEnv(t)
	outer, d, r, inner := 2, 3, 4, 5
	x := e.uniform(outer*d*inner, -1, 1)
	want := make([]float32, outer*d*r*inner)
	for o := range outer {
		for j := range d {
			for q := range r {
				for k := range inner {
					want[((o*d+j)*r+q)*inner+k] = 2 * x[(o*d+j)*inner+k]
				}
			}
		}
	}
	by := e.alloc(len(want))
	e.must(e.s.Repeat(by, e.up(x), outer, d, r, inner, 2))
	e.compare("repeat", e.down(by), want, 0)
}

func TestTranspose(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ shape, perm []int }{
		{[]int{2, 3, 4, 5}, []int{0, 2, 3, 1}},
		{[]int{2, 3, 4, 5}, []int{3, 1, 0, 2}},
		{[]int{7, 9}, []int{1, 0}},
		{[]int{4, 6, 8}, []int{2, 0, 1}},
	}
	for _, c := range cases {
		n := 1
		for _, d := range c.shape {
			n *= d
		}
		x := e.uniform(n, -1, 1)
		want := refTranspose(c.shape, c.perm, x)
		by := e.alloc(n)
		e.must(e.s.Transpose(by, e.up(x), c.shape, c.perm))
		e.compare(fmt.Sprintf("transpose %v %v", c.shape, c.perm), e.down(by), want, 0)
	}
	// A strided slice x[1:3, 0:6:2] of [4, 6] and its increment.
	x := e.uniform(24, -1, 1)
	bx := e.up(x)
	by := e.alloc(6)
	shape, strides := [4]int{1, 1, 2, 3}, [4]int{0, 0, 6, 2}
	e.must(e.s.StridedCopy(by, bx.Slice(6, 18), shape, strides))
	want := []float32{x[6], x[8], x[10], x[12], x[14], x[16]}
	e.compare("strided slice", e.down(by), want, 0)
	g := e.uniform(6, -1, 1)
	acc := e.uniform(24, -1, 1)
	bacc := e.up(acc)
	e.must(e.s.StridedAdd(bacc.Slice(6, 18), e.up(g), shape, strides))
	for i, at := range []int{6, 8, 10, 12, 14, 16} {
		acc[at] += g[i]
	}
	e.compare("strided add", e.down(bacc), acc, relTol)
}

// refTranspose is numpy's transpose of x (contiguous, shape) by perm.
func refTranspose(shape, perm []int, x []float32) []float32 {
	rank := len(shape)
	strides := make([]int, rank)
	s := 1
	for a := rank - 1; a >= 0; a-- {
		strides[a] = s
		s *= shape[a]
	}
	out := make([]float32, len(x))
	idx := make([]int, rank) // output multi-index
	for i := range out {
		src := 0
		for k, a := range perm {
			src += idx[k] * strides[a]
		}
		out[i] = x[src]
		for k := rank - 1; k >= 0; k-- {
			if idx[k]++; idx[k] < shape[perm[k]] {
				break
			}
			idx[k] = 0
		}
	}
	return out
}

func TestSliceConcat(t *testing.T) {
	e := newEnv(t)
	outer, length, inner := 3, 10, 4
	start, count, step := 1, 4, 2
	x := e.uniform(outer*length*inner, -1, 1)
	want := make([]float32, outer*count*inner)
	for o := range outer {
		for j := range count {
			for k := range inner {
				want[(o*count+j)*inner+k] = x[(o*length+start+j*step)*inner+k]
			}
		}
	}
	by := e.alloc(len(want))
	e.must(e.s.SliceAxis(by, e.up(x), outer, length, inner, start, count, step))
	e.compare("slice", e.down(by), want, 0)

	dy := e.uniform(len(want), -1, 1)
	dx := e.uniform(len(x), -1, 1)
	bdx := e.up(dx)
	e.must(e.s.SliceAxisAdd(bdx, e.up(dy), outer, length, inner, start, count, step))
	for o := range outer {
		for j := range count {
			for k := range inner {
				dx[(o*length+start+j*step)*inner+k] += dy[(o*count+j)*inner+k]
			}
		}
	}
	e.compare("slice add", e.down(bdx), dx, relTol)

	// Concatenate [3, 2, 4] and [3, 5, 4] along axis 1.
	a, b := e.uniform(3*2*4, -1, 1), e.uniform(3*5*4, -1, 1)
	cat := make([]float32, 0, 3*7*4)
	for o := range 3 {
		cat = append(cat, a[o*8:(o+1)*8]...)
		cat = append(cat, b[o*20:(o+1)*20]...)
	}
	bc := e.alloc(len(cat))
	e.must(e.s.ConcatAxis(bc, e.up(a), 3, 7, 2, 4, 0))
	e.must(e.s.ConcatAxis(bc, e.up(b), 3, 7, 5, 4, 2))
	e.compare("concat", e.down(bc), cat, 0)
}

func TestGatherScatter(t *testing.T) {
	e := newEnv(t)
	outer, length, inner := 2, 10, 6
	x := e.uniform(outer*length*inner, -1, 1)
	idx := []int32{3, 0, 9, 3, -1, 10, 3}
	n := len(idx)
	want := make([]float32, outer*n*inner)
	for o := range outer {
		for i, r := range idx {
			for k := range inner {
				if r >= 0 && int(r) < length {
					want[(o*n+i)*inner+k] = x[(o*length+int(r))*inner+k]
				}
			}
		}
	}
	bidx := e.upInt(idx)
	by := e.alloc(len(want))
	e.must(e.s.Gather(by, e.up(x), bidx, outer, length, inner))
	e.compare("gather", e.down(by), want, 0)

	dy := e.uniform(len(want), -1, 1)
	dx := e.uniform(len(x), -1, 1)
	sum := make([]float64, len(dx))
	for i, v := range dx {
		sum[i] = f64(v)
	}
	for o := range outer {
		for i, r := range idx {
			for k := range inner {
				if r >= 0 && int(r) < length {
					sum[(o*length+int(r))*inner+k] += f64(dy[(o*n+i)*inner+k])
				}
			}
		}
	}
	bdx := e.up(dx)
	e.must(e.s.ScatterAdd(bdx, e.up(dy), bidx, outer, length, inner))
	for i, v := range sum {
		dx[i] = float32(v)
	}
	e.compare("scatter add", e.down(bdx), dx, relTol)
}

func TestSoftmax(t *testing.T) {
	e := newEnv(t)
	for _, sh := range [][2]int{{7, 50}, {5, 3}, {3, 1000}} {
		rows, cols := sh[0], sh[1]
		x, dy := e.uniform(rows*cols, -5, 5), e.uniform(rows*cols, -1, 1)
		sm, lsm := make([]float32, len(x)), make([]float32, len(x))
		dsm, dlsm := make([]float32, len(x)), make([]float32, len(x))
		for r := range rows {
			row := x[r*cols : (r+1)*cols]
			m := math.Inf(-1)
			for _, v := range row {
				m = math.Max(m, f64(v))
			}
			var s float64
			for _, v := range row {
				s += math.Exp(f64(v) - m)
			}
			var dot, dsum float64
			for j, v := range row {
				p := math.Exp(f64(v)-m) / s
				sm[r*cols+j] = float32(p)
				lsm[r*cols+j] = float32(f64(v) - m - math.Log(s))
				dot += f64(dy[r*cols+j]) * p
				dsum += f64(dy[r*cols+j])
			}
			for j, v := range row {
				p := math.Exp(f64(v)-m) / s
				dsm[r*cols+j] = float32(p * (f64(dy[r*cols+j]) - dot))
				dlsm[r*cols+j] = float32(f64(dy[r*cols+j]) - p*dsum)
			}
		}
		what := fmt.Sprint(sh)
		bx, bdy := e.up(x), e.up(dy)
		by := e.alloc(len(x))
		e.must(e.s.Softmax(by, bx, rows, cols))
		e.compare("softmax "+what, e.down(by), sm, relTol)
		bdx := e.alloc(len(x))
		e.must(e.s.SoftmaxGrad(bdx, e.up(sm), bdy, rows, cols))
		e.compare("softmax_grad "+what, e.down(bdx), dsm, relTol)
		e.must(e.s.LogSoftmax(by, bx, rows, cols))
		e.compare("log_softmax "+what, e.down(by), lsm, relTol)
		e.must(e.s.LogSoftmaxGrad(bdx, e.up(lsm), bdy, rows, cols))
		e.compare("log_softmax_grad "+what, e.down(bdx), dlsm, relTol)
	}
}

func TestDropout(t *testing.T) {
	e := newEnv(t)
	const n = 999
	keep := float32(0.7)
	scale := float32(1 / 0.7)
	u, x := e.uniform(n, 0, 1), e.uniform(n, -1, 1)
	mask, y := make([]float32, n), make([]float32, n)
	for i := range u {
		if u[i] < keep {
			mask[i] = scale
		}
		y[i] = x[i] * mask[i]
	}
	bm := e.alloc(n)
	e.must(e.s.DropoutMask(bm, e.up(u), keep, scale))
	e.compare("dropout_mask", e.down(bm), mask, 0)
	by := e.alloc(n)
	e.must(e.s.Dropout(by, e.up(x), bm))
	e.compare("dropout", e.down(by), y, 0)
}

func TestBernoulliMask(t *testing.T) {
	e := newEnv(t)
	const n = 100003
	thr := kernels.MaskThreshold(0.7)
	scale := float32(1 / 0.7)
	want := make([]float32, n)
	for i := range want {
		want[i] = kernels.MaskValue(0xfeedface12345678, i, thr, scale)
	}
	b := e.alloc(n)
	e.must(e.s.BernoulliMask(b, 0xfeedface12345678, thr, scale))
	e.compare("bernoulli_mask", e.down(b), want, 0)
}

func TestBCELogits(t *testing.T) {
	e := newEnv(t)
	n, d := 5, 37
	l, tg, dy := e.uniform(n*d, -8, 8), e.uniform(n*d, 0, 1), e.uniform(n, -1, 1)
	for i := 0; i < len(tg); i += 3 {
		tg[i] = float32(i / 3 % 2) // some hard 0/1 targets
	}
	out, dx := make([]float32, n), make([]float32, n*d)
	for ex := range n {
		var s float64
		for i := ex * d; i < (ex+1)*d; i++ {
			s += softplus(f64(l[i])) - f64(tg[i])*f64(l[i])
			dx[i] = float32((sigmoid(f64(l[i])) - f64(tg[i])) * f64(dy[ex]) / float64(d))
		}
		out[ex] = float32(s / float64(d))
	}
	bl, bt := e.up(l), e.up(tg)
	bo := e.alloc(n)
	e.must(e.s.BCELogits(bo, bl, bt, n, d))
	e.compare("bce_logits", e.down(bo), out, relTol)
	bdx := e.alloc(n * d)
	e.must(e.s.BCELogitsGrad(bdx, bl, bt, e.up(dy), n, d))
	e.compare("bce_logits_grad", e.down(bdx), dx, relTol)
}

func TestOptimizers(t *testing.T) {
	e := newEnv(t)
	const n = 500
	p0 := e.uniform(n, -1, 1)
	lr, b1, b2, eps := 1e-3, 0.9, 0.999, 1e-7

	// Adam, three steps, as trainers.Adam.
	p, m, v := append([]float32(nil), p0...), make([]float32, n), make([]float32, n)
	bp, bm, bv := e.up(p), e.up(m), e.up(v)
	for step := 1; step <= 3; step++ {
		g := e.uniform(n, -1, 1)
		lrT := AdamLR(lr, b1, b2, step)
		for j, gj := range g {
			gd := f64(gj)
			mj := b1*f64(m[j]) + (1-b1)*gd
			vj := b2*f64(v[j]) + (1-b2)*gd*gd
			m[j], v[j] = float32(mj), float32(vj)
			p[j] = float32(f64(p[j]) - lrT*mj/(math.Sqrt(vj)+eps))
		}
		e.must(e.s.Adam(bp, bm, bv, e.up(g), lrT, b1, b2, eps))
	}
	e.compare("adam p", e.down(bp), p, 1e-6)
	e.compare("adam m", e.down(bm), m, 1e-6)
	e.compare("adam v", e.down(bv), v, 1e-6)

	// SGD, plain and with (Nesterov) momentum, as trainers.SGD.
	g := e.uniform(n, -1, 1)
	p = append([]float32(nil), p0...)
	bp = e.up(p)
	for j := range p {
		p[j] = float32(f64(p[j]) - 0.01*f64(g[j]))
	}
	bg := e.up(g)
	e.must(e.s.SGD(bp, bg, 0.01))
	e.compare("sgd", e.down(bp), p, 1e-6)
	for _, nesterov := range []bool{false, true} {
		p = append([]float32(nil), p0...)
		u := e.uniform(n, -0.1, 0.1)
		bp, bu := e.up(p), e.up(u)
		mu := 0.9
		for j, gj := range g {
			uj := mu*f64(u[j]) - 0.01*f64(gj)
			u[j] = float32(uj)
			if nesterov {
				p[j] = float32(f64(p[j]) + mu*uj - 0.01*f64(gj))
			} else {
				p[j] = float32(f64(p[j]) + uj)
			}
		}
		e.must(e.s.SGDMomentum(bp, bu, bg, 0.01, mu, nesterov))
		e.compare(fmt.Sprintf("sgd momentum nesterov=%v p", nesterov), e.down(bp), p, 1e-6)
		e.compare(fmt.Sprintf("sgd momentum nesterov=%v u", nesterov), e.down(bu), u, 1e-6)
	}
}

func TestNonFinite(t *testing.T) {
	e := newEnv(t)
	x := e.uniform(3000, -1, 1)
	for _, c := range []struct {
		name string
		at   int
		v    float32
		want float32
	}{
		{"finite", -1, 0, 0},
		{"nan", 2999, float32(math.NaN()), 1},
		{"+inf", 0, float32(math.Inf(1)), 1},
		{"-inf", 1234, float32(math.Inf(-1)), 1},
		{"max float", 17, math.MaxFloat32, 0},
	} {
		y := append([]float32(nil), x...)
		if c.at >= 0 {
			y[c.at] = c.v
		}
		flag := e.up([]float32{0})
		e.must(e.s.NonFinite(flag, e.up(y)))
		if got := e.down(flag)[0]; got != c.want {
			t.Errorf("%s: flag %v, want %v", c.name, got, c.want)
		}
	}
}

// refIm2Col returns the patch matrix of x in either layout.
func refIm2Col(g ConvGeom, x []float32, transposed bool) []float32 {
	oh, ow := g.OH(), g.OW()
	dh, dw := g.dil()
	ckk := g.C * g.KH * g.KW
	col := make([]float32, g.ColLen())
	for e := range g.N {
		for ch := range g.C {
			for ky := range g.KH {
				for kx := range g.KW {
					row := (ch*g.KH+ky)*g.KW + kx
					for oy := range oh {
						for ox := range ow {
							yy, xx := oy*g.SH-g.PH+ky*dh, ox*g.SW-g.PW+kx*dw
							var v float32
							if yy >= 0 && yy < g.H && xx >= 0 && xx < g.W {
								v = x[((e*g.C+ch)*g.H+yy)*g.W+xx]
							}
							pos := oy*ow + ox
							if transposed {
								col[(e*oh*ow+pos)*ckk+row] = v
							} else {
								col[(e*ckk+row)*oh*ow+pos] = v
							}
						}
					}
				}
			}
		}
	}
	return col
}

// refCol2Im is the adjoint of refIm2Col (scatter-add, in float64).
func refCol2Im(g ConvGeom, col []float32, transposed bool) []float32 {
	oh, ow := g.OH(), g.OW()
	dh, dw := g.dil()
	ckk := g.C * g.KH * g.KW
	acc := make([]float64, g.N*g.C*g.H*g.W)
	for e := range g.N {
		for ch := range g.C {
			for ky := range g.KH {
				for kx := range g.KW {
					row := (ch*g.KH+ky)*g.KW + kx
					for oy := range oh {
						for ox := range ow {
							yy, xx := oy*g.SH-g.PH+ky*dh, ox*g.SW-g.PW+kx*dw
							if yy < 0 || yy >= g.H || xx < 0 || xx >= g.W {
								continue
							}
							pos := oy*ow + ox
							v := col[(e*ckk+row)*oh*ow+pos]
							if transposed {
								v = col[(e*oh*ow+pos)*ckk+row]
							}
							acc[((e*g.C+ch)*g.H+yy)*g.W+xx] += f64(v)
						}
					}
				}
			}
		}
	}
	out := make([]float32, len(acc))
	for i, v := range acc {
		out[i] = float32(v)
	}
	return out
}

func TestIm2Col(t *testing.T) {
	e := newEnv(t)
	geoms := []ConvGeom{
		{N: 2, C: 3, H: 7, W: 6, KH: 3, KW: 2, SH: 2, SW: 1, PH: 1, PW: 0, DH: 1, DW: 2},
		{N: 1, C: 2, H: 5, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},
		{N: 2, C: 4, H: 8, W: 8, KH: 4, KW: 4, SH: 2, SW: 2, PH: 1, PW: 1},
	}
	for _, g := range geoms {
		x := e.uniform(g.N*g.C*g.H*g.W, -1, 1)
		bx := e.up(x)
		for _, tr := range []bool{false, true} {
			what := fmt.Sprintf("%+v transposed=%v", g, tr)
			bcol := e.alloc(g.ColLen())
			e.must(e.s.Im2Col(bcol, bx, g, tr))
			e.compare("im2col "+what, e.down(bcol), refIm2Col(g, x, tr), 0)
			col := e.uniform(g.ColLen(), -1, 1)
			bim := e.alloc(len(x))
			e.must(e.s.Col2Im(bim, e.up(col), g, tr))
			e.compare("col2im "+what, e.down(bim), refCol2Im(g, col, tr), relTol)
		}
	}
}

func TestUpsample(t *testing.T) {
	e := newEnv(t)
	nc, h, w, sh, sw := 6, 3, 4, 2, 3
	x := e.uniform(nc*h*w, -1, 1)
	H, W := h*sh, w*sw
	y := make([]float32, nc*H*W)
	for q := range nc {
		for yy := range H {
			for xx := range W {
				y[(q*H+yy)*W+xx] = x[(q*h+yy/sh)*w+xx/sw]
			}
		}
	}
	by := e.alloc(len(y))
	e.must(e.s.Upsample2D(by, e.up(x), nc, h, w, sh, sw))
	e.compare("upsample2d", e.down(by), y, 0)
	dy := e.uniform(len(y), -1, 1)
	dx := make([]float32, len(x))
	for q := range nc {
		for i := range h {
			for j := range w {
				var s float64
				for a := range sh {
					for b := range sw {
						s += f64(dy[(q*H+i*sh+a)*W+j*sw+b])
					}
				}
				dx[(q*h+i)*w+j] = float32(s)
			}
		}
	}
	bdx := e.alloc(len(x))
	e.must(e.s.Upsample2DGrad(bdx, e.up(dy), nc, h, w, sh, sw))
	e.compare("upsample2d_grad", e.down(bdx), dx, relTol)
}
