// Package program lowers a gorgonia graph into a device program: a closed
// set of float32 instructions over one arena with a static memory plan,
// and runs it on the CPU with reference kernels (plain loops) that define
// the semantics device kernels are tested against. It needs no GPU.
//
// Values are float32 or int32 (DType). int32 values (ids and class
// targets: graph inputs from graph.Builder.Int32Input, constants and views
// of them) take the same 4-byte arena slots, stored bitwise (Int32Bits,
// Int32sOf); instructions read them where Instr.InputDType says so and
// always write float32. Any other dtype is an error.
//
// Lower walks the graph in the tape machine's order (reversed
// gorgonia.Sort). Every node becomes a Value: an argument (input node:
// parameter, data or noise), a constant, a view sharing another value's
// storage, or the output of one Instr. Every op node must lower; anything
// else is an error naming the op's type, its String and the node.
// Instructions whose inputs are all constants (the scalars of a mean's
// gradient, say) are evaluated while lowering and become constants;
// instructions that no requested output or parameter gradient needs are
// dropped.
//
// Ops lower by registration, not by inspection. An op that implements
// Lowerer lowers itself: every op of package layers does, next to its
// definition (layers/lower.go). Gorgonia's built-ins are mapped once, in
// lower_gorgonia.go's table, the only code that reads gorgonia's unexported
// types and fields (by reflection); a test fails when the pinned gorgonia
// changes them. Any other op is an error.
//
// Instruction kinds and the ops lowered to them:
//
//	unary            gorgonia elemUnaryOp (abs sign ceil floor sin cos exp ln
//	                 log2 neg square sqrt inv invSqrt cube tanh sigmoid log1p
//	                 expm1 softplus, by String); layers activations (relu,
//	                 sigmoid, tanh)
//	binary           gorgonia elemBinOp (+ - ⊙ ÷ ^ and, returning the same
//	                 type, < > <= >= == !=, by String); a scalar operand is
//	                 broadcast, other operands have the output's size
//	matmul           layers' matrix product (transposes tA, tB); gorgonia
//	                 linAlgBinOp: matrix, matrix-vector, dot, outer and
//	                 batched products
//	bias_act         layers' bias then linear, relu, sigmoid or tanh
//	bias_grad        its bias gradient
//	act_grad         layers' activation gradient
//	conv2d           layers.Conv2DOp
//	conv_transpose2d layers.ConvTranspose2DOp
//	conv_filter_grad layers' convolution filter gradient
//	bce_logits       *layers.BCELogitsOp
//	bce_logits_grad  *layers.BCELogitsGradOp
//	sum, max         gorgonia sumOp, maxOp (axes; all axes when none)
//	repeat           gorgonia repeatOp (inserted by Grad for sum and mean and
//	                 by broadcasting); the count is taken from static shapes
//	transpose        gorgonia transposeOp
//	gather           layers.GatherOp (embedding lookup, int32 ids)
//	scatter_add      layers.ScatterAddOp (its table gradient)
//	softmax_xent     layers.SoftmaxXentOp (int32 targets, -1 ignored)
//	softmax_xent_grad layers.SoftmaxXentGradOp
//	target_prob      layers.TargetProbOp
//	lstm_forward     layers.LSTMOp (the workspace h|c|tanh c|gates)
//	lstm_backward    layers.LSTMGradOp (packed dx|dW_ih|dW_hh|db|dz|dh0|dc0)
//	segment          layers.SegmentOp, layers.LSTMHiddenOp (offset 0)
//	slice            gorgonia sliceOp: a range of one axis, step 1 (another
//	                 step is an error, but for a single position)
//	slice_add        gorgonia sliceIncrOp (inserted by Grad for sliceOp):
//	                 zeros but for the increment in the range; the sliced
//	                 tensor's values are not read
//	concat           gorgonia concatOp, of any number of inputs along one axis
//
// Without an instruction: gorgonia constantScalar and constantTensor, and
// sizeOp (a size of a static shape), become constants; gorgonia reshapeOp,
// Iop, layers' copying reshape, a sliceOp or sliceIncrOp of a whole axis
// and a concatOp of one input become views.
//
// The memory plan gives every buffer an offset in the arena, aligned to
// Align values. Arguments, constants, requested outputs and parameter
// gradients are pinned: placed first, never shared. Temporaries are
// placed by a linear scan with best-fit reuse: a buffer is released after
// its last reader, and an instruction's output never overlaps its inputs,
// so no kernel needs to work in place. Program.Check verifies the plan.
//
// A Machine binds the arguments from the graph's current node values
// (parameters, inputs and the noise a graph.Program run filled in) and
// executes the instructions; Interpret does both once.
package program
