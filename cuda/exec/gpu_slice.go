//go:build gpu

package exec

// SliceAxis is slice_axis_f32.
func (g *GPUBackend) SliceAxis(y, x Buf, outer, length, inner, start, count, step int) error {
	yb, err := g.buf(y, outer*count*inner)
	if err != nil {
		return err
	}
	xb, err := g.buf(x, outer*length*inner)
	if err != nil {
		return err
	}
	return g.S.SliceAxis(yb, xb, outer, length, inner, start, count, step)
}

// SliceAxisAdd is slice_axis_add_f32.
func (g *GPUBackend) SliceAxisAdd(dx, dy Buf, outer, length, inner, start, count, step int) error {
	db, err := g.buf(dx, outer*length*inner)
	if err != nil {
		return err
	}
	yb, err := g.buf(dy, outer*count*inner)
	if err != nil {
		return err
	}
	return g.S.SliceAxisAdd(db, yb, outer, length, inner, start, count, step)
}

// ConcatAxis is concat_axis_f32.
func (g *GPUBackend) ConcatAxis(y, x Buf, outer, ylen, xlen, inner, offset int) error {
	yb, err := g.buf(y, outer*ylen*inner)
	if err != nil {
		return err
	}
	xb, err := g.buf(x, outer*xlen*inner)
	if err != nil {
		return err
	}
	return g.S.ConcatAxis(yb, xb, outer, ylen, xlen, inner, offset)
}
