//go:build gpu

package device

import "fmt"

// pad4 returns shape padded to rank 4 with leading 1s and the row-major
// element strides of shape (padded the same way).
func pad4(shape []int) (dims, strides [4]int, err error) {
	if len(shape) > 4 {
		return dims, strides, fmt.Errorf("rank %d above 4", len(shape))
	}
	dims = [4]int{1, 1, 1, 1}
	copy(dims[4-len(shape):], shape)
	st := 1
	for k := 3; k >= 0; k-- {
		strides[k] = st
		st *= dims[k]
	}
	return dims, strides, nil
}

// RowMajorStrides returns the element strides of a contiguous tensor of
// shape padded to rank 4 (for BinaryBcast and StridedCopy); set a stride
// to 0 to broadcast along its axis.
func RowMajorStrides(shape []int) (dims, strides [4]int, err error) { return pad4(shape) }

// StridedCopy computes y[i0,i1,i2,i3] = x[Σ ik·strides[k]] for y contiguous
// of shape (rank 4). x may be a Buffer advanced to the first element.
func (s *Stream) StridedCopy(y, x Buffer, shape, strides [4]int) error {
	return s.strided("strided_copy_f32", y, x, y, x, shape, strides)
}

// StridedAdd computes y[Σ ik·strides[k]] += x[i0,i1,i2,i3] for x contiguous
// of shape (rank 4); the strided positions must be distinct.
func (s *Stream) StridedAdd(y, x Buffer, shape, strides [4]int) error {
	return s.strided("strided_add_f32", x, y, y, x, shape, strides)
}

// strided checks dense (contiguous, shape) and sparse (read with strides)
// and launches name(out, in, ...).
func (s *Stream) strided(name string, dense, sparse, out, in Buffer, shape, strides [4]int) error {
	if err := checkN(name, shape[:]...); err != nil {
		return err
	}
	n := shape[0] * shape[1] * shape[2] * shape[3]
	if err := sameLen(name, n, dense); err != nil {
		return err
	}
	need, err := span(shape, strides)
	if err != nil {
		return fmt.Errorf("device: %s: %w", name, err)
	}
	if err := checkLen(name, "strided operand", sparse, need); err != nil {
		return err
	}
	return s.elementwise(name, n, out, in, shape[0], shape[1], shape[2], shape[3],
		strides[0], strides[1], strides[2], strides[3])
}

// Transpose computes y = x with its axes permuted (numpy's transpose):
// output axis k is input axis perm[k]; x is contiguous of shape (rank <= 4).
func (s *Stream) Transpose(y, x Buffer, shape, perm []int) error {
	if len(perm) != len(shape) {
		return fmt.Errorf("device: transpose of shape %v by %v", shape, perm)
	}
	_, in, err := pad4(shape)
	if err != nil {
		return fmt.Errorf("device: transpose: %w", err)
	}
	off := 4 - len(shape)
	dims, strides := [4]int{1, 1, 1, 1}, [4]int{0, 0, 0, 0}
	seen := make([]bool, len(shape))
	for k, a := range perm {
		if a < 0 || a >= len(shape) || seen[a] {
			return fmt.Errorf("device: transpose: %v is not a permutation", perm)
		}
		seen[a] = true
		dims[off+k] = shape[a]
		strides[off+k] = in[off+a]
	}
	return s.StridedCopy(y, x, dims, strides)
}

// SliceAxis computes y[o, j, k] = x[o, start + j·step, k] for j < count, x
// viewed as [outer, len, inner].
func (s *Stream) SliceAxis(y, x Buffer, outer, length, inner, start, count, step int) error {
	return s.slice("slice_axis_f32", y, x, outer, length, inner, start, count, step)
}

// SliceAxisAdd computes dx[o, start + j·step, k] += dy[o, j, k] (the
// gradient of SliceAxis into a dx that is already initialised).
func (s *Stream) SliceAxisAdd(dx, dy Buffer, outer, length, inner, start, count, step int) error {
	return s.slice("slice_axis_add_f32", dy, dx, outer, length, inner, start, count, step)
}

// slice checks small ([outer, count, inner]) and big ([outer, len, inner]).
func (s *Stream) slice(name string, small, big Buffer, outer, length, inner, start, count, step int) error {
	if err := checkN(name, outer, length, inner); err != nil {
		return err
	}
	if step < 1 || start < 0 || count < 0 || (count > 0 && start+(count-1)*step >= length) {
		return fmt.Errorf("device: %s: slice start %d count %d step %d of an axis of %d", name, start, count, step, length)
	}
	if err := sameLen(name, outer*count*inner, small); err != nil {
		return err
	}
	if err := sameLen(name, outer*length*inner, big); err != nil {
		return err
	}
	out, in := small, big
	if name == "slice_axis_add_f32" {
		out, in = big, small
	}
	return s.elementwise(name, small.Len, out, in, outer, length, inner, start, count, step)
}

// ConcatAxis writes x [outer, xlen, inner] into y [outer, ylen, inner] at
// offset along the middle axis (one call per input of a concatenation).
func (s *Stream) ConcatAxis(y, x Buffer, outer, ylen, xlen, inner, offset int) error {
	const name = "concat_axis_f32"
	if err := checkN(name, outer, ylen, inner); err != nil {
		return err
	}
	if offset < 0 || xlen < 0 || offset+xlen > ylen {
		return fmt.Errorf("device: %s: %d values at %d of an axis of %d", name, xlen, offset, ylen)
	}
	if err := sameLen(name, outer*xlen*inner, x); err != nil {
		return err
	}
	if err := sameLen(name, outer*ylen*inner, y); err != nil {
		return err
	}
	return s.elementwise(name, x.Len, y, x, outer, ylen, xlen, inner, offset)
}

// Gather computes y[o, i, k] = x[o, idx[i], k] (0 for an index outside
// [0, len)), x [outer, len, inner], idx int32 of n = idx.Len entries.
func (s *Stream) Gather(y, x, idx Buffer, outer, length, inner int) error {
	return s.gather("gather_axis_f32", y, x, idx, outer, length, inner)
}

// ScatterAdd computes dx[o, idx[i], k] += dy[o, i, k] (atomic; indices
// outside [0, len) skipped).
func (s *Stream) ScatterAdd(dx, dy, idx Buffer, outer, length, inner int) error {
	return s.gather("scatter_add_axis_f32", dx, dy, idx, outer, length, inner)
}

func (s *Stream) gather(name string, out, in, idx Buffer, outer, length, inner int) error {
	n := idx.Len
	if err := checkN(name, outer, max(n, length), inner); err != nil {
		return err
	}
	small, big := out, in // gather: out [outer, n, inner], in [outer, len, inner]
	if name == "scatter_add_axis_f32" {
		small, big = in, out
	}
	if err := sameLen(name, outer*n*inner, small); err != nil {
		return err
	}
	if err := sameLen(name, outer*length*inner, big); err != nil {
		return err
	}
	return s.elementwise(name, outer*n*inner, out, in, idx, outer, length, inner, n)
}

// ConvGeom is the geometry of im2col/col2im: images [N, C, H, W], kernel
// KH×KW, stride SH, SW, zero padding PH, PW, dilation DH, DW (0 means 1).
type ConvGeom struct {
	N, C, H, W     int
	KH, KW, SH, SW int
	PH, PW, DH, DW int
}

func (g ConvGeom) dil() (int, int) { return max(g.DH, 1), max(g.DW, 1) }

// OH and OW are the output sizes: (H + 2PH - DH(KH-1) - 1)/SH + 1.
func (g ConvGeom) OH() int { dh, _ := g.dil(); return (g.H+2*g.PH-dh*(g.KH-1)-1)/g.SH + 1 }

// OW is the output width.
func (g ConvGeom) OW() int { _, dw := g.dil(); return (g.W+2*g.PW-dw*(g.KW-1)-1)/g.SW + 1 }

// ColLen is the number of elements of the patch matrix.
func (g ConvGeom) ColLen() int { return g.N * g.C * g.KH * g.KW * g.OH() * g.OW() }

func (g ConvGeom) check(name string) error {
	if g.KH < 1 || g.KW < 1 || g.SH < 1 || g.SW < 1 || g.PH < 0 || g.PW < 0 || g.DH < 0 || g.DW < 0 {
		return fmt.Errorf("device: %s: bad geometry %+v", name, g)
	}
	if g.OH() < 1 || g.OW() < 1 {
		return fmt.Errorf("device: %s: kernel larger than the padded image in %+v", name, g)
	}
	if err := checkN(name, g.N, g.C, g.H, g.W); err != nil {
		return err
	}
	return checkN(name, g.N, g.C*g.KH*g.KW, g.OH()*g.OW())
}

func (s *Stream) conv(name string, out, in, col Buffer, g ConvGeom, threads int) error {
	if err := g.check(name); err != nil {
		return err
	}
	if err := sameLen(name, g.ColLen(), col); err != nil {
		return err
	}
	dh, dw := g.dil()
	return s.elementwise(name, threads, out, in, g.N, g.C, g.H, g.W, g.KH, g.KW, g.SH, g.SW,
		g.PH, g.PW, dh, dw, g.OH(), g.OW())
}

// Im2Col writes the patch matrix of x [N, C, H, W] to col: [N, C·KH·KW,
// OH·OW], or with transposed [N, OH·OW, C·KH·KW] (gorgonia's layout).
func (s *Stream) Im2Col(col, x Buffer, g ConvGeom, transposed bool) error {
	name := "im2col_f32"
	if transposed {
		name = "im2col_t_f32"
	}
	if err := sameLen(name, g.N*g.C*g.H*g.W, x); err != nil {
		return err
	}
	return s.conv(name, col, x, col, g, g.ColLen())
}

// Col2Im writes to x [N, C, H, W] the sum of the col entries that read each
// pixel (the adjoint of Im2Col with the same layout); x is overwritten.
func (s *Stream) Col2Im(x, col Buffer, g ConvGeom, transposed bool) error {
	name := "col2im_f32"
	if transposed {
		name = "col2im_t_f32"
	}
	if err := sameLen(name, g.N*g.C*g.H*g.W, x); err != nil {
		return err
	}
	return s.conv(name, x, col, col, g, x.Len)
}

// Upsample2D computes y [nc, h·sh, w·sw] from x [nc, h, w] by nearest
// neighbour (gorgonia's Upsample2D with stride k is sh = sw = k+1).
func (s *Stream) Upsample2D(y, x Buffer, nc, h, w, sh, sw int) error {
	return s.upsample("upsample2d_f32", y, x, x, y, nc, h, w, sh, sw)
}

// Upsample2DGrad computes dx [nc, h, w] as the sums of the sh×sw blocks of
// dy [nc, h·sh, w·sw].
func (s *Stream) Upsample2DGrad(dx, dy Buffer, nc, h, w, sh, sw int) error {
	return s.upsample("upsample2d_grad_f32", dx, dy, dx, dy, nc, h, w, sh, sw)
}

func (s *Stream) upsample(name string, out, in, small, big Buffer, nc, h, w, sh, sw int) error {
	if sh < 1 || sw < 1 {
		return fmt.Errorf("device: %s: scale %d×%d", name, sh, sw)
	}
	if err := checkN(name, nc, h*sh, w*sw); err != nil {
		return err
	}
	if err := sameLen(name, nc*h*w, small); err != nil {
		return err
	}
	if err := sameLen(name, nc*h*sh*w*sw, big); err != nil {
		return err
	}
	return s.elementwise(name, out.Len, out, in, nc, h, w, sh, sw)
}
