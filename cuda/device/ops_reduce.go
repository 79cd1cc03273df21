//go:build gpu

package device

import "fmt"

// Activation codes of the fused bias kernels (bias_act.cu).
const (
	ActLinear  = 0
	ActReLU    = 1
	ActSigmoid = 2
	ActTanh    = 3
)

func checkAct(name string, act int) error {
	if act < ActLinear || act > ActTanh {
		return fmt.Errorf("device: %s: activation code %d", name, act)
	}
	return nil
}

// BiasAct computes y = act(x + b[c]) for x, y [n, c, inner] and b [c].
func (s *Stream) BiasAct(y, x, b Buffer, n, c, inner, act int) error {
	const name = "bias_act_f32"
	if err := checkN(name, n, c, inner); err != nil {
		return err
	}
	if err := checkAct(name, act); err != nil {
		return err
	}
	if err := sameLen(name, n*c*inner, y, x); err != nil {
		return err
	}
	if err := sameLen(name, c, b); err != nil {
		return err
	}
	return s.elementwise(name, n*c*inner, y, x, b, n, c, inner, act)
}

// BiasActBackward computes dz = dy·act'(z) through the output y and
// db[c] = Σ dz over every axis but 1, for [n, c, inner] tensors. dz may be
// the zero Buffer (only db is computed); y is unread for ActLinear.
func (s *Stream) BiasActBackward(dz, db, y, dy Buffer, n, c, inner, act int) error {
	name := "bias_act_backward_chan_f32"
	if inner == 1 {
		name = "bias_act_backward_rows_f32"
	}
	if err := checkN(name, n, c, inner); err != nil {
		return err
	}
	if err := checkAct(name, act); err != nil {
		return err
	}
	total := n * c * inner
	if err := sameLen(name, total, dy); err != nil {
		return err
	}
	if err := sameLen(name, c, db); err != nil {
		return err
	}
	if dz.Ptr != 0 {
		if err := sameLen(name, total, dz); err != nil {
			return err
		}
	}
	if act != ActLinear {
		if err := sameLen(name, total, y); err != nil {
			return err
		}
	}
	if c == 0 {
		return nil
	}
	if inner == 1 {
		return s.d.Launch(s, name, s.d.GridFor(c), dz, db, y, dy, n, c, act)
	}
	return s.d.Launch(s, name, s.d.RowsFor(c, n*inner), dz, db, y, dy, n, c, inner, act)
}

// reduceAxis launches sum or max over the middle axis of [outer, len, inner].
func (s *Stream) reduceAxis(kind string, y, x Buffer, outer, length, inner int, scale float32, withScale bool) error {
	axis, last := kind+"_axis_f32", kind+"_last_f32"
	if err := checkN(axis, outer, length, inner); err != nil {
		return err
	}
	if err := sameLen(axis, outer*length*inner, x); err != nil {
		return err
	}
	if err := sameLen(axis, outer*inner, y); err != nil {
		return err
	}
	if outer*inner == 0 {
		return nil
	}
	if inner == 1 {
		args := []any{y, x, outer, length}
		if withScale {
			args = append(args, scale)
		}
		return s.d.Launch(s, last, s.d.RowsFor(outer, length), args...)
	}
	args := []any{y, x, outer, length, inner}
	if withScale {
		args = append(args, scale)
	}
	return s.d.Launch(s, axis, s.d.GridFor(outer*inner), args...)
}

// SumAxis computes y[o, k] = scale·Σ_l x[o, l, k] (scale 1 for a sum, 1/len
// for a mean) for x viewed as [outer, len, inner].
func (s *Stream) SumAxis(y, x Buffer, outer, length, inner int, scale float32) error {
	return s.reduceAxis("sum", y, x, outer, length, inner, scale, true)
}

// MaxAxis computes y[o, k] = max_l x[o, l, k].
func (s *Stream) MaxAxis(y, x Buffer, outer, length, inner int) error {
	return s.reduceAxis("max", y, x, outer, length, inner, 0, false)
}

// SumAll computes y[0] = scale·Σ x. With an empty scratch it runs one
// block; with scratch (any length; more than 8 per multiprocessor is not
// used) it sums partials per block first.
func (s *Stream) SumAll(y, x Buffer, scale float32, scratch Buffer) error {
	n := x.Len
	if err := checkN("sum_last_f32", n); err != nil {
		return err
	}
	if y.Len < 1 {
		return fmt.Errorf("device: sum_last_f32: empty output")
	}
	if scratch.Len == 0 || n < 2*BlockSize {
		return s.d.Launch(s, "sum_last_f32", Dim{Grid: 1, Block: 1024}, y, x, 1, n, scale)
	}
	dim := s.d.GridFor(n)
	dim.Grid = min(dim.Grid, scratch.Len)
	if err := s.d.Launch(s, "sum_partial_f32", dim, scratch, x, n); err != nil {
		return err
	}
	return s.d.Launch(s, "sum_last_f32", s.d.RowsFor(1, dim.Grid), y, scratch, 1, dim.Grid, scale)
}

// Repeat computes y[o, j, t, k] = scale·x[o, j, k] for t < r: numpy.repeat
// by r along the middle axis of x [outer, d, inner]; d = 1 broadcasts.
func (s *Stream) Repeat(y, x Buffer, outer, d, r, inner int, scale float32) error {
	const name = "repeat_f32"
	if err := checkN(name, outer, d, r, inner); err != nil {
		return err
	}
	if err := sameLen(name, outer*d*inner, x); err != nil {
		return err
	}
	if err := sameLen(name, outer*d*r*inner, y); err != nil {
		return err
	}
	return s.elementwise(name, y.Len, y, x, outer, d, r, inner, scale)
}

// rows launches a block-per-row kernel over [rows, cols] operands: sized
// must each hold rows*cols elements; args are the kernel's arguments.
func (s *Stream) rows(name string, rows, cols int, sized []Buffer, args ...any) error {
	if err := checkN(name, rows, cols); err != nil {
		return err
	}
	if err := sameLen(name, rows*cols, sized...); err != nil {
		return err
	}
	if rows == 0 {
		return nil
	}
	return s.d.Launch(s, name, s.d.RowsFor(rows, cols), args...)
}

// Softmax computes y = softmax(x) over the last axis of [rows, cols].
func (s *Stream) Softmax(y, x Buffer, rows, cols int) error {
	return s.rows("softmax_f32", rows, cols, []Buffer{y, x}, y, x, rows, cols)
}

// SoftmaxGrad computes dx = y·(dy - Σ dy·y) per row, y the softmax output.
func (s *Stream) SoftmaxGrad(dx, y, dy Buffer, rows, cols int) error {
	return s.rows("softmax_grad_f32", rows, cols, []Buffer{dx, y, dy}, dx, y, dy, rows, cols)
}

// LogSoftmax computes y = x - logΣexp(x) over the last axis.
func (s *Stream) LogSoftmax(y, x Buffer, rows, cols int) error {
	return s.rows("log_softmax_f32", rows, cols, []Buffer{y, x}, y, x, rows, cols)
}

// LogSoftmaxGrad computes dx = dy - exp(y)·Σ dy per row, y the output.
func (s *Stream) LogSoftmaxGrad(dx, y, dy Buffer, rows, cols int) error {
	return s.rows("log_softmax_grad_f32", rows, cols, []Buffer{dx, y, dy}, dx, y, dy, rows, cols)
}

// BCELogits computes out[e] = mean_i softplus(l) - t·l over the d values of
// each of the n examples.
func (s *Stream) BCELogits(out, logits, target Buffer, n, d int) error {
	const name = "bce_logits_f32"
	if err := sameLen(name, n, out); err != nil {
		return err
	}
	if d == 0 {
		return fmt.Errorf("device: %s: examples of 0 values", name)
	}
	return s.rows(name, n, d, []Buffer{logits, target}, out, logits, target, n, d)
}

// BCELogitsGrad computes dx = (sigmoid(l) - t)·dy[e]/d.
func (s *Stream) BCELogitsGrad(dx, logits, target, dy Buffer, n, d int) error {
	const name = "bce_logits_grad_f32"
	if err := checkN(name, n, d); err != nil {
		return err
	}
	if err := sameLen(name, n*d, dx, logits, target); err != nil {
		return err
	}
	if err := sameLen(name, n, dy); err != nil {
		return err
	}
	return s.elementwise(name, n*d, dx, logits, target, dy, n, d)
}
