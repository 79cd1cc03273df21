package layers

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Flatten reshapes x [N, d1, d2, ...] to [N, d1·d2·...]. A 2-D x is returned
// as is; x with fewer than 2 dimensions is an error.
func Flatten(x *G.Node) (*G.Node, error) {
	s := x.Shape()
	if s.Dims() < 2 {
		return nil, fmt.Errorf("layers: flatten: input %q has shape %v, want at least 2 dimensions", x.Name(), s)
	}
	if s.Dims() == 2 {
		return x, nil
	}
	return Reshape(x, s[0], s.TotalSize()/s[0])
}

// Reshape gives x the given shape with the same number of values, as a
// copy: gorgonia's Reshape returns a view that its in-place optimizations do
// not track, so a later in-place op could corrupt values needed by the
// backward pass. One dimension may be -1 and is then inferred. Mismatched
// sizes and non-positive dimensions (other than a single -1) are errors.
func Reshape(x *G.Node, shape ...int) (*G.Node, error) {
	s := x.Shape()
	to := tensor.Shape(append([]int(nil), shape...))
	infer, known := -1, 1
	for i, d := range to {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 1:
			return nil, fmt.Errorf("layers: reshape %v to %v: invalid dimension %d", s, shape, d)
		default:
			known *= d
		}
	}
	if infer >= 0 {
		if known == 0 || s.TotalSize()%known != 0 {
			return nil, fmt.Errorf("layers: reshape %v to %v: %d values do not divide into the known dimensions", s, shape, s.TotalSize())
		}
		to[infer] = s.TotalSize() / known
	}
	if to.TotalSize() != s.TotalSize() {
		return nil, fmt.Errorf("layers: reshape %v to %v: %d values, want %d", s, shape, s.TotalSize(), to.TotalSize())
	}
	y, err := G.ApplyOp(reshapeOp{from: s.Clone(), to: to}, x)
	if err != nil {
		return nil, fmt.Errorf("layers: reshape %v to %v: %w", s, shape, err)
	}
	return y, nil
}
