package layers

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.SDOp = SoftmaxXentOp{}
	_ G.Op   = SoftmaxXentGradOp{}
)

// IgnoreTarget is the target id that SoftmaxXentOp skips: its row has loss
// 0 and gradient 0 (PyTorch's ignore_index, here fixed at -1), e.g. for
// padding.
const IgnoreTarget = -1

// SoftmaxCrossEntropy returns the per-row softmax cross-entropy of logits
// [N, V] against int32 class targets [N]: a vector [N] with
// loss[n] = logsumexp(logits[n, :]) - logits[n, targets[n]], computed
// stably (max-shifted, float64 sums). A target of IgnoreTarget gives loss 0
// and no gradient; other targets outside [0, V) are reported when the
// graph runs. Reduce the vector (e.g. a mean over the rows that count) to
// get F.cross_entropy.
func SoftmaxCrossEntropy(logits, targets *G.Node) (*G.Node, error) {
	ls, ts := logits.Shape(), targets.Shape()
	if ls.Dims() != 2 || ts.Dims() != 1 || ts[0] != ls[0] || targets.Dtype() != tensor.Int32 {
		return nil, fmt.Errorf("layers: SoftmaxCrossEntropy: logits %v and targets %v of %v, want [N, V] and int32 [N]", ls, ts, targets.Dtype())
	}
	out, err := G.ApplyOp(SoftmaxXentOp{}, logits, targets)
	if err != nil {
		return nil, fmt.Errorf("layers: SoftmaxCrossEntropy: %w", err)
	}
	return out, nil
}

// SoftmaxXentOp is the op of SoftmaxCrossEntropy: (logits [N, V] float32,
// targets [N] int32) -> loss [N] float32.
type SoftmaxXentOp struct{}

// xentShapes checks logits [N, V] and targets [N].
func xentShapes(op fmt.Stringer, ls, ts tensor.Shape) error {
	if ls.Dims() != 2 || ts.Dims() != 1 || ts[0] != ls[0] {
		return fmt.Errorf("%v: logits %v and targets %v, want [N, V] and [N]", op, ls, ts)
	}
	return nil
}

// xentInputs returns the logits, the targets (checked against V) and N, V.
func xentInputs(op fmt.Stringer, lv, tv G.Value) (l []float32, t []int32, n, v int, err error) {
	ls := lv.Shape()
	if err = xentShapes(op, ls, tv.Shape()); err != nil {
		return
	}
	if l, err = float32Input(op, 0, lv, nil); err != nil {
		return
	}
	if t, err = int32Input(op, 1, tv, nil); err != nil {
		return
	}
	n, v = ls[0], ls[1]
	for i, c := range t {
		if c != IgnoreTarget && (c < 0 || int(c) >= v) {
			err = fmt.Errorf("%v: target %d of row %d is outside [0, %d) and not %d", op, c, i, v, IgnoreTarget)
			return
		}
	}
	return
}

// Arity is 2: logits and targets.
func (op SoftmaxXentOp) Arity() int { return 2 }

// Type is Matrix a -> Vector int32 -> Vector a.
func (op SoftmaxXentOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: a}, G.TensorType{Dims: 1, Of: tensor.Int32}, G.TensorType{Dims: 1, Of: a})
}

// InferShape is [N].
func (op SoftmaxXentOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 2, 1)
	if err != nil {
		return nil, err
	}
	if err := xentShapes(op, s[0], s[1]); err != nil {
		return nil, err
	}
	return tensor.Shape{s[0][0]}, nil
}

// Do computes the per-row losses.
func (op SoftmaxXentOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(in))
	}
	l, t, n, v, err := xentInputs(op, in[0], in[1])
	if err != nil {
		return nil, err
	}
	res, out := newFloat32(n)
	parallelChunks(n, max(1, elementwiseChunk/v), func(lo, hi int) {
		buf := make([]float32, v)
		for r := lo; r < hi; r++ {
			if t[r] == IgnoreTarget {
				continue
			}
			row := l[r*v : (r+1)*v]
			m, s := softmaxTerms(row, buf)
			out[r] = float32(float64(m) + math.Log(s) - float64(row[t[r]]))
		}
	})
	return res, nil
}

// softmaxTerms writes exp(x - max x) to dst and returns max x and the sum
// of dst in float64.
func softmaxTerms(x, dst []float32) (float32, float64) {
	m := x[0]
	for _, e := range x[1:] {
		m = max(m, e)
	}
	dst = dst[:len(x)]
	for j, e := range x {
		dst[j] = e - m
	}
	vexp(dst)
	var s float64
	for _, p := range dst {
		s += float64(p)
	}
	return m, s
}

// ReturnsPtr is false: the output is a new tensor.
func (op SoftmaxXentOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op SoftmaxXentOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op SoftmaxXentOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name.
func (op SoftmaxXentOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "vigil.SoftmaxXent") }

// Hashcode is the FNV-32a hash of WriteHash.
func (op SoftmaxXentOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op SoftmaxXentOp) String() string { return "SoftmaxXent" }

// DiffWRT: differentiable in the logits only.
func (op SoftmaxXentOp) DiffWRT(int) []bool { return []bool{true, false} }

// SymDiff returns the logits gradient, a SoftmaxXentGradOp.
func (op SoftmaxXentOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(inputs))
	}
	g, err := G.ApplyOp(SoftmaxXentGradOp{}, inputs[0], inputs[1], grad)
	if err != nil {
		return nil, fmt.Errorf("%v: gradient: %w", op, err)
	}
	return G.Nodes{g, nil}, nil
}

// SoftmaxXentGradOp is the logits gradient of SoftmaxXentOp: (logits
// [N, V], targets int32 [N], dLoss [N]) -> dLogits [N, V] with
// dLogits[n, :] = (softmax(logits[n, :]) - onehot(targets[n])) * dLoss[n],
// a zero row where targets[n] is IgnoreTarget.
type SoftmaxXentGradOp struct{}

// Arity is 3: logits, targets and the loss gradient.
func (op SoftmaxXentGradOp) Arity() int { return 3 }

// Type is Matrix a -> Vector int32 -> Vector a -> Matrix a.
func (op SoftmaxXentGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, G.TensorType{Dims: 1, Of: tensor.Int32}, G.TensorType{Dims: 1, Of: a}, m)
}

// InferShape is the logits' shape.
func (op SoftmaxXentGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 2, 1, 1)
	if err != nil {
		return nil, err
	}
	if err := xentShapes(op, s[0], s[1]); err != nil {
		return nil, err
	}
	if !s[2].Eq(s[1]) {
		return nil, fmt.Errorf("%v: loss gradient %v, want %v", op, s[2], s[1])
	}
	return s[0].Clone(), nil
}

// Do computes the gradient.
func (op SoftmaxXentGradOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("%v: got %d inputs, want 3", op, len(in))
	}
	l, t, n, v, err := xentInputs(op, in[0], in[1])
	if err != nil {
		return nil, err
	}
	dl, err := float32Input(op, 2, in[2], tensor.Shape{n})
	if err != nil {
		return nil, err
	}
	res, out := newFloat32(n, v)
	parallelChunks(n, max(1, elementwiseChunk/v), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			if t[r] == IgnoreTarget {
				continue
			}
			o := out[r*v : (r+1)*v]
			_, s := softmaxTerms(l[r*v:(r+1)*v], o)
			scale := float32(float64(dl[r]) / s)
			for j := range o {
				o[j] *= scale
			}
			o[t[r]] -= dl[r]
		}
	})
	return res, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op SoftmaxXentGradOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op SoftmaxXentGradOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op SoftmaxXentGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name.
func (op SoftmaxXentGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "vigil.SoftmaxXentGrad") }

// Hashcode is the FNV-32a hash of WriteHash.
func (op SoftmaxXentGradOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op SoftmaxXentGradOp) String() string { return "SoftmaxXentGrad" }
