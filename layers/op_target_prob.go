package layers

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var _ G.SDOp = TargetProbOp{}

// TargetProb turns the per-row losses [N] of SoftmaxCrossEntropy into the
// probabilities the model gave the targets, p = exp(-loss) [N] (1 for
// ignored rows), e.g. to score surprise as 1 - p. It is meant for eval
// graphs and has no gradient.
func TargetProb(loss *G.Node) (*G.Node, error) {
	if loss.Dims() != 1 {
		return nil, fmt.Errorf("layers: TargetProb: loss has shape %v, want [N]", loss.Shape())
	}
	p, err := G.ApplyOp(TargetProbOp{}, loss)
	if err != nil {
		return nil, fmt.Errorf("layers: TargetProb: %w", err)
	}
	return p, nil
}

// TargetProbs writes exp(-loss[i]) to dst[i], the host-side TargetProb.
func TargetProbs(dst, loss []float32) {
	for i, l := range loss[:len(dst)] {
		dst[i] = float32(math.Exp(-float64(l)))
	}
}

// TargetProbOp is the op of TargetProb: loss [N] float32 -> exp(-loss) [N].
type TargetProbOp struct{}

// Arity is 1.
func (op TargetProbOp) Arity() int { return 1 }

// Type is Vector a -> Vector a.
func (op TargetProbOp) Type() hm.Type {
	v := G.TensorType{Dims: 1, Of: hm.TypeVariable('a')}
	return hm.NewFnType(v, v)
}

// InferShape is the input's shape.
func (op TargetProbOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 1)
	if err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

// Do computes the probabilities.
func (op TargetProbOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 1 {
		return nil, fmt.Errorf("%v: got %d inputs, want 1", op, len(v))
	}
	l, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	t, p := newFloat32(len(l))
	TargetProbs(p, l)
	return t, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op TargetProbOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op TargetProbOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op TargetProbOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name.
func (op TargetProbOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "vigil.TargetProb") }

// Hashcode is the FNV-32a hash of WriteHash.
func (op TargetProbOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op TargetProbOp) String() string { return "TargetProb" }

// DiffWRT is false: the op only scores.
func (op TargetProbOp) DiffWRT(int) []bool { return []bool{false} }

// SymDiff is an error: the op has no gradient.
func (op TargetProbOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("%v: not differentiable", op)
}
