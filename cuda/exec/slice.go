package exec

import (
	"fmt"

	"github.com/vigil-ml/vigil/cuda/program"
	"gorgonia.org/tensor"
)

// axisLayout views shape s around axis as [outer, s[axis], inner].
func axisLayout(s tensor.Shape, axis int) (outer, length, inner int, err error) {
	if axis < 0 || axis >= s.Dims() {
		return 0, 0, 0, fmt.Errorf("axis %d of shape %v", axis, s)
	}
	outer, inner = 1, 1
	for a, d := range s {
		switch {
		case a < axis:
			outer *= d
		case a > axis:
			inner *= d
		}
	}
	return outer, s[axis], inner, nil
}

// sliceConcat compiles KindSlice (SliceAxis), KindSliceAdd (Fill with
// zeros, SliceAxisAdd) and KindConcat (one ConcatAxis per input).
func (c *compiler) sliceConcat(in program.Instr) error {
	out := c.buf(in.Out)
	big := c.p.Values[in.Out].Shape // the tensor whose axis is sliced or joined
	if in.Kind == program.KindSlice {
		big = c.p.Values[in.In[0]].Shape
	}
	outer, length, inner, err := axisLayout(big, in.Axis)
	if err != nil {
		return err
	}
	start, count := in.Start, in.Stop-in.Start
	switch in.Kind {
	case program.KindSlice:
		x := c.buf(in.In[0])
		c.emit("slice_axis", func(b Backend) error { return b.SliceAxis(out, x, outer, length, inner, start, count, 1) },
			out, x, outer, length, inner, start, count, 1)
	case program.KindSliceAdd:
		g, n := c.buf(in.In[0]), out.Len
		c.emit("fill", func(b Backend) error { return b.Fill(out, n, 0) }, out, n, 0)
		c.emit("slice_axis_add", func(b Backend) error { return b.SliceAxisAdd(out, g, outer, length, inner, start, count, 1) },
			out, g, outer, length, inner, start, count, 1)
	case program.KindConcat:
		off := 0
		for _, v := range in.In {
			x, xs := c.buf(v), c.p.Values[v].Shape
			if xs.Dims() != big.Dims() {
				return fmt.Errorf("input of shape %v", xs)
			}
			xlen, at := xs[in.Axis], off
			c.emit("concat_axis", func(b Backend) error { return b.ConcatAxis(out, x, outer, length, xlen, inner, at) },
				out, x, outer, length, xlen, inner, at)
			off += xlen
		}
	default:
		return fmt.Errorf("unknown kind %v", in.Kind)
	}
	return nil
}
