package program

import (
	"fmt"
	"strings"

	G "gorgonia.org/gorgonia"
)

// Kind is the operation of an instruction.
type Kind uint8

// The instruction kinds. Shapes are those of the instruction's values
// (Program.Values[i].Shape); all data is row-major float32, except the
// int32 inputs named by Instr.InputDType (ids and class targets).
const (
	// KindUnary: out[i] = f(in0[i]) for f = Instr.Unary.
	KindUnary Kind = iota + 1
	// KindBinary: out[i] = f(a, b) for f = Instr.Binary, where an operand of
	// size 1 is broadcast and one of the output's size is read at i.
	KindBinary
	// KindMatMul: for each batch, out (M×N) = op(A)·op(B), op(A) M×K, op(B)
	// K×N; A is stored M×K or, with TransA, K×M; B is K×N or, with TransB, N×K.
	KindMatMul
	// KindBiasAct: out = act(in0 + in1[c]) for in0 [N, C, ...], in1 [C].
	KindBiasAct
	// KindBiasGrad: out[c] = Σ in0[n, c, ...] over every axis but 1.
	KindBiasGrad
	// KindActGrad: out = in1·act'(x) expressed through y = act(x) = in0.
	KindActGrad
	// KindConv2D: PyTorch conv2d without bias, x in0 [N, C, H, W],
	// w in1 [OC, C, K, K], out [N, OC, OH, OW].
	KindConv2D
	// KindConvTranspose2D: PyTorch conv_transpose2d without bias,
	// x in0 [N, C, H, W], w in1 [C, OC, K, K], out [N, OC, OH, OW].
	KindConvTranspose2D
	// KindConvFilterGrad: out [CS, C, K, K] = Σₙ Σ_{oy,ox}
	// in1[n, cs, oy, ox]·in0[n, c, oy·S-P+ki, ox·S-P+kj] for large in0
	// [N, C, H, W] and small in1 [N, CS, OH, OW] (zero outside in0).
	KindConvFilterGrad
	// KindBCELogits: out[n] = mean over the values of example n of
	// softplus(l) - t·l for logits in0 and targets in1, both [N, ...].
	KindBCELogits
	// KindBCELogitsGrad: out = (sigmoid(l) - t)·g[n]/D for logits in0,
	// targets in1, output gradient in2 [N] and D values per example.
	KindBCELogitsGrad
	// KindSum: sum of in0 over Instr.Axes (removed from the shape).
	KindSum
	// KindMax: maximum of in0 over Instr.Axes (removed from the shape).
	KindMax
	// KindRepeat: each value of in0 repeated Reps times along one axis:
	// out[o, d·Reps+r, i] = in0[o, d, i] with o < Outer, d < Dim, i < Inner.
	KindRepeat
	// KindTranspose: out[j0, j1, ...] = in0 at the index whose axis
	// Perm[k] is jk (numpy's transpose with axes Perm).
	KindTranspose
	// KindGather: out[s, :] = in0[in1[s], :] for a table in0 [V, D] and
	// int32 ids in1 of any shape S (out S+[D]); an id outside [0, V) is an
	// error of the interpreter (the kernel gives a zero row).
	KindGather
	// KindScatterAdd: out [V, D] = Σ over positions s with in0[s] = v of
	// in1[s, :] in row v, zero rows elsewhere, for int32 ids in0 [S] and
	// in1 S+[D] (ids outside [0, V): an error, or skipped by the kernel).
	KindScatterAdd
	// KindSoftmaxXent: out[n] = logsumexp(in0[n, :]) - in0[n, in1[n]] for
	// logits in0 [N, V] and int32 targets in1 [N]; 0 where the target is
	// IgnoreTarget; another target outside [0, V) is an error of the
	// interpreter (NaN from the kernels).
	KindSoftmaxXent
	// KindSoftmaxXentGrad: out [N, V] = (softmax(in0[n, :]) -
	// onehot(in1[n]))·in2[n], a zero row where the target is IgnoreTarget.
	KindSoftmaxXentGrad
	// KindTargetProb: out[i] = exp(-in0[i]).
	KindTargetProb
	// KindLSTMForward: one LSTM layer over a sequence (layers.LSTMOp): x in0
	// [T, B, In], W_ih in1 [4H, In], W_hh in2 [4H, H], bias in3 [4H] ->
	// workspace [7·T·B·H]: h, c, tanh c planes [T, B, H] and the gate
	// activations [T, B, 4H] (i, f, g, o). Sizes in Instr.LSTM.
	KindLSTMForward
	// KindLSTMBackward: backpropagation through time (layers.LSTMGradOp):
	// x in0, W_ih in1, W_hh in2, workspace in3, dH in4 [T, B, H] -> packed
	// dx | dW_ih | dW_hh | dbias | dz | dh0 | dc0 (LSTM.GradOffset).
	KindLSTMBackward
	// KindSegment: out = in0[Offset : Offset+len(out)].
	KindSegment
	// KindSlice: out = positions [Start, Stop) of axis Axis of in0, the
	// other axes whole; out has in0's shape with that axis Stop-Start long,
	// or without it when Stop-Start is 1.
	KindSlice
	// KindSliceAdd: the gradient of KindSlice (gorgonia's sliceIncrOp):
	// out is zero but for positions [Start, Stop) of its axis Axis, which
	// hold in0, shaped like KindSlice's output.
	KindSliceAdd
	// KindConcat: out = in0, in1, ... joined along axis Axis; every input
	// has out's shape but for the length of that axis.
	KindConcat
)

// IgnoreTarget is the class target KindSoftmaxXent skips (layers.IgnoreTarget).
const IgnoreTarget = -1

var kindNames = map[Kind]string{
	KindUnary: "unary", KindBinary: "binary", KindMatMul: "matmul",
	KindBiasAct: "bias_act", KindBiasGrad: "bias_grad", KindActGrad: "act_grad",
	KindConv2D: "conv2d", KindConvTranspose2D: "conv_transpose2d", KindConvFilterGrad: "conv_filter_grad",
	KindBCELogits: "bce_logits", KindBCELogitsGrad: "bce_logits_grad",
	KindSum: "sum", KindMax: "max", KindRepeat: "repeat", KindTranspose: "transpose",
	KindGather: "gather", KindScatterAdd: "scatter_add", KindSoftmaxXent: "softmax_xent",
	KindSoftmaxXentGrad: "softmax_xent_grad", KindTargetProb: "target_prob",
	KindLSTMForward: "lstm_forward", KindLSTMBackward: "lstm_backward", KindSegment: "segment",
	KindSlice: "slice", KindSliceAdd: "slice_add", KindConcat: "concat",
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Unary is an elementwise function of one value.
type Unary uint8

// The unary functions: gorgonia's elementwise unary operators and ReLU.
const (
	Abs Unary = iota + 1
	Sign
	Ceil
	Floor
	Sin
	Cos
	Exp
	Log
	Log2
	Neg
	Square
	Sqrt
	Inv
	InvSqrt
	Cube
	Tanh
	Sigmoid
	Log1p
	Expm1
	Softplus
	ReLU
)

// unaryNames are gorgonia's operator names (and "relu").
var unaryNames = map[Unary]string{
	Abs: "abs", Sign: "sign", Ceil: "ceil", Floor: "floor", Sin: "sin", Cos: "cos",
	Exp: "exp", Log: "ln", Log2: "log2", Neg: "neg", Square: "square", Sqrt: "sqrt",
	Inv: "inv", InvSqrt: "invSqrt", Cube: "cube", Tanh: "tanh", Sigmoid: "sigmoid",
	Log1p: "log1p", Expm1: "expm1", Softplus: "softplus", ReLU: "relu",
}

func (u Unary) String() string {
	if s, ok := unaryNames[u]; ok {
		return s
	}
	return fmt.Sprintf("Unary(%d)", uint8(u))
}

// Binary is an elementwise function of two values. Comparisons give 1 or 0.
type Binary uint8

// The binary functions, gorgonia's elementwise binary operators.
const (
	Add Binary = iota + 1
	Sub
	Mul
	Div
	Pow
	Lt
	Gt
	Le
	Ge
	Eq
	Ne
)

// binarySymbols are gorgonia's operator symbols.
var binarySymbols = map[Binary]string{
	Add: "+", Sub: "-", Mul: "⊙", Div: "÷", Pow: "^",
	Lt: "<", Gt: ">", Le: "<=", Ge: ">=", Eq: "==", Ne: "!=",
}

func (b Binary) String() string {
	if s, ok := binarySymbols[b]; ok {
		return s
	}
	return fmt.Sprintf("Binary(%d)", uint8(b))
}

// Act is the activation of KindBiasAct and KindActGrad.
type Act uint8

// The activations.
const (
	Linear Act = iota
	ActReLU
	ActSigmoid
	ActTanh
)

func (a Act) String() string {
	switch a {
	case Linear:
		return "linear"
	case ActReLU:
		return "relu"
	case ActSigmoid:
		return "sigmoid"
	case ActTanh:
		return "tanh"
	}
	return fmt.Sprintf("Act(%d)", uint8(a))
}

// Conv holds the geometry of the convolution kinds: square kernel, stride,
// symmetric zero padding and (transposed convolution only) output padding.
type Conv struct {
	Kernel, Stride, Pad int
	OutPadH, OutPadW    int
}

// MatMul holds the dimensions of KindMatMul (see there).
type MatMul struct {
	Batch, M, N, K int
	TransA, TransB bool
}

// Repeat holds the layout of KindRepeat (see there).
type Repeat struct {
	Outer, Dim, Reps, Inner int
}

// Instr is one instruction: Out = Kind(In...) with the attributes its kind
// uses. In and Out index Program.Values.
type Instr struct {
	Kind   Kind
	Out    int
	In     []int
	Unary  Unary
	Binary Binary
	Act    Act
	Conv   Conv
	MatMul MatMul
	Repeat Repeat
	LSTM   LSTM
	Axes   []int // KindSum, KindMax: reduced axes of In[0]
	Perm   []int // KindTranspose
	Offset int   // KindSegment
	Axis   int   // KindSlice, KindSliceAdd, KindConcat
	Start  int   // KindSlice, KindSliceAdd: first position along Axis
	Stop   int   // KindSlice, KindSliceAdd: end (exclusive) along Axis
	Node   *G.Node
}

// String is e.g. "%7 = conv2d{k=3,s=1,p=1} %0 %1".
func (in Instr) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%%%d = %v", in.Out, in.Kind)
	switch in.Kind {
	case KindUnary:
		fmt.Fprintf(&b, "{%v}", in.Unary)
	case KindBinary:
		fmt.Fprintf(&b, "{%v}", in.Binary)
	case KindBiasAct, KindActGrad:
		fmt.Fprintf(&b, "{%v}", in.Act)
	case KindMatMul:
		m := in.MatMul
		fmt.Fprintf(&b, "{b=%d,m=%d,n=%d,k=%d,tA=%v,tB=%v}", m.Batch, m.M, m.N, m.K, m.TransA, m.TransB)
	case KindConv2D, KindConvFilterGrad:
		fmt.Fprintf(&b, "{k=%d,s=%d,p=%d}", in.Conv.Kernel, in.Conv.Stride, in.Conv.Pad)
	case KindConvTranspose2D:
		c := in.Conv
		fmt.Fprintf(&b, "{k=%d,s=%d,p=%d,op=%d,%d}", c.Kernel, c.Stride, c.Pad, c.OutPadH, c.OutPadW)
	case KindSum, KindMax:
		fmt.Fprintf(&b, "%v", in.Axes)
	case KindRepeat:
		r := in.Repeat
		fmt.Fprintf(&b, "{outer=%d,dim=%d,reps=%d,inner=%d}", r.Outer, r.Dim, r.Reps, r.Inner)
	case KindTranspose:
		fmt.Fprintf(&b, "%v", in.Perm)
	case KindLSTMForward, KindLSTMBackward:
		l := in.LSTM
		fmt.Fprintf(&b, "{t=%d,b=%d,in=%d,h=%d}", l.T, l.B, l.In, l.H)
	case KindSegment:
		fmt.Fprintf(&b, "{off=%d}", in.Offset)
	case KindSlice, KindSliceAdd:
		fmt.Fprintf(&b, "{axis=%d,%d:%d}", in.Axis, in.Start, in.Stop)
	case KindConcat:
		fmt.Fprintf(&b, "{axis=%d}", in.Axis)
	}
	for _, v := range in.In {
		fmt.Fprintf(&b, " %%%d", v)
	}
	return b.String()
}
