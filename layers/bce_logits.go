package layers

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BCEWithLogits returns the per-example mean binary cross-entropy between
// sigmoid(logits) and target, both [N, ...] with targets in [0, 1]: a vector
// [N] with out[n] = mean_i softplus(l) - t*l. It is one fused op (forward and
// gradient in single passes), numerically stable for any logit, and equal to
// Keras/PyTorch BCE on sigmoid outputs.
func BCEWithLogits(logits, target *G.Node) (*G.Node, error) {
	if !logits.Shape().Eq(target.Shape()) {
		return nil, fmt.Errorf("layers: BCEWithLogits: logits %v and target %v differ in shape", logits.Shape(), target.Shape())
	}
	if logits.Dims() < 2 {
		return nil, fmt.Errorf("layers: BCEWithLogits: want [N, ...] inputs, got %v", logits.Shape())
	}
	out, err := G.ApplyOp(&BCELogitsOp{Dims: logits.Dims()}, logits, target)
	if err != nil {
		return nil, fmt.Errorf("layers: BCEWithLogits: %w", err)
	}
	return out, nil
}

// BCELogitsOp is the forward op of BCEWithLogits: (logits, target) -> [N].
type BCELogitsOp struct{ Dims int }

// Arity is 2: logits and target.
func (op *BCELogitsOp) Arity() int { return 2 }

// Type is a -> a -> vector.
func (op *BCELogitsOp) Type() hm.Type {
	t := G.TensorType{Dims: op.Dims, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, G.TensorType{Dims: 1, Of: hm.TypeVariable('a')})
}

// InferShape is [N].
func (op *BCELogitsOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("BCELogitsOp: shape of %T", in[0])
	}
	return tensor.Shape{s[0]}, nil
}

// Do computes the per-example losses.
func (op *BCELogitsOp) Do(in ...G.Value) (G.Value, error) {
	l, t, err := bceInputs(op, in[0], in[1])
	if err != nil {
		return nil, err
	}
	n := in[0].Shape()[0]
	d := len(l) / n
	res, out := newFloat32(n)
	for e := 0; e < n; e++ {
		var s float64
		for i := e * d; i < (e+1)*d; i++ {
			x := float64(l[i])
			// softplus(x) - t*x, stable: max(x,0) + log1p(exp(-|x|)) - t*x
			s += math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) - float64(t[i])*x
		}
		out[e] = float32(s / float64(d))
	}
	return res, nil
}

// bceInputs returns the logits and targets of op, which must have one shape.
func bceInputs(op fmt.Stringer, logits, target G.Value) ([]float32, []float32, error) {
	l, err := float32Input(op, 0, logits, nil)
	if err != nil {
		return nil, nil, err
	}
	t, err := float32Input(op, 1, target, logits.Shape())
	if err != nil {
		return nil, nil, err
	}
	return l, t, nil
}

// ReturnsPtr is false.
func (op *BCELogitsOp) ReturnsPtr() bool { return false }

// CallsExtern is false.
func (op *BCELogitsOp) CallsExtern() bool { return false }

// OverwritesInput is -1: inputs are never overwritten.
func (op *BCELogitsOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's identity.
func (op *BCELogitsOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "BCELogits{%d}", op.Dims) }

// Hashcode hashes the op's identity.
func (op *BCELogitsOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op *BCELogitsOp) String() string { return "BCEWithLogits" }

// DiffWRT: differentiable in the logits only.
func (op *BCELogitsOp) DiffWRT(int) []bool { return []bool{true, false} }

// SymDiff returns d loss / d logits = (sigmoid(l) - t) * grad[n] / D.
func (op *BCELogitsOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(&BCELogitsGradOp{Dims: op.Dims}, in[0], in[1], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{g, nil}, nil
}

// BCELogitsGradOp is the gradient of BCELogitsOp with respect to the logits.
type BCELogitsGradOp struct{ Dims int }

// Arity is 3: logits, target and the output gradient [N].
func (op *BCELogitsGradOp) Arity() int { return 3 }

// Type is a -> a -> vector -> a.
func (op *BCELogitsGradOp) Type() hm.Type {
	t := G.TensorType{Dims: op.Dims, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, G.TensorType{Dims: 1, Of: hm.TypeVariable('a')}, t)
}

// InferShape is the logits' shape.
func (op *BCELogitsGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("BCELogitsGradOp: shape of %T", in[0])
	}
	return s.Clone(), nil
}

// Do computes the gradient.
func (op *BCELogitsGradOp) Do(in ...G.Value) (G.Value, error) {
	l, t, err := bceInputs(op, in[0], in[1])
	if err != nil {
		return nil, err
	}
	n := in[0].Shape()[0]
	g, err := float32Input(op, 2, in[2], tensor.Shape{n})
	if err != nil {
		return nil, err
	}
	d := len(l) / n
	res, out := newFloat32(in[0].Shape()...)
	for e := 0; e < n; e++ {
		scale := g[e] / float32(d)
		for i := e * d; i < (e+1)*d; i++ {
			s := 1 / (1 + float32(math.Exp(-float64(l[i]))))
			out[i] = (s - t[i]) * scale
		}
	}
	return res, nil
}

// ReturnsPtr is false.
func (op *BCELogitsGradOp) ReturnsPtr() bool { return false }

// CallsExtern is false.
func (op *BCELogitsGradOp) CallsExtern() bool { return false }

// OverwritesInput is -1.
func (op *BCELogitsGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's identity.
func (op *BCELogitsGradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "BCELogitsGrad{%d}", op.Dims) }

// Hashcode hashes the op's identity.
func (op *BCELogitsGradOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op *BCELogitsGradOp) String() string { return "BCEWithLogitsGrad" }
