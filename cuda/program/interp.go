package program

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Machine runs a Program on the CPU with the reference kernels of this
// package: the semantics the device kernels are tested against.
type Machine struct {
	P     *Program
	Arena []float32
}

// NewMachine returns a machine whose arena is filled with NaN, so that a
// value read before it is written poisons the results.
func NewMachine(p *Program) *Machine {
	a := make([]float32, p.ArenaSize)
	nan := float32(math.NaN())
	for i := range a {
		a[i] = nan
	}
	return &Machine{P: p, Arena: a}
}

// Interpret binds p's arguments from the graph's current node values,
// runs p once and returns the machine holding the results.
func Interpret(p *Program) (*Machine, error) {
	m := NewMachine(p)
	if err := m.Bind(); err != nil {
		return nil, err
	}
	if err := m.Exec(); err != nil {
		return nil, err
	}
	return m, nil
}

// Buffer returns value i's storage in the arena.
func (m *Machine) Buffer(i int) []float32 {
	v := m.P.Values[i]
	return m.Arena[v.Offset : v.Offset+v.Size]
}

// Bind copies every argument's current node value and every constant into
// the arena.
func (m *Machine) Bind() error {
	for i, v := range m.P.Values {
		if v.Dead {
			continue
		}
		switch v.Role {
		case Arg:
			d, err := ArgData(v)
			if err != nil {
				return fmt.Errorf("program: bind %w", err)
			}
			copy(m.Buffer(i), d)
		case Const:
			copy(m.Buffer(i), v.Data)
		}
	}
	return nil
}

// Exec runs every instruction once, in order.
func (m *Machine) Exec() error {
	for _, in := range m.P.Instrs {
		if err := m.exec(in); err != nil {
			return fmt.Errorf("program: %v (node %q): %w", in, in.Node.Name(), err)
		}
	}
	return nil
}

// Value returns the data of n's value (aliasing the arena; int32 values
// bitwise, see Int32sOf).
func (m *Machine) Value(n *G.Node) ([]float32, error) {
	i, ok := m.P.byNode[n]
	if !ok || m.P.Values[i].Dead {
		return nil, fmt.Errorf("program: node %q has no live value", n.Name())
	}
	return m.Buffer(i), nil
}

// Grad returns the gradient of param (aliasing the arena).
func (m *Machine) Grad(param *G.Node) ([]float32, error) {
	for _, g := range m.P.Grads {
		if g.Param == param {
			return m.Buffer(g.Value), nil
		}
	}
	return nil, fmt.Errorf("program: parameter %q has no gradient", param.Name())
}

// exec runs one instruction on the arena.
func (m *Machine) exec(in Instr) error {
	args := make([][]float32, len(in.In))
	for i, v := range in.In {
		args[i] = m.Buffer(v)
	}
	return run(m.P.Values, in, m.Buffer(in.Out), args)
}

// run computes out from args, the data of in's inputs, with the reference
// kernels; vals gives the shapes.
func run(vals []Value, in Instr, out []float32, args [][]float32) error {
	x := args[0]
	switch in.Kind {
	case KindUnary:
		f, ok := unaryFuncs[in.Unary]
		if !ok {
			return fmt.Errorf("unknown unary %v", in.Unary)
		}
		for i := range out {
			out[i] = f(x[i])
		}
	case KindBinary:
		f, ok := binaryFuncs[in.Binary]
		if !ok {
			return fmt.Errorf("unknown binary %v", in.Binary)
		}
		a, b := args[0], args[1]
		for i := range out {
			out[i] = f(at(a, i), at(b, i))
		}
	case KindMatMul:
		refMatMul(in.MatMul, out, args[0], args[1])
	case KindBiasAct:
		n, c, inner := layout(vals[in.In[0]].Shape)
		refBiasAct(in.Act, out, x, args[1], n, c, inner)
	case KindBiasGrad:
		n, c, inner := layout(vals[in.In[0]].Shape)
		refBiasGrad(out, x, n, c, inner)
	case KindActGrad:
		refActGrad(in.Act, out, x, args[1])
	case KindConv2D:
		refConv2D(in.Conv, vals[in.In[0]].Shape, vals[in.In[1]].Shape, out, x, args[1])
	case KindConvTranspose2D:
		refConvTranspose2D(in.Conv, vals[in.In[0]].Shape, vals[in.Out].Shape, out, x, args[1])
	case KindConvFilterGrad:
		refConvFilterGrad(in.Conv, vals[in.In[0]].Shape, vals[in.In[1]].Shape, out, x, args[1])
	case KindBCELogits:
		refBCELogits(out, x, args[1])
	case KindBCELogitsGrad:
		refBCELogitsGrad(out, x, args[1], args[2])
	case KindSum, KindMax:
		refReduce(in.Kind == KindMax, vals[in.In[0]].Shape, in.Axes, out, x)
	case KindRepeat:
		refRepeat(in.Repeat, out, x)
	case KindTranspose:
		refTranspose(vals[in.In[0]].Shape, in.Perm, out, x)
	case KindGather:
		return refGather(out, x, Int32sOf(args[1]))
	case KindScatterAdd:
		return refScatterAdd(out, Int32sOf(x), args[1])
	case KindSoftmaxXent:
		return refSoftmaxXent(out, x, Int32sOf(args[1]))
	case KindSoftmaxXentGrad:
		return refSoftmaxXentGrad(out, x, Int32sOf(args[1]), args[2])
	case KindTargetProb:
		for i, l := range x {
			out[i] = float32(math.Exp(-f64(l)))
		}
	case KindLSTMForward:
		refLSTMForward(in.LSTM, out, x, args[1], args[2], args[3])
	case KindLSTMBackward:
		refLSTMBackward(in.LSTM, out, x, args[1], args[2], args[3], args[4])
	case KindSegment:
		copy(out, x[in.Offset:in.Offset+len(out)])
	case KindSlice:
		refSlice(vals[in.In[0]].Shape, in.Axis, in.Start, in.Stop, out, x)
	case KindSliceAdd:
		refSliceAdd(vals[in.Out].Shape, in.Axis, in.Start, in.Stop, out, x)
	case KindConcat:
		shapes := make([]tensor.Shape, len(in.In))
		for i, v := range in.In {
			shapes[i] = vals[v].Shape
		}
		refConcat(vals[in.Out].Shape, in.Axis, shapes, out, args)
	default:
		return fmt.Errorf("unknown kind %v", in.Kind)
	}
	return nil
}
