package exec

import "fmt"

// checkSlice checks the range of slice_axis_f32 and slice_axis_add_f32.
func checkSlice(length, start, count, step int) error {
	if step < 1 || start < 0 || count < 0 || (count > 0 && start+(count-1)*step >= length) {
		return fmt.Errorf("slice start %d count %d step %d of an axis of %d", start, count, step, length)
	}
	return nil
}

// SliceAxis is slice_axis_f32: y[o, j, k] = x[o, start + j·step, k].
func (c *CPUBackend) SliceAxis(y, x Buf, outer, length, inner, start, count, step int) error {
	if err := checkSlice(length, start, count, step); err != nil {
		return err
	}
	yv, err := c.view(y, outer*count*inner)
	if err != nil {
		return err
	}
	xv, err := c.view(x, outer*length*inner)
	if err != nil {
		return err
	}
	for o := range outer {
		for j := range count {
			for k := range inner {
				yv[(o*count+j)*inner+k] = xv[(o*length+start+j*step)*inner+k]
			}
		}
	}
	return nil
}

// SliceAxisAdd is slice_axis_add_f32: dx[o, start + j·step, k] +=
// dy[o, j, k].
func (c *CPUBackend) SliceAxisAdd(dx, dy Buf, outer, length, inner, start, count, step int) error {
	if err := checkSlice(length, start, count, step); err != nil {
		return err
	}
	dyv, err := c.view(dy, outer*count*inner)
	if err != nil {
		return err
	}
	dxv, err := c.view(dx, outer*length*inner)
	if err != nil {
		return err
	}
	for o := range outer {
		for j := range count {
			for k := range inner {
				at := (o*length+start+j*step)*inner + k
				dxv[at] = dxv[at] + dyv[(o*count+j)*inner+k]
			}
		}
	}
	return nil
}

// ConcatAxis is concat_axis_f32: y[o, offset + j, k] = x[o, j, k].
func (c *CPUBackend) ConcatAxis(y, x Buf, outer, ylen, xlen, inner, offset int) error {
	if offset < 0 || xlen < 0 || offset+xlen > ylen {
		return fmt.Errorf("concat of %d values at %d of an axis of %d", xlen, offset, ylen)
	}
	yv, err := c.view(y, outer*ylen*inner)
	if err != nil {
		return err
	}
	xv, err := c.view(x, outer*xlen*inner)
	if err != nil {
		return err
	}
	for o := range outer {
		copy(yv[(o*ylen+offset)*inner:(o*ylen+offset+xlen)*inner], xv[o*xlen*inner:(o+1)*xlen*inner])
	}
	return nil
}
