package program

import (
	"fmt"

	"github.com/vigil-ml/vigil/layers"
	G "gorgonia.org/gorgonia"
)

// actByName maps layers.Activation names to Act.
var actByName = map[string]Act{"": Linear, "linear": Linear, "relu": ActReLU, "sigmoid": ActSigmoid, "tanh": ActTanh}

// actField reads an op's Activation field named act.
func actField(op G.Op) (Act, error) {
	s, err := stringField(op, "act")
	if err != nil {
		return 0, err
	}
	a, ok := actByName[s]
	if !ok {
		return 0, fmt.Errorf("unknown activation %q", s)
	}
	return a, nil
}

// convField reads the Kernel, Stride and Pad fields of a convolution op.
func convField(op G.Op) (Conv, error) {
	var c Conv
	var err error
	if c.Kernel, err = intField(op, "Kernel"); err != nil {
		return c, err
	}
	if c.Stride, err = intField(op, "Stride"); err != nil {
		return c, err
	}
	c.Pad, err = intField(op, "Pad")
	return c, err
}

// lowerLayers lowers the custom ops of package layers: the exported ones by
// type, the unexported ones by type name and reflection of their fields.
func lowerLayers(name string, op G.Op, n *G.Node, in []*G.Node) (lowered, error) {
	switch o := op.(type) {
	case layers.Conv2DOp:
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		return instr(Instr{Kind: KindConv2D, In: []int{0, 1}, Conv: Conv{Kernel: o.Kernel, Stride: o.Stride, Pad: o.Pad}}), nil
	case layers.ConvTranspose2DOp:
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		c := Conv{Kernel: o.Kernel, Stride: o.Stride, Pad: o.Pad, OutPadH: o.OutPadH, OutPadW: o.OutPadW}
		return instr(Instr{Kind: KindConvTranspose2D, In: []int{0, 1}, Conv: c}), nil
	case *layers.BCELogitsOp:
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		return instr(Instr{Kind: KindBCELogits, In: []int{0, 1}}), nil
	case *layers.BCELogitsGradOp:
		if err := wantInputs(in, 3); err != nil {
			return lowered{}, err
		}
		return instr(Instr{Kind: KindBCELogitsGrad, In: []int{0, 1, 2}}), nil
	}
	switch name {
	case "convFilterGradOp":
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		c, err := convField(op)
		if err != nil {
			return lowered{}, err
		}
		return instr(Instr{Kind: KindConvFilterGrad, In: []int{0, 1}, Conv: c}), nil
	case "matMulOp":
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		tA, err := boolField(op, "tA")
		if err != nil {
			return lowered{}, err
		}
		tB, err := boolField(op, "tB")
		if err != nil {
			return lowered{}, err
		}
		return matMul(n, in, tA, tB)
	case "biasActOp":
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		a, err := actField(op)
		if err != nil {
			return lowered{}, err
		}
		if in[0].Dims() < 2 || in[1].Dims() != 1 || in[1].Shape()[0] != in[0].Shape()[1] {
			return lowered{}, fmt.Errorf("bias %v does not fit axis 1 of %v", in[1].Shape(), in[0].Shape())
		}
		return instr(Instr{Kind: KindBiasAct, In: []int{0, 1}, Act: a}), nil
	case "biasGradOp":
		if err := wantInputs(in, 1); err != nil {
			return lowered{}, err
		}
		if in[0].Dims() < 2 {
			return lowered{}, fmt.Errorf("input %v has fewer than 2 dimensions", in[0].Shape())
		}
		return instr(Instr{Kind: KindBiasGrad, In: []int{0}}), nil
	case "actOp":
		if err := wantInputs(in, 1); err != nil {
			return lowered{}, err
		}
		a, err := actField(op)
		if err != nil {
			return lowered{}, err
		}
		u := map[Act]Unary{ActReLU: ReLU, ActSigmoid: Sigmoid, ActTanh: Tanh}[a]
		if a == Linear {
			return viewOf(0), nil
		}
		return instr(Instr{Kind: KindUnary, In: []int{0}, Unary: u}), nil
	case "actGradOp":
		if err := wantInputs(in, 2); err != nil {
			return lowered{}, err
		}
		a, err := actField(op)
		if err != nil {
			return lowered{}, err
		}
		return instr(Instr{Kind: KindActGrad, In: []int{0, 1}, Act: a}), nil
	case "reshapeOp":
		if err := wantInputs(in, 1); err != nil {
			return lowered{}, err
		}
		return viewOf(0), nil
	}
	return lowered{}, fmt.Errorf("unsupported op")
}

// matMul lowers a 2-D product op(a)·op(b) with shapes from the nodes.
func matMul(n *G.Node, in []*G.Node, tA, tB bool) (lowered, error) {
	as, bs := in[0].Shape(), in[1].Shape()
	if as.Dims() != 2 || bs.Dims() != 2 {
		return lowered{}, fmt.Errorf("matrix product of %v and %v", as, bs)
	}
	m, k := as[0], as[1]
	if tA {
		m, k = k, m
	}
	kb, nn := bs[0], bs[1]
	if tB {
		kb, nn = nn, kb
	}
	if k != kb || numel(n.Shape()) != m*nn {
		return lowered{}, fmt.Errorf("product of %v and %v (tA=%v, tB=%v) does not give %v", as, bs, tA, tB, n.Shape())
	}
	return instr(Instr{Kind: KindMatMul, In: []int{0, 1}, MatMul: MatMul{Batch: 1, M: m, N: nn, K: k, TransA: tA, TransB: tB}}), nil
}
