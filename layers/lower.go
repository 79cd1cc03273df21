package layers

import (
	"fmt"

	"github.com/vigil-ml/vigil/cuda/program"
	G "gorgonia.org/gorgonia"
)

// Every op of this package lowers itself to cuda/program's instruction set
// (program.Lowerer): one instruction each, or a view.

// Lower is a conv2d instruction.
func (op Conv2DOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	c := program.Conv{Kernel: op.Kernel, Stride: op.Stride, Pad: op.Pad}
	return program.Instruction(program.Instr{Kind: program.KindConv2D, In: []int{0, 1}, Conv: c}), nil
}

// Lower is a conv_transpose2d instruction.
func (op ConvTranspose2DOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	c := program.Conv{Kernel: op.Kernel, Stride: op.Stride, Pad: op.Pad, OutPadH: op.OutPadH, OutPadW: op.OutPadW}
	return program.Instruction(program.Instr{Kind: program.KindConvTranspose2D, In: []int{0, 1}, Conv: c}), nil
}

// Lower is a conv_filter_grad instruction.
func (op convFilterGradOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	c := program.Conv{Kernel: op.Kernel, Stride: op.Stride, Pad: op.Pad}
	return program.Instruction(program.Instr{Kind: program.KindConvFilterGrad, In: []int{0, 1}, Conv: c}), nil
}

// Lower is a bce_logits instruction.
func (op *BCELogitsOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindBCELogits, In: []int{0, 1}}), nil
}

// Lower is a bce_logits_grad instruction.
func (op *BCELogitsGradOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 3); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindBCELogitsGrad, In: []int{0, 1, 2}}), nil
}

// Lower is a matmul instruction with the op's transposes.
func (op matMulOp) Lower(n *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	return program.MatMulOf(n, in, op.tA, op.tB)
}

// Lower is a bias_act instruction.
func (op biasActOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	a, err := program.ActNamed(string(op.act))
	if err != nil {
		return program.Lowering{}, err
	}
	if in[0].Dims() < 2 || in[1].Dims() != 1 || in[1].Shape()[0] != in[0].Shape()[1] {
		return program.Lowering{}, fmt.Errorf("bias %v does not fit axis 1 of %v", in[1].Shape(), in[0].Shape())
	}
	return program.Instruction(program.Instr{Kind: program.KindBiasAct, In: []int{0, 1}, Act: a}), nil
}

// Lower is a bias_grad instruction.
func (op biasGradOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 1); err != nil {
		return program.Lowering{}, err
	}
	if in[0].Dims() < 2 {
		return program.Lowering{}, fmt.Errorf("input %v has fewer than 2 dimensions", in[0].Shape())
	}
	return program.Instruction(program.Instr{Kind: program.KindBiasGrad, In: []int{0}}), nil
}

// Lower is a unary instruction (a view for the linear activation).
func (op actOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 1); err != nil {
		return program.Lowering{}, err
	}
	a, err := program.ActNamed(string(op.act))
	if err != nil {
		return program.Lowering{}, err
	}
	u, ok := program.UnaryOf(a)
	if !ok {
		return program.ViewOf(0), nil
	}
	return program.Instruction(program.Instr{Kind: program.KindUnary, In: []int{0}, Unary: u}), nil
}

// Lower is an act_grad instruction.
func (op actGradOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	a, err := program.ActNamed(string(op.act))
	if err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindActGrad, In: []int{0, 1}, Act: a}), nil
}

// Lower is a view: the copy the tape machine needs is not needed by a
// program, whose memory plan never aliases a live value.
func (op reshapeOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 1); err != nil {
		return program.Lowering{}, err
	}
	return program.ViewOf(0), nil
}

// Lower is a gather instruction: rows of the table at the int32 ids.
func (op GatherOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindGather, In: []int{0, 1}}), nil
}

// Lower is a scatter_add instruction.
func (op ScatterAddOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindScatterAdd, In: []int{0, 1}}), nil
}

// Lower is a softmax_xent instruction.
func (op SoftmaxXentOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 2); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindSoftmaxXent, In: []int{0, 1}}), nil
}

// Lower is a softmax_xent_grad instruction.
func (op SoftmaxXentGradOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 3); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindSoftmaxXentGrad, In: []int{0, 1, 2}}), nil
}

// Lower is a target_prob instruction.
func (op TargetProbOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 1); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindTargetProb, In: []int{0}}), nil
}

// lstmSizes are the program's sizes of an LSTM on x, W_ih and W_hh.
func lstmSizes(op fmt.Stringer, in []*G.Node) (program.LSTM, error) {
	d, err := lstmDimsOf(op, in[0].Shape(), in[1].Shape(), in[2].Shape())
	return program.LSTM{T: d.T, B: d.B, In: d.In, H: d.H}, err
}

// Lower is an lstm_forward instruction.
func (op LSTMOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 4); err != nil {
		return program.Lowering{}, err
	}
	l, err := lstmSizes(op, in)
	if err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindLSTMForward, In: []int{0, 1, 2, 3}, LSTM: l}), nil
}

// Lower is a segment instruction: the workspace's first plane.
func (op LSTMHiddenOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 1); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindSegment, In: []int{0}}), nil
}

// Lower is an lstm_backward instruction.
func (op LSTMGradOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 5); err != nil {
		return program.Lowering{}, err
	}
	l, err := lstmSizes(op, in)
	if err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindLSTMBackward, In: []int{0, 1, 2, 3, 4}, LSTM: l}), nil
}

// Lower is a segment instruction.
func (op SegmentOp) Lower(_ *G.Node, in []*G.Node) (program.Lowering, error) {
	if err := program.WantInputs(in, 1); err != nil {
		return program.Lowering{}, err
	}
	return program.Instruction(program.Instr{Kind: program.KindSegment, In: []int{0}, Offset: op.Offset}), nil
}

// Every op of this package is a program.Lowerer.
var (
	_ program.Lowerer = Conv2DOp{}
	_ program.Lowerer = ConvTranspose2DOp{}
	_ program.Lowerer = convFilterGradOp{}
	_ program.Lowerer = (*BCELogitsOp)(nil)
	_ program.Lowerer = (*BCELogitsGradOp)(nil)
	_ program.Lowerer = matMulOp{}
	_ program.Lowerer = biasActOp{}
	_ program.Lowerer = biasGradOp{}
	_ program.Lowerer = actOp{}
	_ program.Lowerer = actGradOp{}
	_ program.Lowerer = reshapeOp{}
	_ program.Lowerer = GatherOp{}
	_ program.Lowerer = ScatterAddOp{}
	_ program.Lowerer = SoftmaxXentOp{}
	_ program.Lowerer = SoftmaxXentGradOp{}
	_ program.Lowerer = TargetProbOp{}
	_ program.Lowerer = LSTMOp{}
	_ program.Lowerer = LSTMHiddenOp{}
	_ program.Lowerer = LSTMGradOp{}
	_ program.Lowerer = SegmentOp{}
)
