package program

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sliceRange checks the range r (nil for all) of axis of shape s and
// returns its positions [start, stop). Only step 1 is supported (any step
// for a single position).
func sliceRange(axis int, r tensor.Slice, s tensor.Shape) (start, stop int, err error) {
	if axis < 0 || axis >= s.Dims() {
		return 0, 0, fmt.Errorf("slice of axis %d of shape %v", axis, s)
	}
	n := s[axis]
	if r == nil {
		return 0, n, nil
	}
	start, stop = r.Start(), min(r.End(), n)
	if start < 0 || start >= stop {
		return 0, 0, fmt.Errorf("slice %d:%d of an axis of %d is not supported (empty or negative)", r.Start(), r.End(), n)
	}
	if step := r.Step(); step != 1 && stop-start > 1 {
		return 0, 0, fmt.Errorf("slice with step %d is not supported (only step 1)", step)
	}
	return start, stop, nil
}

// sliceShape is s with axis cut to n positions, or removed when n is 1
// (gorgonia drops a sliced axis of length 1).
func sliceShape(s tensor.Shape, axis, n int) (kept, dropped tensor.Shape) {
	kept = append(tensor.Shape(nil), s...)
	kept[axis] = n
	dropped = append(append(tensor.Shape(nil), s[:axis]...), s[axis+1:]...)
	return kept, dropped
}

// isSliceOf reports whether small has the shape of positions [start, stop)
// of axis of big.
func isSliceOf(small, big tensor.Shape, axis, start, stop int) bool {
	if axis < 0 || axis >= big.Dims() || start < 0 || start >= stop || stop > big[axis] {
		return false
	}
	kept, dropped := sliceShape(big, axis, stop-start)
	return small.Eq(kept) || (stop-start == 1 && small.Eq(dropped))
}

// lowerSlice lowers gorgonia's sliceOp of range r of axis: all of the axis
// is a view, a part of it KindSlice.
func lowerSlice(axis int, r tensor.Slice, n *G.Node, in []*G.Node) (Lowering, error) {
	if err := WantInputs(in, 1); err != nil {
		return Lowering{}, err
	}
	s := in[0].Shape()
	start, stop, err := sliceRange(axis, r, s)
	if err != nil {
		return Lowering{}, err
	}
	if !isSliceOf(n.Shape(), s, axis, start, stop) {
		return Lowering{}, fmt.Errorf("slice %d:%d of axis %d of %v does not give %v", start, stop, axis, s, n.Shape())
	}
	if start == 0 && stop == s[axis] {
		return ViewOf(0), nil
	}
	return Instruction(Instr{Kind: KindSlice, In: []int{0}, Axis: axis, Start: start, Stop: stop}), nil
}

// lowerSliceIncr lowers gorgonia's sliceIncrOp(x, g) of range r of axis,
// the gradient of a slice, to KindSliceAdd of g: as the op's Do (a fresh
// zero tensor of x's shape incremented by g in the slice), the values of x
// are not read. All of the axis is a view of g.
func lowerSliceIncr(axis int, r tensor.Slice, n *G.Node, in []*G.Node) (Lowering, error) {
	if err := WantInputs(in, 2); err != nil {
		return Lowering{}, err
	}
	s := in[0].Shape()
	start, stop, err := sliceRange(axis, r, s)
	if err != nil {
		return Lowering{}, err
	}
	if !n.Shape().Eq(s) || !isSliceOf(in[1].Shape(), s, axis, start, stop) {
		return Lowering{}, fmt.Errorf("increment %v of slice %d:%d of axis %d of %v giving %v", in[1].Shape(), start, stop, axis, s, n.Shape())
	}
	if start == 0 && stop == s[axis] {
		return ViewOf(1), nil
	}
	return Instruction(Instr{Kind: KindSliceAdd, In: []int{1}, Axis: axis, Start: start, Stop: stop}), nil
}

// lowerConcat lowers gorgonia's concatOp along axis to KindConcat (a
// single input is a view).
func lowerConcat(axis int, n *G.Node, in []*G.Node) (Lowering, error) {
	if len(in) == 0 {
		return Lowering{}, fmt.Errorf("concatenation of no inputs")
	}
	shapes := make([]tensor.Shape, len(in))
	idx := make([]int, len(in))
	for i, c := range in {
		shapes[i], idx[i] = c.Shape(), i
	}
	if !isConcatOf(n.Shape(), shapes, axis) {
		return Lowering{}, fmt.Errorf("concatenation of %v along axis %d does not give %v", shapes, axis, n.Shape())
	}
	if len(in) == 1 {
		return ViewOf(0), nil
	}
	return Instruction(Instr{Kind: KindConcat, In: idx, Axis: axis}), nil
}

// isConcatOf reports whether out is the concatenation of ins along axis.
func isConcatOf(out tensor.Shape, ins []tensor.Shape, axis int) bool {
	if axis < 0 || axis >= out.Dims() || len(ins) == 0 {
		return false
	}
	total := 0
	for _, s := range ins {
		if s.Dims() != out.Dims() || s[axis] < 1 {
			return false
		}
		for a := range s {
			if a != axis && s[a] != out[a] {
				return false
			}
		}
		total += s[axis]
	}
	return total == out[axis]
}
