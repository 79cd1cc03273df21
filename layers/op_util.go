package layers

import (
	"fmt"
	"hash"
	"hash/fnv"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// float32Input returns the row-major data of a float32 dense value (a copy
// for a strided or transposed view), checking its shape when want is
// non-nil.
func float32Input(op fmt.Stringer, i int, v G.Value, want tensor.Shape) ([]float32, error) {
	t, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%v: input %d is %T, want *tensor.Dense", op, i, v)
	}
	if t.RequiresIterator() {
		if t, ok = t.Materialize().(*tensor.Dense); !ok {
			return nil, fmt.Errorf("%v: input %d cannot be made contiguous", op, i)
		}
	}
	d, ok := t.Data().([]float32)
	if !ok {
		return nil, fmt.Errorf("%v: input %d holds %v, want float32", op, i, t.Dtype())
	}
	if want != nil && !t.Shape().Eq(want) {
		return nil, fmt.Errorf("%v: input %d has shape %v, want %v", op, i, t.Shape(), want)
	}
	return d[:t.Shape().TotalSize()], nil
}

// newFloat32 allocates a float32 tensor of the given shape and returns it
// with its backing slice.
func newFloat32(shape ...int) (*tensor.Dense, []float32) {
	d := make([]float32, tensor.Shape(shape).TotalSize())
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d)), d
}

// inputShapes converts gorgonia's shape arguments, checking their count and ranks.
func inputShapes(op fmt.Stringer, in []G.DimSizer, dims ...int) ([]tensor.Shape, error) {
	if len(in) != len(dims) {
		return nil, fmt.Errorf("%v: got %d input shapes, want %d", op, len(in), len(dims))
	}
	out := make([]tensor.Shape, len(in))
	for i, ds := range in {
		s, ok := ds.(tensor.Shape)
		if !ok {
			return nil, fmt.Errorf("%v: input %d shape is %T, want tensor.Shape", op, i, ds)
		}
		if s.Dims() != dims[i] {
			return nil, fmt.Errorf("%v: input %d has shape %v, want %d dimensions", op, i, s, dims[i])
		}
		out[i] = s
	}
	return out, nil
}

// hashOf is the FNV-32a hash of what an op's WriteHash writes.
func hashOf(write func(hash.Hash)) uint32 {
	h := fnv.New32a()
	write(h)
	return h.Sum32()
}

// int32Input returns the row-major data of an int32 dense value (a copy
// for a strided view), checking its shape when want is non-nil.
func int32Input(op fmt.Stringer, i int, v G.Value, want tensor.Shape) ([]int32, error) {
	t, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%v: input %d is %T, want *tensor.Dense", op, i, v)
	}
	if t.RequiresIterator() {
		if t, ok = t.Materialize().(*tensor.Dense); !ok {
			return nil, fmt.Errorf("%v: input %d cannot be made contiguous", op, i)
		}
	}
	d, ok := t.Data().([]int32)
	if !ok {
		return nil, fmt.Errorf("%v: input %d holds %v, want int32", op, i, t.Dtype())
	}
	if want != nil && !t.Shape().Eq(want) {
		return nil, fmt.Errorf("%v: input %d has shape %v, want %v", op, i, t.Shape(), want)
	}
	return d[:t.Shape().TotalSize()], nil
}
