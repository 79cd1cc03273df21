package exec

import (
	"fmt"

	"github.com/vigil-ml/vigil/cuda/program"
)

// seq compiles the sequence-model kinds: embedding lookups, softmax
// cross-entropy, segments and the LSTM.
func (c *compiler) seq(in program.Instr) error {
	out := c.buf(in.Out)
	arg := func(i int) Buf { return c.buf(in.In[i]) }
	n := out.Len
	switch in.Kind {
	case program.KindGather:
		table, ids := arg(0), arg(1)
		v, d := c.p.Values[in.In[0]].Shape[0], c.p.Values[in.In[0]].Shape[1]
		c.emit("gather", func(b Backend) error { return b.Gather(out, table, ids, 1, v, d, ids.Len) }, out, table, ids, 1, v, d, ids.Len)
	case program.KindScatterAdd:
		ids, g := arg(0), arg(1)
		v, d := c.p.Values[in.Out].Shape[0], c.p.Values[in.Out].Shape[1]
		c.emit("fill", func(b Backend) error { return b.Fill(out, n, 0) }, out, n, 0)
		c.emit("scatter_add", func(b Backend) error { return b.ScatterAdd(out, g, ids, 1, v, d, ids.Len) }, out, g, ids, 1, v, d, ids.Len)
	case program.KindSoftmaxXent:
		l, t := arg(0), arg(1)
		rows, v := t.Len, l.Len/t.Len
		c.emit("softmax_xent", func(b Backend) error { return b.SoftmaxXent(out, l, t, rows, v) }, out, l, t, rows, v)
	case program.KindSoftmaxXentGrad:
		l, t, dy := arg(0), arg(1), arg(2)
		rows, v := t.Len, l.Len/t.Len
		c.emit("softmax_xent_grad", func(b Backend) error { return b.SoftmaxXentGrad(out, l, t, dy, rows, v) }, out, l, t, dy, rows, v)
	case program.KindTargetProb:
		x := arg(0)
		c.emit("target_prob", func(b Backend) error { return b.TargetProb(out, x, n) }, out, x, n)
	case program.KindSegment:
		x := arg(0).At(in.Offset, n)
		c.emit("copy", func(b Backend) error { return b.Copy(out, x, n) }, out, x, n)
	case program.KindLSTMForward:
		c.lstmForward(in.LSTM, out, arg(0), arg(1), arg(2), arg(3))
	case program.KindLSTMBackward:
		c.lstmBackward(in.LSTM, out, arg(0), arg(1), arg(2), arg(3), arg(4))
	default:
		return fmt.Errorf("unknown kind %v", in.Kind)
	}
	return nil
}

// gemm emits one contiguous row-major product c = op(a)·op(b) + beta·c.
func (c *compiler) gemm(tA, tB bool, m, n, k int, a, bm Buf, beta float32, out Buf) {
	lda, ldb := k, n
	if tA {
		lda = m
	}
	if tB {
		ldb = k
	}
	c.emit("gemm", func(b Backend) error {
		return b.Gemm(tA, tB, m, n, k, 1, a, lda, bm, ldb, beta, out, n)
	}, tA, tB, m, n, k, 1, a, lda, bm, ldb, beta, out, n)
}

// lstmForward runs the layer as one GEMM for the input projections of all
// steps (into the workspace's gate plane), then per step a GEMM adding
// h_{t-1}·W_hhᵀ (from step 1 on) and the pointwise cell.
func (c *compiler) lstmForward(l program.LSTM, ws, x, wih, whh, bias Buf) {
	h4, bh := 4*l.H, l.B*l.H
	c.gemm(false, true, l.Rows(), h4, l.In, x, wih, 0, ws.At(l.WsGates(), l.Rows()*h4))
	for t := range l.T {
		gates := ws.At(l.WsGates()+t*l.B*h4, l.B*h4)
		var cPrev Buf
		if t > 0 {
			c.gemm(false, true, l.B, h4, l.H, ws.At((t-1)*bh, bh), whh, 1, gates)
			cPrev = ws.At(l.WsC()+(t-1)*bh, bh)
		}
		cs, tc, h := ws.At(l.WsC()+t*bh, bh), ws.At(l.WsTanhC()+t*bh, bh), ws.At(t*bh, bh)
		c.emit("lstm_cell", func(b Backend) error { return b.LSTMCell(gates, cs, tc, h, bias, cPrev, l.B, l.H) },
			gates, cs, tc, h, bias, cPrev, l.B, l.H)
	}
}

// lstmBackward runs backpropagation through time: per step, from the last,
// a GEMM for the recurrent term dz_{t+1}·W_hh (into scratch) and the
// pointwise cell backward writing dz_t and updating dc (kept in the packed
// output's dc0); then one GEMM each for dx, dh0, dW_ih and dW_hh over all
// steps and a column sum for dbias.
func (c *compiler) lstmBackward(l program.LSTM, out, x, wih, whh, ws, dH Buf) {
	h4, bh, rows := 4*l.H, l.B*l.H, l.Rows()
	part := func(p program.LSTMPart) Buf { return out.At(l.GradOffset(p), l.PartLen(p)) }
	dz, dc := part(program.LSTMDZ), part(program.LSTMDC0)
	rec := c.scratchBufs(bh)[0]
	c.emit("fill", func(b Backend) error { return b.Fill(dc, bh, 0) }, dc, bh, 0)
	for t := l.T - 1; t >= 0; t-- {
		dzt := dz.At(t*l.B*h4, l.B*h4)
		var dhRec, cPrev Buf
		if t < l.T-1 {
			c.gemm(false, false, l.B, l.H, h4, dz.At((t+1)*l.B*h4, l.B*h4), whh, 0, rec)
			dhRec = rec
		}
		if t > 0 {
			cPrev = ws.At(l.WsC()+(t-1)*bh, bh)
		}
		gates, tc, dh := ws.At(l.WsGates()+t*l.B*h4, l.B*h4), ws.At(l.WsTanhC()+t*bh, bh), dH.At(t*bh, bh)
		c.emit("lstm_cell_backward", func(b Backend) error {
			return b.LSTMCellBackward(dzt, dc, gates, cPrev, tc, dh, dhRec, l.B, l.H)
		}, dzt, dc, gates, cPrev, tc, dh, dhRec, l.B, l.H)
	}
	c.gemm(false, false, rows, l.In, h4, dz, wih, 0, part(program.LSTMDX))
	c.gemm(false, false, l.B, l.H, h4, dz.At(0, l.B*h4), whh, 0, part(program.LSTMDH0))
	c.gemm(true, false, h4, l.In, rows, dz, x, 0, part(program.LSTMDWih))
	dwhh := part(program.LSTMDWhh)
	if l.T > 1 {
		// h_{t-1} of steps 1… is h of steps …T-2.
		c.gemm(true, false, h4, l.H, rows-l.B, dz.At(l.B*h4, (rows-l.B)*h4), ws.At(0, (rows-l.B)*l.H), 0, dwhh)
	} else {
		c.emit("fill", func(b Backend) error { return b.Fill(dwhh, dwhh.Len, 0) }, dwhh, dwhh.Len, 0)
	}
	db := part(program.LSTMDBias)
	c.emit("sum_axis", func(b Backend) error { return b.SumAxis(db, dz, 1, rows, h4, 1) }, db, dz, 1, rows, h4, 1)
}
