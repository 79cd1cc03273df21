package program

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Lowering is how one op node lowers: an instruction, a constant or a view
// of one of its inputs. Build one with Instruction, Constant or ViewOf.
type Lowering struct {
	instr *Instr // Out and Node are filled in by Lower; In indexes the node's children
	data  []float32
	view  int // index into the node's children, -1 if none
}

// Instruction lowers a node to in, whose In indexes the node's children.
func Instruction(in Instr) Lowering { return Lowering{instr: &in, view: -1} }

// Constant lowers a node to fixed values.
func Constant(d []float32) Lowering { return Lowering{data: d, view: -1} }

// ViewOf lowers a node to a view of child's storage (same size, any shape).
func ViewOf(child int) Lowering { return Lowering{view: child} }

// Lowerer is implemented by ops that lower themselves: every op of package
// layers. Lower receives the op's node and its inputs in order and returns
// its lowering; n's shape and dtype are already checked by Lower.
type Lowerer interface {
	Lower(n *G.Node, in []*G.Node) (Lowering, error)
}

// lowerOp lowers one op node: an op that is a Lowerer lowers itself,
// gorgonia's built-ins lower by the table of lower_gorgonia.go.
func lowerOp(n *G.Node, in []*G.Node) (Lowering, error) {
	if l, ok := n.Op().(Lowerer); ok {
		return l.Lower(n, in)
	}
	if f, ok := gorgoniaOp(n.Op()); ok {
		return f(n.Op(), n, in)
	}
	return Lowering{}, fmt.Errorf("unsupported op: it is neither a program.Lowerer nor one of gorgonia's built-ins in the lowering table")
}

// WantInputs checks the number of a node's inputs.
func WantInputs(in []*G.Node, n int) error {
	if len(in) != n {
		return fmt.Errorf("%d inputs, want %d", len(in), n)
	}
	return nil
}

// actByName maps activation names (layers.Activation) to Act.
var actByName = map[string]Act{"": Linear, "linear": Linear, "relu": ActReLU, "sigmoid": ActSigmoid, "tanh": ActTanh}

// ActNamed returns the Act of an activation name: "", linear, relu,
// sigmoid or tanh.
func ActNamed(name string) (Act, error) {
	a, ok := actByName[name]
	if !ok {
		return 0, fmt.Errorf("unknown activation %q", name)
	}
	return a, nil
}

// UnaryOf is the Unary instruction of a nonlinear activation.
func UnaryOf(a Act) (Unary, bool) {
	u, ok := map[Act]Unary{ActReLU: ReLU, ActSigmoid: Sigmoid, ActTanh: Tanh}[a]
	return u, ok
}

// MatMulOf lowers a 2-D product op(a)·op(b) with shapes from the nodes.
func MatMulOf(n *G.Node, in []*G.Node, tA, tB bool) (Lowering, error) {
	as, bs := in[0].Shape(), in[1].Shape()
	if as.Dims() != 2 || bs.Dims() != 2 {
		return Lowering{}, fmt.Errorf("matrix product of %v and %v", as, bs)
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
		return Lowering{}, fmt.Errorf("product of %v and %v (tA=%v, tB=%v) does not give %v", as, bs, tA, tB, n.Shape())
	}
	return Instruction(Instr{Kind: KindMatMul, In: []int{0, 1}, MatMul: MatMul{Batch: 1, M: m, N: nn, K: k, TransA: tA, TransB: tB}}), nil
}
