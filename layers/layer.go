// Package layers provides the neural-network layers of vigil models as
// builders of gorgonia graph nodes over a graph.Registry's shared
// parameters: Dense, Conv2D, ConvTranspose2D, Dropout, Flatten, Reshape,
// Embedding (int32 ids), a stacked LSTM fused over the whole sequence
// (PyTorch nn.LSTM semantics, time-major), and the fused losses
// BCEWithLogits and SoftmaxCrossEntropy (int32 targets, ignore index).
// They run on custom gorgonia ops with CPU forward and backward passes
// (Conv2DOp, ConvTranspose2DOp, GatherOp, LSTMOp and the others, and
// internal ops for filter gradients, matrix products, fused
// bias-plus-activation and copying reshapes), on a packed single-precision
// GEMM with assembly micro-kernels on amd64 (AVX2/FMA or AVX-512), SIMD
// exp/sigmoid/tanh, and portable fallbacks. Every op lowers itself to the
// device instruction set of cuda/program (lower.go). Images use the NCHW
// layout; values are float32, ids int32. Shape mismatches are reported as
// errors while the graph is built.
package layers

import (
	"fmt"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

// Layer is a graph-building block with trainable parameters.
type Layer interface {
	// Forward adds the layer's computation on x to b's graph.
	Forward(b *graph.Builder, x *G.Node) (*G.Node, error)
	// Params returns the layer's parameters (nil if it has none).
	Params() []*graph.Param
	// Describe is a one-line summary such as "Conv2D 1->32 3x3 s1 p1 relu".
	Describe() string
}

// checkRank returns an error unless x has the given number of dimensions
// and, when axis >= 0, size want along axis.
func checkRank(layer string, x *G.Node, rank, axis, want int) error {
	s := x.Shape()
	if s.Dims() != rank {
		return fmt.Errorf("layers: %s: input %q has shape %v, want %d dimensions", layer, x.Name(), s, rank)
	}
	if axis >= 0 && s[axis] != want {
		return fmt.Errorf("layers: %s: input %q has shape %v, want size %d on axis %d", layer, x.Name(), s, want, axis)
	}
	return nil
}
