package exec

// Buf is a range of the backend's float32 arena: Len values from Off. The
// zero Buf (Len 0) stands for a NULL pointer where a kernel accepts one.
type Buf struct {
	Off, Len int
}

// At returns the Len values of b from offset off (in values) on.
func (b Buf) At(off, n int) Buf { return Buf{Off: b.Off + off, Len: n} }

// Geom is the geometry of Im2col and Col2im, in the kernels' parameter
// order: images [N, C, H, W], kernel KH×KW, stride SH, SW, zero padding
// PH, PW, dilation DH, DW, and the output (column) grid OH×OW.
type Geom struct {
	N, C, H, W     int
	KH, KW, SH, SW int
	PH, PW, DH, DW int
	OH, OW         int
}

// ColLen is the number of values of the column matrix.
func (g Geom) ColLen() int { return g.N * g.C * g.KH * g.KW * g.OH * g.OW }

// Activation codes of BiasAct and BiasActBackward (bias_act.cu).
const (
	ActLinear  = 0
	ActReLU    = 1
	ActSigmoid = 2
	ActTanh    = 3
)

// Backend runs the primitives of a schedule on one float32 arena. Each
// compute method is the kernel of cuda/kernels with the same name in
// snake case plus _f32 (Gemm and GemmStridedBatched are cuBLAS SGEMM,
// row-major), with the same parameters in the same order; see each
// kernel's file for the exact semantics. op is a kernel family name such
// as "relu" or "add". Calls are queued in order; Download and Synchronize
// wait for them.
type Backend interface {
	// Reserve makes the arena hold at least n values.
	Reserve(n int) error
	// Upload copies src into dst (len(src) == dst.Len).
	Upload(dst Buf, src []float32) error
	// Download copies src into dst (len(dst) == src.Len).
	Download(dst []float32, src Buf) error
	// Synchronize waits for every queued call and returns its first error.
	Synchronize() error

	Fill(y Buf, n int, v float32) error                        // fill_f32
	Copy(y, x Buf, n int) error                                // copy_f32
	Unary(op string, y, x Buf, n int) error                    // OP_f32
	UnaryGrad(op string, dx, x, y, dy Buf, n int) error        // OP_grad_f32
	Binary(op string, z, x, y Buf, n int) error                // OP_f32
	BinaryScalar(op string, z, x Buf, n int, s float32) error  // OP_scalar_f32
	BinaryRScalar(op string, z, x Buf, n int, s float32) error // OP_rscalar_f32
	// BinaryBcast is OP_bcast_f32: z [d0..d3] contiguous, x and y read
	// with element strides xs and ys.
	BinaryBcast(op string, z, x, y Buf, d, xs, ys [4]int) error
	BiasAct(y, x, b Buf, n, c, inner, act int) error                 // bias_act_f32
	BiasActBackward(dz, db, y, dy Buf, n, c, inner, act int) error   // bias_act_backward_{chan,rows}_f32
	SumAxis(y, x Buf, outer, length, inner int, scale float32) error // sum_axis_f32 / sum_last_f32
	MaxAxis(y, x Buf, outer, length, inner int) error                // max_axis_f32 / max_last_f32
	Repeat(y, x Buf, outer, d, r, inner int, scale float32) error    // repeat_f32
	StridedCopy(y, x Buf, d, s [4]int) error                         // strided_copy_f32
	Im2col(col, x Buf, g Geom) error                                 // im2col_f32
	Col2im(x, col Buf, g Geom) error                                 // col2im_f32
	BCELogits(out, logits, target Buf, n, d int) error               // bce_logits_f32
	BCELogitsGrad(dx, logits, target, dy Buf, n, d int) error        // bce_logits_grad_f32

	// SliceAxis, SliceAxisAdd and ConcatAxis view a tensor around one
	// axis as [outer, length, inner] (slice.cu).
	SliceAxis(y, x Buf, outer, length, inner, start, count, step int) error      // slice_axis_f32
	SliceAxisAdd(dx, dy Buf, outer, length, inner, start, count, step int) error // slice_axis_add_f32
	ConcatAxis(y, x Buf, outer, ylen, xlen, inner, offset int) error             // concat_axis_f32

	// Gather and ScatterAdd read n int32 indices from idx (stored bitwise
	// in the arena): gather_axis_f32, scatter_add_axis_f32.
	Gather(y, x, idx Buf, outer, length, inner, n int) error
	ScatterAdd(dx, dy, idx Buf, outer, length, inner, n int) error
	// SoftmaxXent and SoftmaxXentGrad take int32 targets (xent.cu).
	SoftmaxXent(loss, logits, target Buf, n, v int) error                      // softmax_xent_f32
	SoftmaxXentGrad(dx, logits, target, dy Buf, n, v int) error                // softmax_xent_grad_f32
	TargetProb(p, loss Buf, n int) error                                       // target_prob_f32
	LSTMCell(gates, c, tc, h, bias, cPrev Buf, b, hd int) error                // lstm_cell_f32
	LSTMCellBackward(dz, dc, gates, cPrev, tc, dh, dhRec Buf, b, hd int) error // lstm_cell_backward_f32

	// BernoulliMask draws a dropout mask: y[i] = kernels.MaskValue(key, i,
	// threshold, scale) (bernoulli_mask_f32).
	BernoulliMask(y Buf, n int, key, threshold uint64, scale float32) error
	// NonFinite sets flag[0] to 1 when one of x's n values is NaN or
	// infinite and leaves it alone otherwise (non_finite_f32).
	NonFinite(flag, x Buf, n int) error
	// Adam, SGD and SGDMomentum update p in place from gradient g
	// (adam_f32, sgd_f32, sgd_momentum_f32: trainers.Adam and
	// trainers.SGD, float64 arithmetic per value).
	Adam(p, m, v, g Buf, n int, lrT, beta1, beta2, eps float64) error
	SGD(p, g Buf, n int, lr float64) error
	SGDMomentum(p, u, g Buf, n int, lr, mu float64, nesterov bool) error

	// Gemm computes c = alpha·op(a)·op(b) + beta·c, row-major: op(a) m×k
	// (a stored m×k, or k×m with tA, rows lda apart), op(b) k×n (b stored
	// k×n, or n×k with tB), c m×n with rows ldc apart. With beta 0, c is
	// not read.
	Gemm(tA, tB bool, m, n, k int, alpha float32, a Buf, lda int, b Buf, ldb int, beta float32, c Buf, ldc int) error
	// GemmStridedBatched is batch Gemms, the i-th on a, b and c advanced
	// by i·strideA, i·strideB and i·strideC values (0 shares a matrix).
	GemmStridedBatched(tA, tB bool, m, n, k int, alpha float32, a Buf, lda, strideA int, b Buf, ldb, strideB int, beta float32, c Buf, ldc, strideC, batch int) error
}

// Binder is a Backend that can run a batch of calls with its device bound
// once (GPUBackend: the CUDA context made current on a locked OS thread)
// instead of once per call. The executor runs each schedule, and a runner
// each step, inside one Bound.
type Binder interface {
	Bound(f func() error) error
}

// bound runs f inside b's Bound when b is a Binder.
func bound(b Backend, f func() error) error {
	if bb, ok := b.(Binder); ok {
		return bb.Bound(f)
	}
	return f()
}
