package checkpoints

import (
	"fmt"
	"math"
)

// Tensor is a named float32 tensor in row-major order. A scalar has an empty
// Shape and one value.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// numel returns the product of shape, or an error when a dimension is
// negative or the product exceeds limit.
func numel(shape []int, limit int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("shape %v has a negative dimension", shape)
		}
		if d != 0 && n > limit/d {
			return 0, fmt.Errorf("shape %v has more than %d elements", shape, limit)
		}
		n *= d
	}
	return n, nil
}

// check reports whether t is well formed: a non-empty name and len(Data)
// equal to the product of Shape.
func (t *Tensor) check() error {
	if t.Name == "" {
		return fmt.Errorf("tensor with shape %v has an empty name", t.Shape)
	}
	n, err := numel(t.Shape, math.MaxInt)
	if err != nil {
		return fmt.Errorf("tensor %q: %w", t.Name, err)
	}
	if n != len(t.Data) {
		return fmt.Errorf("tensor %q: shape %v needs %d values, has %d", t.Name, t.Shape, n, len(t.Data))
	}
	return nil
}
