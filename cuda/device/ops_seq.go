//go:build gpu

package device

// SoftmaxXent computes loss[r] = logsumexp(logits[r, :]) - logits[r, t]
// for logits [n, v] and int32 targets t [n] (0 for -1, NaN for another
// target outside [0, v)).
func (s *Stream) SoftmaxXent(loss, logits, target Buffer, n, v int) error {
	const name = "softmax_xent_f32"
	if err := sameLen(name, n, loss, target); err != nil {
		return err
	}
	return s.rows(name, n, v, []Buffer{logits}, loss, logits, target, n, v)
}

// SoftmaxXentGrad computes dx[r, :] = (softmax(logits[r, :]) - onehot(t))·dy[r]
// (a zero row for target -1).
func (s *Stream) SoftmaxXentGrad(dx, logits, target, dy Buffer, n, v int) error {
	const name = "softmax_xent_grad_f32"
	if err := sameLen(name, n, target, dy); err != nil {
		return err
	}
	return s.rows(name, n, v, []Buffer{dx, logits}, dx, logits, target, dy, n, v)
}

// TargetProb computes p = exp(-loss).
func (s *Stream) TargetProb(p, loss Buffer) error {
	const name = "target_prob_f32"
	if err := sameLen(name, p.Len, loss); err != nil {
		return err
	}
	return s.elementwise(name, p.Len, p, loss, p.Len)
}

// lstmLens checks the [b, 4hd] and [b, hd] operands of the LSTM cell
// kernels; optional ones may be the zero Buffer (NULL).
func lstmLens(name string, b, hd int, wide, narrow, optional []Buffer) error {
	if err := checkN(name, b, 4*hd); err != nil {
		return err
	}
	if err := sameLen(name, 4*b*hd, wide...); err != nil {
		return err
	}
	if err := sameLen(name, b*hd, narrow...); err != nil {
		return err
	}
	for _, o := range optional {
		if o.Ptr != 0 {
			if err := sameLen(name, b*hd, o); err != nil {
				return err
			}
		}
	}
	return nil
}

// LSTMCell runs one LSTM step's pointwise cell over b rows of hd units
// (lstm_cell_f32): gates [b, 4hd] of pre-activations become activations,
// and c, tc = tanh c and h are written; cPrev may be the zero Buffer (a
// zero state).
func (s *Stream) LSTMCell(gates, c, tc, h, bias, cPrev Buffer, b, hd int) error {
	const name = "lstm_cell_f32"
	if err := lstmLens(name, b, hd, []Buffer{gates}, []Buffer{c, tc, h}, []Buffer{cPrev}); err != nil {
		return err
	}
	if err := sameLen(name, 4*hd, bias); err != nil {
		return err
	}
	return s.elementwise(name, b*hd, gates, c, tc, h, bias, cPrev, b, hd)
}

// LSTMCellBackward is the cell's backward step (lstm_cell_backward_f32):
// it writes dz [b, 4hd] and updates the running cell gradient dc; cPrev
// and dhRec may be the zero Buffer.
func (s *Stream) LSTMCellBackward(dz, dc, gates, cPrev, tc, dh, dhRec Buffer, b, hd int) error {
	const name = "lstm_cell_backward_f32"
	if err := lstmLens(name, b, hd, []Buffer{dz, gates}, []Buffer{dc, tc, dh}, []Buffer{cPrev, dhRec}); err != nil {
		return err
	}
	return s.elementwise(name, b*hd, dz, dc, gates, cPrev, tc, dh, dhRec, b, hd)
}
