// Package exec runs a lowered program (cuda/program) on a Backend: it
// compiles the program's instructions into a flat schedule of primitive
// calls, each one a CUDA kernel of cuda/kernels or a cuBLAS SGEMM, and
// executes the schedule.
//
// Backend has one method per primitive, named and parameterized like the
// kernel it maps to. CPUBackend implements each one with plain Go loops of
// exactly the kernel's semantics (float32 arithmetic, float32 sums), so a
// schedule can be checked on any machine; GPUBackend (build tag gpu) runs
// the kernels through cuda/device.
//
// Runner wraps a compiled graph.Program as a graph.Runner: models train
// and score through it exactly as through the tape machine (the same noise
// from the same seed), with the graph lowered and run on a Backend.
//
// Instructions and the primitives they become:
//
//	unary            Unary
//	binary           Binary; BinaryScalar / BinaryRScalar for a constant
//	                 scalar operand; BinaryBcast (stride 0) for another
//	                 scalar operand
//	matmul           Gemm, or GemmStridedBatched for a batch
//	bias_act         BiasAct
//	bias_grad        BiasActBackward (linear, no dz)
//	act_grad         UnaryGrad (relu through y, sigmoid, tanh), Copy (linear)
//	conv2d           Im2col, GemmStridedBatched (weights shared, stride 0)
//	conv_transpose2d GemmStridedBatched (transposed weights), Col2im
//	conv_filter_grad Im2col, GemmStridedBatched into per-image partial
//	                 filters, SumAxis over the images
//	bce_logits(_grad) BCELogits, BCELogitsGrad
//	sum, max         SumAxis, MaxAxis: one call per run of adjacent reduced
//	                 axes
//	repeat           Repeat
//	transpose        StridedCopy (axes merged down to rank 4)
//	gather           Gather
//	scatter_add      Fill, ScatterAdd (atomic adds)
//	softmax_xent     SoftmaxXent
//	softmax_xent_grad SoftmaxXentGrad
//	target_prob      TargetProb
//	segment          Copy from the offset
//	slice            SliceAxis (step 1)
//	slice_add        Fill, SliceAxisAdd
//	concat           ConcatAxis, one call per input
//	lstm_forward     Gemm of every step's input projection into the gate
//	                 plane, then per step a Gemm adding h_{t-1}·W_hhᵀ (from
//	                 step 1) and LSTMCell
//	lstm_backward    Fill of dc; per step, last first, a Gemm of the
//	                 recurrent term dz_{t+1}·W_hh and LSTMCellBackward; then
//	                 one Gemm each for dx, dh0, dW_ih, dW_hh and SumAxis for
//	                 dbias
//
// int32 values (ids, targets) are stored bitwise in the float32 arena.
//
// Memory: the schedule keeps the program's memory plan and extends the
// arena with one scratch region at Program.ArenaSize, shared by all
// instructions (they run one after another). Its size is the largest need
// of any instruction, in float32 values, each part aligned to
// program.Align:
//
//	conv2d            col: G·C·K·K·OH·OW
//	conv_transpose2d  col: G·OC·K·K·H·W
//	conv_filter_grad  partial filters N·CS·C·K·K (none for N = 1), then
//	                  col: G·C·K·K·OH·OW
//	sum, max          one intermediate per reduced run but the last
//	lstm_backward     the recurrent term dz_{t+1}·W_hh: B·H
//
// where G is the number of images per column matrix: all N, or fewer when
// Config.ScratchLimit bounds the column matrix (then the convolution runs
// in chunks of G images).
package exec
