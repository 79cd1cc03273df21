//go:build gpu

package device

import (
	"fmt"
	"slices"
)

// UnaryOps are the elementwise unary kernels (unary.cu): op_f32 computes
// y = f(x) and op_grad_f32 dx = dy·f'(x).
var UnaryOps = []string{
	"relu", "sigmoid", "tanh", "exp", "log", "log1p", "neg", "square", "sqrt", "abs",
	"softplus", "inv", "sign", "ceil", "floor", "sin", "cos", "log2", "inv_sqrt", "cube", "expm1",
}

// BinaryOps are the elementwise binary kernels (binary.cu); comparisons
// give 1 or 0.
var BinaryOps = []string{
	"add", "sub", "mul", "div", "pow", "max", "min", "gt", "lt", "ge", "le", "eq", "ne",
}

func sameLen(name string, n int, bufs ...Buffer) error {
	if err := checkN(name, n); err != nil {
		return err
	}
	for i, b := range bufs {
		if b.Len != n {
			return fmt.Errorf("device: %s: operand %d has %d elements, want %d", name, i, b.Len, n)
		}
	}
	return nil
}

// elementwise launches name over n items with args after the pointers.
func (s *Stream) elementwise(name string, n int, args ...any) error {
	if n == 0 {
		return nil
	}
	return s.d.Launch(s, name, s.d.GridFor(n), args...)
}

// Unary computes y = op(x) elementwise (op one of UnaryOps).
func (s *Stream) Unary(op string, y, x Buffer) error {
	if !slices.Contains(UnaryOps, op) {
		return fmt.Errorf("device: unknown unary op %q", op)
	}
	name := op + "_f32"
	if err := sameLen(name, y.Len, x); err != nil {
		return err
	}
	return s.elementwise(name, y.Len, y, x, y.Len)
}

// UnaryGrad computes dx = dy·op'(x) given x and the forward output y. The
// kernel reads x or y or neither (see unary.cu); an unread one may be the
// zero Buffer.
func (s *Stream) UnaryGrad(op string, dx, x, y, dy Buffer) error {
	if !slices.Contains(UnaryOps, op) {
		return fmt.Errorf("device: unknown unary op %q", op)
	}
	name := op + "_grad_f32"
	n := dx.Len
	if err := sameLen(name, n, dy); err != nil {
		return err
	}
	for _, b := range []Buffer{x, y} {
		if b.Ptr != 0 && b.Len != n {
			return fmt.Errorf("device: %s: operand of %d elements, want %d", name, b.Len, n)
		}
	}
	return s.elementwise(name, n, dx, x, y, dy, n)
}

func checkBinary(op string) error {
	if !slices.Contains(BinaryOps, op) {
		return fmt.Errorf("device: unknown binary op %q", op)
	}
	return nil
}

// Binary computes z = op(x, y) elementwise, all of one length.
func (s *Stream) Binary(op string, z, x, y Buffer) error {
	if err := checkBinary(op); err != nil {
		return err
	}
	name := op + "_f32"
	if err := sameLen(name, z.Len, x, y); err != nil {
		return err
	}
	return s.elementwise(name, z.Len, z, x, y, z.Len)
}

// BinaryScalar computes z = op(x, c), or z = op(c, x) with scalarLeft.
func (s *Stream) BinaryScalar(op string, z, x Buffer, c float32, scalarLeft bool) error {
	if err := checkBinary(op); err != nil {
		return err
	}
	name := op + "_scalar_f32"
	if scalarLeft {
		name = op + "_rscalar_f32"
	}
	if err := sameLen(name, z.Len, x); err != nil {
		return err
	}
	return s.elementwise(name, z.Len, z, x, z.Len, c)
}

// span returns 1 + the largest offset that shape and strides reach (0 for
// an empty shape); negative strides are not supported here.
func span(shape, strides [4]int) (int, error) {
	hi := 0
	for k := range 4 {
		if shape[k] == 0 {
			return 0, nil
		}
		if shape[k] < 0 || strides[k] < 0 {
			return 0, fmt.Errorf("shape %v, strides %v", shape, strides)
		}
		hi += (shape[k] - 1) * strides[k]
	}
	return hi + 1, nil
}

// BinaryBcast computes z = op(x, y) with broadcasting: z is contiguous of
// shape (rank 4; pad with leading 1s) and x, y are read with the given
// element strides (0 along broadcast axes).
func (s *Stream) BinaryBcast(op string, z, x, y Buffer, shape, xStrides, yStrides [4]int) error {
	if err := checkBinary(op); err != nil {
		return err
	}
	name := op + "_bcast_f32"
	n := shape[0] * shape[1] * shape[2] * shape[3]
	if err := checkN(name, shape[:]...); err != nil {
		return err
	}
	if err := checkLen(name, "z", z, n); err != nil {
		return err
	}
	for i, o := range []struct {
		b  Buffer
		st [4]int
	}{{x, xStrides}, {y, yStrides}} {
		need, err := span(shape, o.st)
		if err != nil {
			return fmt.Errorf("device: %s: operand %d: %w", name, i, err)
		}
		if err := checkLen(name, fmt.Sprintf("operand %d", i), o.b, need); err != nil {
			return err
		}
	}
	return s.elementwise(name, n, z, x, y, shape[0], shape[1], shape[2], shape[3],
		xStrides[0], xStrides[1], xStrides[2], xStrides[3],
		yStrides[0], yStrides[1], yStrides[2], yStrides[3])
}

// Fill sets every element of y to v.
func (s *Stream) Fill(y Buffer, v float32) error {
	if err := checkN("fill_f32", y.Len); err != nil {
		return err
	}
	return s.elementwise("fill_f32", y.Len, y, y.Len, v)
}

// Copy copies x to y (same length) with a kernel; see also CopyBuffer.
func (s *Stream) Copy(y, x Buffer) error {
	if err := sameLen("copy_f32", y.Len, x); err != nil {
		return err
	}
	return s.elementwise("copy_f32", y.Len, y, x, y.Len)
}

// Axpy computes y += a·x.
func (s *Stream) Axpy(y, x Buffer, a float32) error {
	if err := sameLen("axpy_f32", y.Len, x); err != nil {
		return err
	}
	return s.elementwise("axpy_f32", y.Len, y, x, y.Len, a)
}

// Dropout computes y = x·mask (mask: 0 or 1/keep); its gradient is the
// same call on dy.
func (s *Stream) Dropout(y, x, mask Buffer) error {
	if err := sameLen("dropout_f32", y.Len, x, mask); err != nil {
		return err
	}
	return s.elementwise("dropout_f32", y.Len, y, x, mask, y.Len)
}

// DropoutMask computes mask = u < keep ? scale : 0 from uniform samples u.
func (s *Stream) DropoutMask(mask, u Buffer, keep, scale float32) error {
	if err := sameLen("dropout_mask_f32", mask.Len, u); err != nil {
		return err
	}
	return s.elementwise("dropout_mask_f32", mask.Len, mask, u, mask.Len, keep, scale)
}

// BernoulliMask draws a dropout mask on the device: mask[i] is scale when
// kernels.MaskBits(key, i) < threshold, else 0 (threshold from
// kernels.MaskThreshold).
func (s *Stream) BernoulliMask(mask Buffer, key, threshold uint64, scale float32) error {
	const name = "bernoulli_mask_f32"
	if err := checkN(name, mask.Len); err != nil {
		return err
	}
	return s.elementwise(name, mask.Len, mask, mask.Len, key, threshold, scale)
}
