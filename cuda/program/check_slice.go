package program

import "gorgonia.org/tensor"

// axisLayout views shape s around axis as [outer, s[axis], inner].
func axisLayout(s tensor.Shape, axis int) (outer, length, inner int) {
	outer, inner = 1, 1
	for a, d := range s {
		switch {
		case a < axis:
			outer *= d
		case a > axis:
			inner *= d
		}
	}
	return outer, s[axis], inner
}

// checkSliceConcat verifies the shapes of KindSlice, KindSliceAdd and
// KindConcat.
func checkSliceConcat(vals []Value, in Instr) bool {
	out := vals[in.Out]
	switch in.Kind {
	case KindSlice:
		return isSliceOf(out.Shape, vals[in.In[0]].Shape, in.Axis, in.Start, in.Stop)
	case KindSliceAdd:
		return isSliceOf(vals[in.In[0]].Shape, out.Shape, in.Axis, in.Start, in.Stop)
	case KindConcat:
		shapes := make([]tensor.Shape, len(in.In))
		for i, v := range in.In {
			shapes[i] = vals[v].Shape
		}
		return isConcatOf(out.Shape, shapes, in.Axis)
	}
	return false
}
