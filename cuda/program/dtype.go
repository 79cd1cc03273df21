package program

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// DType is the element type of a value. Every element takes one 4-byte
// arena slot: int32 values are stored bitwise in the float32 arena.
type DType uint8

// The value types: float32 data, and int32 ids and class targets (graph
// inputs from graph.Builder.Int32Input, constants, views of them).
const (
	Float32 DType = iota
	Int32
)

func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Int32:
		return "int32"
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// dtypeOf is the DType of n's values. gorgonia panics on a node without a
// dtype; that is returned as an error.
func dtypeOf(n *G.Node) (dt DType, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("no dtype: %v", r)
		}
	}()
	switch d := n.Dtype(); d {
	case tensor.Float32:
		return Float32, nil
	case tensor.Int32:
		return Int32, nil
	default:
		return 0, fmt.Errorf("dtype %v, want float32 or int32", d)
	}
}

// intInputs lists, per kind, the inputs that are int32.
var intInputs = map[Kind][]int{
	KindGather:          {1},
	KindScatterAdd:      {0},
	KindSoftmaxXent:     {1},
	KindSoftmaxXentGrad: {1},
}

// InputDType is the type input i of the instruction must have; every
// output is float32.
func (in Instr) InputDType(i int) DType {
	for _, k := range intInputs[in.Kind] {
		if k == i {
			return Int32
		}
	}
	return Float32
}

// Int32Bits stores int32 values bitwise as arena words.
func Int32Bits(d []int32) []float32 {
	out := make([]float32, len(d))
	for i, v := range d {
		out[i] = math.Float32frombits(uint32(v))
	}
	return out
}

// Int32sOf reads arena words holding int32 values.
func Int32sOf(w []float32) []int32 {
	out := make([]int32, len(w))
	for i, v := range w {
		out[i] = int32(math.Float32bits(v))
	}
	return out
}

// ArgData returns the current value of argument v's node as arena words:
// float32 values, or int32 values bitwise.
func ArgData(v Value) ([]float32, error) {
	var d []float32
	var err error
	if v.DType == Int32 {
		d, err = int32Words(v.Node.Value())
	} else {
		d, err = float32Data(v.Node.Value())
	}
	if err != nil {
		return nil, fmt.Errorf("%q: %w", v.Node.Name(), err)
	}
	if len(d) != v.Size {
		return nil, fmt.Errorf("%q: %d values, want %d", v.Node.Name(), len(d), v.Size)
	}
	return d, nil
}

// int32Words copies an int32 scalar or tensor value as arena words.
func int32Words(v G.Value) ([]float32, error) {
	switch t := v.(type) {
	case *G.I32:
		return Int32Bits([]int32{int32(*t)}), nil
	case *tensor.Dense:
		if t.RequiresIterator() {
			m, ok := t.Materialize().(*tensor.Dense)
			if !ok {
				return nil, fmt.Errorf("value cannot be made contiguous")
			}
			t = m
		}
		d, ok := t.Data().([]int32)
		if !ok {
			return nil, fmt.Errorf("value holds %T, want int32", t.Data())
		}
		return Int32Bits(d[:numel(t.Shape())]), nil
	case nil:
		return nil, fmt.Errorf("no value")
	}
	return nil, fmt.Errorf("value of type %T", v)
}
