package layers

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var _ Layer = (*Embedding)(nil)

// Embedding maps int32 ids in [0, Vocab) to rows of a table W [Vocab, Dim]:
// ids of shape S give vectors of shape S+[Dim] (a GatherOp). The table's
// gradient is a ScatterAddOp; rows of ids absent from a batch get zero.
// Build it with NewEmbedding.
type Embedding struct {
	W          *graph.Param
	Vocab, Dim int
}

// NewEmbedding registers name+".W" [vocab, dim] drawn from N(0, 1), as
// PyTorch's nn.Embedding. It returns an error for non-positive sizes or a
// name already registered.
func NewEmbedding(reg *graph.Registry, name string, vocab, dim int, rng *rand.Rand) (*Embedding, error) {
	if vocab < 1 || dim < 1 {
		return nil, fmt.Errorf("layers: embedding %q: sizes %dx%d must be positive", name, vocab, dim)
	}
	w, err := reg.Add(name+".W", []int{vocab, dim}, graph.Normal(1), rng)
	if err != nil {
		return nil, fmt.Errorf("layers: embedding %q: %w", name, err)
	}
	return &Embedding{W: w, Vocab: vocab, Dim: dim}, nil
}

// Forward returns the rows of W at ids, an int32 node of any rank >= 1
// (e.g. [T, B] giving [T, B, Dim]). Ids outside [0, Vocab) are reported
// when the graph runs.
func (e *Embedding) Forward(b *graph.Builder, ids *G.Node) (*G.Node, error) {
	if ids.Dtype() != tensor.Int32 || ids.Dims() < 1 {
		return nil, fmt.Errorf("layers: %s: ids %q are %v of shape %v, want int32 with at least 1 dimension", e.Describe(), ids.Name(), ids.Dtype(), ids.Shape())
	}
	y, err := G.ApplyOp(GatherOp{IdsDims: ids.Dims()}, b.Param(e.W), ids)
	if err != nil {
		return nil, fmt.Errorf("layers: %s: %w", e.Describe(), err)
	}
	return y, nil
}

// Params returns W.
func (e *Embedding) Params() []*graph.Param { return []*graph.Param{e.W} }

// Describe is e.g. "Embedding 341x32".
func (e *Embedding) Describe() string { return fmt.Sprintf("Embedding %dx%d", e.Vocab, e.Dim) }
