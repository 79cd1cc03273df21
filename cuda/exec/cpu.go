package exec

import (
	"fmt"
	"math"
)

// CPUBackend runs every primitive with plain Go loops of exactly the
// semantics of its kernel: float32 arithmetic, float32 accumulation in
// the kernels' order per output element (transcendental functions are
// evaluated in float64 and rounded, within an ulp of CUDA's). It is
// synchronous. The arena starts filled with NaN, so that a value read
// before it is written poisons the results.
type CPUBackend struct {
	Arena []float32
}

// NewCPUBackend returns a backend with an empty arena.
func NewCPUBackend() *CPUBackend { return &CPUBackend{} }

// Reserve grows the arena to n values, new ones NaN.
func (c *CPUBackend) Reserve(n int) error {
	nan := float32(math.NaN())
	for len(c.Arena) < n {
		c.Arena = append(c.Arena, nan)
	}
	return nil
}

// view returns b's values, checking that b lies in the arena and holds at
// least n values.
func (c *CPUBackend) view(b Buf, n int) ([]float32, error) {
	if b.Off < 0 || b.Len < n || b.Off+b.Len > len(c.Arena) {
		return nil, fmt.Errorf("buffer %v (need %d) outside the arena of %d", b, n, len(c.Arena))
	}
	return c.Arena[b.Off : b.Off+b.Len], nil
}

// views returns several buffers' values, each of at least n.
func (c *CPUBackend) views(n int, bufs ...Buf) ([][]float32, error) {
	out := make([][]float32, len(bufs))
	for i, b := range bufs {
		v, err := c.view(b, n)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// Upload copies src into dst.
func (c *CPUBackend) Upload(dst Buf, src []float32) error {
	if len(src) != dst.Len {
		return fmt.Errorf("upload of %d values into %v", len(src), dst)
	}
	d, err := c.view(dst, dst.Len)
	if err != nil {
		return err
	}
	copy(d, src)
	return nil
}

// Download copies src into dst.
func (c *CPUBackend) Download(dst []float32, src Buf) error {
	if len(dst) != src.Len {
		return fmt.Errorf("download of %v into %d values", src, len(dst))
	}
	s, err := c.view(src, src.Len)
	if err != nil {
		return err
	}
	copy(dst, s)
	return nil
}

// Synchronize does nothing: every call has completed.
func (c *CPUBackend) Synchronize() error { return nil }

// Fill is fill_f32.
func (c *CPUBackend) Fill(y Buf, n int, v float32) error {
	d, err := c.view(y, n)
	if err != nil {
		return err
	}
	for i := range n {
		d[i] = v
	}
	return nil
}

// Copy is copy_f32.
func (c *CPUBackend) Copy(y, x Buf, n int) error {
	v, err := c.views(n, y, x)
	if err != nil {
		return err
	}
	copy(v[0][:n], v[1][:n])
	return nil
}

// Unary is OP_f32 of unary.cu.
func (c *CPUBackend) Unary(op string, y, x Buf, n int) error {
	f, ok := unaryF[op]
	if !ok {
		return fmt.Errorf("unknown unary op %q", op)
	}
	v, err := c.views(n, y, x)
	if err != nil {
		return err
	}
	for i := range n {
		v[0][i] = f(v[1][i])
	}
	return nil
}

// UnaryGrad is OP_grad_f32 of unary.cu; x or y may be the zero Buf where
// the kernel does not read it.
func (c *CPUBackend) UnaryGrad(op string, dx, x, y, dy Buf, n int) error {
	f, ok := unaryGradF[op]
	if !ok {
		return fmt.Errorf("unknown unary op %q", op)
	}
	v, err := c.views(n, dx, dy)
	if err != nil {
		return err
	}
	xv, yv := make([]float32, n), make([]float32, n) // NaN stands for NULL
	for i, b := range []Buf{x, y} {
		dst := [][]float32{xv, yv}[i]
		if b.Len == 0 {
			for j := range dst {
				dst[j] = float32(math.NaN())
			}
			continue
		}
		s, err := c.view(b, n)
		if err != nil {
			return err
		}
		copy(dst, s[:n])
	}
	for i := range n {
		v[0][i] = f(xv[i], yv[i], v[1][i])
	}
	return nil
}

// Binary is OP_f32 of binary.cu.
func (c *CPUBackend) Binary(op string, z, x, y Buf, n int) error {
	f, ok := binaryF[op]
	if !ok {
		return fmt.Errorf("unknown binary op %q", op)
	}
	v, err := c.views(n, z, x, y)
	if err != nil {
		return err
	}
	for i := range n {
		v[0][i] = f(v[1][i], v[2][i])
	}
	return nil
}

// BinaryScalar is OP_scalar_f32: z = f(x, s).
func (c *CPUBackend) BinaryScalar(op string, z, x Buf, n int, s float32) error {
	return c.scalar(op, z, x, n, s, false)
}

// BinaryRScalar is OP_rscalar_f32: z = f(s, x).
func (c *CPUBackend) BinaryRScalar(op string, z, x Buf, n int, s float32) error {
	return c.scalar(op, z, x, n, s, true)
}

func (c *CPUBackend) scalar(op string, z, x Buf, n int, s float32, left bool) error {
	f, ok := binaryF[op]
	if !ok {
		return fmt.Errorf("unknown binary op %q", op)
	}
	v, err := c.views(n, z, x)
	if err != nil {
		return err
	}
	for i := range n {
		if left {
			v[0][i] = f(s, v[1][i])
		} else {
			v[0][i] = f(v[1][i], s)
		}
	}
	return nil
}

// span is 1 + the largest offset reached by dims d and strides s.
func span(d, s [4]int) int {
	hi := 0
	for k := range 4 {
		if d[k] == 0 {
			return 0
		}
		hi += (d[k] - 1) * s[k]
	}
	return hi + 1
}

// index4 is the strided offset of flat index i of a contiguous [d0..d3].
func index4(i int, d, s [4]int) int {
	i3 := i % d[3]
	i /= d[3]
	i2 := i % d[2]
	i /= d[2]
	i1 := i % d[1]
	i0 := i / d[1]
	return i0*s[0] + i1*s[1] + i2*s[2] + i3*s[3]
}

// BinaryBcast is OP_bcast_f32.
func (c *CPUBackend) BinaryBcast(op string, z, x, y Buf, d, xs, ys [4]int) error {
	f, ok := binaryF[op]
	if !ok {
		return fmt.Errorf("unknown binary op %q", op)
	}
	n := d[0] * d[1] * d[2] * d[3]
	zv, err := c.view(z, n)
	if err != nil {
		return err
	}
	xv, err := c.view(x, span(d, xs))
	if err != nil {
		return err
	}
	yv, err := c.view(y, span(d, ys))
	if err != nil {
		return err
	}
	for i := range n {
		zv[i] = f(xv[index4(i, d, xs)], yv[index4(i, d, ys)])
	}
	return nil
}

// StridedCopy is strided_copy_f32.
func (c *CPUBackend) StridedCopy(y, x Buf, d, s [4]int) error {
	n := d[0] * d[1] * d[2] * d[3]
	yv, err := c.view(y, n)
	if err != nil {
		return err
	}
	xv, err := c.view(x, span(d, s))
	if err != nil {
		return err
	}
	for i := range n {
		yv[i] = xv[index4(i, d, s)]
	}
	return nil
}

var _ Backend = (*CPUBackend)(nil)
