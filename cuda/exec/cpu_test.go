package exec

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/cuda/program"
	"gorgonia.org/tensor"
)

// arena is a CPUBackend test fixture that places buffers one after another.
type arena struct {
	*CPUBackend
	t   *testing.T
	end int
}

func newArena(t *testing.T) *arena { return &arena{CPUBackend: NewCPUBackend(), t: t} }

// put places data (or n NaNs when data is nil) in a new buffer.
func (a *arena) put(data []float32, n int) Buf {
	if data != nil {
		n = len(data)
	}
	b := Buf{Off: a.end, Len: n}
	a.end += n + 3 // a gap, to catch overruns
	if err := a.Reserve(a.end); err != nil {
		a.t.Fatal(err)
	}
	if data != nil {
		if err := a.Upload(b, data); err != nil {
			a.t.Fatal(err)
		}
	}
	return b
}

func (a *arena) get(b Buf) []float32 {
	d := make([]float32, b.Len)
	if err := a.Download(d, b); err != nil {
		a.t.Fatal(err)
	}
	return d
}

func seq(n int) []float32 {
	d := make([]float32, n)
	for i := range d {
		d[i] = float32(i + 1)
	}
	return d
}

func randn(rng *rand.Rand, n int) []float32 {
	d := make([]float32, n)
	for i := range d {
		d[i] = float32(rng.NormFloat64())
	}
	return d
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantEq(t *testing.T, name string, got, want []float32) {
	t.Helper()
	if err := closeTo(name, got, want, 1e-6); err != nil {
		t.Errorf("%v\ngot  %v\nwant %v", err, got, want)
	}
}

// TestIm2colStride2 checks a 4×4 image, 3×3 kernel, stride 2, padding 1
// (output 2×2) by hand.
func TestIm2colStride2(t *testing.T) {
	a := newArena(t)
	x := a.put(seq(16), 0) // x[y][x] = 4y + x + 1
	g := Geom{N: 1, C: 1, H: 4, W: 4, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1, OH: 2, OW: 2}
	col := a.put(nil, g.ColLen())
	must(t, a.Im2col(col, x, g))
	got := a.get(col)
	// Rows (ky, kx), columns (oy, ox): pixel (2oy-1+ky, 2ox-1+kx).
	rows := map[int][]float32{
		0: {0, 0, 0, 6},   // (0, 0)
		4: {1, 3, 9, 11},  // (1, 1), the centre
		5: {2, 4, 10, 12}, // (1, 2)
		8: {6, 8, 14, 16}, // (2, 2)
		6: {0, 6, 0, 14},  // (2, 0): column -1 for ox = 0
		2: {0, 0, 6, 8},   // (0, 2): row -1 for oy = 0
	}
	for r, want := range rows {
		wantEq(t, "im2col row", got[r*4:r*4+4], want)
	}
}

// TestCol2imOutputPadding checks the transposed convolution geometry of a
// 2×2 input to a 4×4 output (kernel 3, stride 2, padding 1, output
// padding 1) with an all-ones column matrix: each output pixel counts the
// taps reaching it, c[yy]·c[xx] with c = [1, 2, 1, 1] (the last row and
// column, the output padding, are reached once).
func TestCol2imOutputPadding(t *testing.T) {
	a := newArena(t)
	g := Geom{N: 1, C: 1, H: 4, W: 4, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1, OH: 2, OW: 2}
	ones := make([]float32, g.ColLen())
	for i := range ones {
		ones[i] = 1
	}
	col := a.put(ones, 0)
	x := a.put(nil, 16)
	must(t, a.Col2im(x, col, g))
	c := []float32{1, 2, 1, 1}
	var want []float32
	for _, cy := range c {
		for _, cx := range c {
			want = append(want, cy*cx)
		}
	}
	wantEq(t, "col2im", a.get(x), want)
}

// TestCol2imIsAdjoint checks <im2col(x), c> = <x, col2im(c)> with
// channels, batch, unequal strides and padding, and dilation.
func TestCol2imIsAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	g := Geom{N: 2, C: 3, H: 7, W: 6, KH: 3, KW: 2, SH: 2, SW: 1, PH: 1, PW: 0, DH: 2, DW: 1}
	g.OH = (g.H+2*g.PH-g.DH*(g.KH-1)-1)/g.SH + 1
	g.OW = (g.W+2*g.PW-g.DW*(g.KW-1)-1)/g.SW + 1
	a := newArena(t)
	xd, cd := randn(rng, g.N*g.C*g.H*g.W), randn(rng, g.ColLen())
	x, c := a.put(xd, 0), a.put(cd, 0)
	col, xt := a.put(nil, g.ColLen()), a.put(nil, len(xd))
	must(t, a.Im2col(col, x, g))
	must(t, a.Col2im(xt, c, g))
	var l, r float64
	for i, v := range a.get(col) {
		l += float64(v) * float64(cd[i])
	}
	for i, v := range a.get(xt) {
		r += float64(v) * float64(xd[i])
	}
	wantEq(t, "adjoint", []float32{float32(l)}, []float32{float32(r)})
}

// TestGemmLeadingDimensions checks row-major GEMM on padded rows by hand.
func TestGemmLeadingDimensions(t *testing.T) {
	a := newArena(t)
	// A = [[1 2 3] [4 5 6]] in rows of 4; B = [[1 0] [0 1] [1 1]] in rows
	// of 3; C 2×2 in rows of 3, starting as all 1s.
	A := a.put([]float32{1, 2, 3, -9, 4, 5, 6, -9}, 0)
	B := a.put([]float32{1, 0, -9, 0, 1, -9, 1, 1, -9}, 0)
	C := a.put([]float32{1, 1, 7, 1, 1}, 0)
	must(t, a.Gemm(false, false, 2, 2, 3, 2, A, 4, B, 3, 1, C, 3))
	// A·B = [[4 5] [10 11]]; 2·A·B + C.
	wantEq(t, "gemm", a.get(C), []float32{9, 11, 7, 21, 23})

	// The same product with both operands stored transposed: Aᵀ stored
	// 3×2 in rows of 2, Bᵀ stored 2×3 in rows of 5; beta 0 ignores C.
	At := a.put([]float32{1, 4, 2, 5, 3, 6}, 0)
	Bt := a.put([]float32{1, 0, 1, -9, -9, 0, 1, 1}, 0)
	C2 := a.put(nil, 4)
	must(t, a.Gemm(true, true, 2, 2, 3, 1, At, 2, Bt, 5, 0, C2, 2))
	wantEq(t, "gemm tA tB", a.get(C2), []float32{4, 5, 10, 11})
}

// TestGemmStridedBatched checks shared (stride 0) weights and per-batch
// strides against separate products.
func TestGemmStridedBatched(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		const m, n, k, batch = 3, 4, 5, 3
		a := newArena(t)
		A := a.put(randn(rng, m*k), 0) // shared
		B := a.put(randn(rng, batch*k*n), 0)
		C := a.put(nil, batch*m*n)
		lda, ldb := k, n
		if tr[0] {
			lda = m
		}
		if tr[1] {
			ldb = k
		}
		must(t, a.GemmStridedBatched(tr[0], tr[1], m, n, k, 1, A, lda, 0, B, ldb, k*n, 0, C, n, m*n, batch))
		for bt := range batch {
			Cb := a.put(nil, m*n)
			must(t, a.Gemm(tr[0], tr[1], m, n, k, 1, A, lda, B.At(bt*k*n, k*n), ldb, 0, Cb, n))
			want := a.get(Cb)
			// Reference by definition.
			Ad, Bd := a.get(A), a.get(B)[bt*k*n:]
			for i := range m {
				for j := range n {
					var s float32
					for p := range k {
						av := Ad[i*k+p]
						if tr[0] {
							av = Ad[p*m+i]
						}
						bv := Bd[p*n+j]
						if tr[1] {
							bv = Bd[j*k+p]
						}
						s += av * bv
					}
					want[i*n+j] = s
				}
			}
			wantEq(t, "batched gemm", a.get(C)[bt*m*n:(bt+1)*m*n], want)
		}
	}
}

// TestBinaryBcastStrides broadcasts a row and a column over [2, 3].
func TestBinaryBcastStrides(t *testing.T) {
	a := newArena(t)
	x := a.put([]float32{1, 2, 3, 4, 5, 6}, 0) // [2, 3]
	row := a.put([]float32{10, 20, 30}, 0)     // [3] along axis 1
	col := a.put([]float32{100, 200}, 0)       // [2] along axis 0
	z := a.put(nil, 6)
	d := [4]int{1, 1, 2, 3}
	must(t, a.BinaryBcast("add", z, x, row, d, [4]int{0, 0, 3, 1}, [4]int{0, 0, 0, 1}))
	wantEq(t, "x + row", a.get(z), []float32{11, 22, 33, 14, 25, 36})
	must(t, a.BinaryBcast("sub", z, col, x, d, [4]int{0, 0, 1, 0}, [4]int{0, 0, 3, 1}))
	wantEq(t, "col - x", a.get(z), []float32{99, 98, 97, 196, 195, 194})
	// x transposed through its strides: z[j, i] = x[i, j]·1.
	one := a.put([]float32{1}, 0)
	must(t, a.BinaryBcast("mul", z, x, one, [4]int{1, 1, 3, 2}, [4]int{0, 0, 1, 3}, [4]int{}))
	wantEq(t, "xᵀ", a.get(z), []float32{1, 4, 2, 5, 3, 6})
}

// TestTransposeStrides checks the merged StridedCopy arguments and the
// copy against numpy's transpose.
func TestTransposeStrides(t *testing.T) {
	for _, c := range []struct {
		shape, perm []int
		d, s        [4]int
	}{
		{[]int{2, 3, 4}, []int{2, 0, 1}, [4]int{1, 1, 4, 6}, [4]int{0, 0, 1, 4}},
		{[]int{2, 3, 4, 5, 6}, []int{0, 1, 2, 4, 3}, [4]int{1, 24, 6, 5}, [4]int{0, 30, 1, 6}},
		{[]int{2, 1, 3}, []int{1, 2, 0}, [4]int{1, 1, 3, 2}, [4]int{0, 0, 1, 3}},
	} {
		d, s, err := transposeStrides(c.shape, c.perm)
		must(t, err)
		if d != c.d || s != c.s {
			t.Errorf("transpose %v by %v: %v %v, want %v %v", c.shape, c.perm, d, s, c.d, c.s)
		}
		n := 1
		for _, v := range c.shape {
			n *= v
		}
		a := newArena(t)
		x, y := a.put(seq(n), 0), a.put(nil, n)
		must(t, a.StridedCopy(y, x, d, s))
		want := tensor.New(tensor.WithShape(c.shape...), tensor.WithBacking(seq(n)))
		must(t, want.T(c.perm...))
		must(t, want.Transpose())
		wantEq(t, "transpose", a.get(y), want.Data().([]float32))
	}
	if _, _, err := transposeStrides([]int{2, 3, 4, 5, 6}, []int{4, 3, 2, 1, 0}); err == nil {
		t.Error("rank-5 transpose accepted")
	}
}

// fakeProgram is a program of one instruction on hand-placed values.
func fakeProgram(in program.Instr, vals ...program.Value) *program.Program {
	off := 0
	for i := range vals {
		vals[i].View = -1
		vals[i].Offset = off
		off += (vals[i].Size + program.Align - 1) / program.Align * program.Align
	}
	return &program.Program{Values: vals, Instrs: []program.Instr{in}, ArenaSize: off}
}

func runFake(t *testing.T, p *program.Program, data map[int][]float32) ([]float32, *Schedule) {
	t.Helper()
	s, err := Compile(p, Config{})
	must(t, err)
	b := NewCPUBackend()
	must(t, b.Reserve(s.ArenaSize))
	for i, d := range data {
		v := p.Values[i]
		must(t, b.Upload(Buf{v.Offset, v.Size}, d))
	}
	must(t, s.Run(b))
	o := p.Values[p.Instrs[0].Out]
	out := make([]float32, o.Size)
	must(t, b.Download(out, Buf{o.Offset, o.Size}))
	return out, s
}

// TestReduceNonAdjacentAxes sums and maximizes [2, 3, 4] over axes 0 and 2
// (two runs, through a scratch intermediate).
func TestReduceNonAdjacentAxes(t *testing.T) {
	x := seq(24)
	for _, kind := range []program.Kind{program.KindSum, program.KindMax} {
		p := fakeProgram(program.Instr{Kind: kind, Out: 1, In: []int{0}, Axes: []int{0, 2}},
			program.Value{Shape: tensor.Shape{2, 3, 4}, Size: 24, Role: program.Arg},
			program.Value{Shape: tensor.Shape{3}, Size: 3})
		got, s := runFake(t, p, map[int][]float32{0: x})
		want := make([]float32, 3)
		for j := range 3 {
			for i := range 2 {
				for k := range 4 {
					v := x[(i*3+j)*4+k]
					if kind == program.KindMax {
						want[j] = max(want[j], v)
					} else {
						want[j] += v
					}
				}
			}
		}
		wantEq(t, kind.String(), got, want)
		if len(s.Steps) != 2 || s.ScratchSize == 0 {
			t.Errorf("%v over axes 0, 2: %d steps, scratch %d:\n%v", kind, len(s.Steps), s.ScratchSize, s)
		}
	}
}

// TestBinaryScalarOperands checks the three lowerings of a scalar operand.
func TestBinaryScalarOperands(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5}
	for _, c := range []struct {
		role     program.Role
		left     bool
		call     string
		want     []float32
		scalarAt int
	}{
		{program.Arg, true, "binary_bcast", []float32{9, 8, 7, 6, 5}, 0},
		{program.Const, true, "binary_rscalar", []float32{9, 8, 7, 6, 5}, 0},
		{program.Arg, false, "binary_bcast", []float32{-9, -8, -7, -6, -5}, 1},
		{program.Const, false, "binary_scalar", []float32{-9, -8, -7, -6, -5}, 1},
	} {
		sc := program.Value{Size: 1, Role: c.role, Data: []float32{10}}
		vec := program.Value{Shape: tensor.Shape{5}, Size: 5, Role: program.Arg}
		vals := []program.Value{vec, sc, {Shape: tensor.Shape{5}, Size: 5}}
		in := []int{1, 0}
		if !c.left {
			in = []int{0, 1}
		}
		p := fakeProgram(program.Instr{Kind: program.KindBinary, Binary: program.Sub, Out: 2, In: in}, vals...)
		got, s := runFake(t, p, map[int][]float32{0: x, 1: {10}})
		wantEq(t, c.call, got, c.want)
		if !strings.HasPrefix(s.Steps[0].Call, c.call+"(") {
			t.Errorf("step %s, want %s", s.Steps[0].Call, c.call)
		}
	}
}

// TestBiasAndActGrads checks the bias gradient (channel sums) and the
// ReLU gradient through the output.
func TestBiasAndActGrads(t *testing.T) {
	a := newArena(t)
	dy := a.put(seq(12), 0) // [2, 3, 2]
	db := a.put(nil, 3)
	must(t, a.BiasActBackward(Buf{}, db, Buf{}, dy, 2, 3, 2, ActLinear))
	wantEq(t, "db", a.get(db), []float32{1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12})

	y := a.put([]float32{0, 1, 0, 2}, 0)
	g := a.put([]float32{5, 6, 7, 8}, 0)
	dz, db2 := a.put(nil, 4), a.put(nil, 2)
	must(t, a.BiasActBackward(dz, db2, y, g, 2, 2, 1, ActReLU))
	wantEq(t, "dz", a.get(dz), []float32{0, 6, 0, 8})
	wantEq(t, "db rows", a.get(db2), []float32{0, 14})
	dx := a.put(nil, 4)
	must(t, a.UnaryGrad("relu", dx, y, Buf{}, g, 4))
	wantEq(t, "relu grad", a.get(dx), []float32{0, 6, 0, 8})

	r := a.put(nil, 12)
	must(t, a.Repeat(r, a.put([]float32{1, 2, 3, 4}, 0), 2, 2, 3, 1, 0.5))
	wantEq(t, "repeat", a.get(r), []float32{.5, .5, .5, 1, 1, 1, 1.5, 1.5, 1.5, 2, 2, 2})
}

// TestConvScratchChunks compiles a strided convolution with a scratch
// bound of one image and checks the chunked calls.
func TestConvScratchChunks(t *testing.T) {
	p := fakeProgram(program.Instr{Kind: program.KindConv2D, Out: 2, In: []int{0, 1}, Conv: program.Conv{Kernel: 3, Stride: 2, Pad: 1}},
		program.Value{Shape: tensor.Shape{3, 2, 5, 5}, Size: 150, Role: program.Arg},
		program.Value{Shape: tensor.Shape{4, 2, 3, 3}, Size: 72, Role: program.Arg},
		program.Value{Shape: tensor.Shape{3, 4, 3, 3}, Size: 108})
	rng := rand.New(rand.NewPCG(5, 6))
	data := map[int][]float32{0: randn(rng, 150), 1: randn(rng, 72)}
	whole, _ := runFake(t, p, data)
	s, err := Compile(p, Config{ScratchLimit: 18 * 9})
	must(t, err)
	var calls []string
	for _, st := range s.Steps {
		calls = append(calls, st.Call[:strings.Index(st.Call, "(")])
	}
	if want := []string{"im2col", "gemm_strided_batched"}; !slices.Equal(calls, slices.Concat(want, want, want)) {
		t.Errorf("chunked conv: %v", calls)
	}
	if s.ScratchSize != 192 { // 2·3·3 rows × 3·3 positions, aligned
		t.Errorf("scratch %d", s.ScratchSize)
	}
	b := NewCPUBackend()
	must(t, b.Reserve(s.ArenaSize))
	for i, d := range data {
		must(t, b.Upload(Buf{p.Values[i].Offset, len(d)}, d))
	}
	must(t, s.Run(b))
	o := p.Values[2]
	got := make([]float32, o.Size)
	must(t, b.Download(got, Buf{o.Offset, o.Size}))
	wantEq(t, "chunked conv", got, whole)
}
