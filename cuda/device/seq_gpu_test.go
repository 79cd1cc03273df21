//go:build gpu

package device

import (
	"math"
	"testing"
)

func TestSoftmaxXent(t *testing.T) {
	e := newEnv(t)
	n, v := 5, 37
	l := e.uniform(n*v, -4, 4)
	target := []int32{3, -1, 36, 0, 40} // ignored, then out of range
	dy := e.uniform(n, 0.5, 2)
	loss, grad := make([]float32, n), make([]float32, n*v)
	for r, tg := range target {
		row := l[r*v : (r+1)*v]
		m := math.Inf(-1)
		for _, x := range row {
			m = math.Max(m, f64(x))
		}
		var s float64
		for _, x := range row {
			s += math.Exp(f64(x) - m)
		}
		switch {
		case tg == -1:
			continue // zeros
		case int(tg) >= v:
			loss[r] = float32(math.NaN())
			for j := range row {
				grad[r*v+j] = float32(math.NaN())
			}
			continue
		}
		loss[r] = float32(m + math.Log(s) - f64(row[tg]))
		for j, x := range row {
			p := math.Exp(f64(x)-m) / s
			if j == int(tg) {
				p--
			}
			grad[r*v+j] = float32(p * f64(dy[r]))
		}
	}
	bl, bt := e.up(l), e.upInt(target)
	out, dx := e.alloc(n), e.alloc(n*v)
	e.must(e.s.SoftmaxXent(out, bl, bt, n, v))
	e.compare("softmax_xent", e.down(out), loss, relTol)
	e.must(e.s.SoftmaxXentGrad(dx, bl, bt, e.up(dy), n, v))
	e.compare("softmax_xent_grad", e.down(dx), grad, relTol)

	p := e.alloc(n)
	e.must(e.s.TargetProb(p, out))
	want := make([]float32, n)
	for i, x := range loss {
		want[i] = float32(math.Exp(-f64(x)))
	}
	e.compare("target_prob", e.down(p), want, relTol)
}

func TestLSTMCell(t *testing.T) {
	e := newEnv(t)
	b, hd := 3, 5
	z, bias := e.uniform(4*b*hd, -2, 2), e.uniform(4*hd, -1, 1)
	cPrev, dh, rec, dc := e.uniform(b*hd, -1, 1), e.uniform(b*hd, -1, 1), e.uniform(b*hd, -1, 1), e.uniform(b*hd, -1, 1)
	for _, first := range []bool{true, false} {
		act, c, tc, h := make([]float32, 4*b*hd), make([]float32, b*hd), make([]float32, b*hd), make([]float32, b*hd)
		dz, dcOut := make([]float32, 4*b*hd), make([]float32, b*hd)
		for k := range b * hd {
			r, j := k/hd, k%hd
			at := func(q int) int { return r*4*hd + q*hd + j }
			i, f := sigmoid(f64(z[at(0)]+bias[j])), sigmoid(f64(z[at(1)]+bias[hd+j]))
			g, o := math.Tanh(f64(z[at(2)]+bias[2*hd+j])), sigmoid(f64(z[at(3)]+bias[3*hd+j]))
			cp := 0.0
			if !first {
				cp = f64(cPrev[k])
			}
			cv := f*cp + i*g
			act[at(0)], act[at(1)], act[at(2)], act[at(3)] = float32(i), float32(f), float32(g), float32(o)
			c[k], tc[k], h[k] = float32(cv), float32(math.Tanh(cv)), float32(o*math.Tanh(cv))
			dhv := f64(dh[k])
			if !first {
				dhv += f64(rec[k])
			}
			tk := math.Tanh(cv)
			dcv := f64(dc[k]) + dhv*o*(1-tk*tk)
			dz[at(0)], dz[at(1)] = float32(dcv*g*i*(1-i)), float32(dcv*cp*f*(1-f))
			dz[at(2)], dz[at(3)] = float32(dcv*i*(1-g*g)), float32(dhv*tk*o*(1-o))
			dcOut[k] = float32(dcv * f)
		}
		var bcp, brec Buffer // NULL: the first step
		if !first {
			bcp, brec = e.up(cPrev), e.up(rec)
		}
		bg, bc, btc, bh := e.up(z), e.alloc(b*hd), e.alloc(b*hd), e.alloc(b*hd)
		e.must(e.s.LSTMCell(bg, bc, btc, bh, e.up(bias), bcp, b, hd))
		e.compare("lstm_cell gates", e.down(bg), act, relTol)
		e.compare("lstm_cell c", e.down(bc), c, relTol)
		e.compare("lstm_cell tanh c", e.down(btc), tc, relTol)
		e.compare("lstm_cell h", e.down(bh), h, relTol)
		bdz, bdc := e.alloc(4*b*hd), e.up(dc)
		e.must(e.s.LSTMCellBackward(bdz, bdc, bg, bcp, btc, e.up(dh), brec, b, hd))
		e.compare("lstm_cell_backward dz", e.down(bdz), dz, 1e-4)
		e.compare("lstm_cell_backward dc", e.down(bdc), dcOut, 1e-4)
	}
}
