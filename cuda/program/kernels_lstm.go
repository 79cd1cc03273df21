package program

import "math"

// dot is Σ a[i]·b[i] in float64.
func dot(a, b []float32) float64 {
	var s float64
	for i, v := range a {
		s += f64(v) * f64(b[i])
	}
	return s
}

// refLSTMForward fills the workspace ws of an LSTM layer (see
// KindLSTMForward) for x [T, B, In], wih [4H, In], whh [4H, H], bias [4H].
func refLSTMForward(l LSTM, ws, x, wih, whh, bias []float32) {
	h4 := 4 * l.H
	hs, cs, tcs := ws[:l.WsC()], ws[l.WsC():l.WsTanhC()], ws[l.WsTanhC():l.WsGates()]
	gates := ws[l.WsGates():]
	for t := range l.T {
		for b := range l.B {
			row := t*l.B + b
			xr := x[row*l.In : (row+1)*l.In]
			g := gates[row*h4 : (row+1)*h4]
			for r := range h4 {
				s := f64(bias[r]) + dot(xr, wih[r*l.In:(r+1)*l.In])
				if t > 0 {
					prev := row - l.B
					s += dot(hs[prev*l.H:(prev+1)*l.H], whh[r*l.H:(r+1)*l.H])
				}
				if r >= 2*l.H && r < 3*l.H {
					g[r] = float32(math.Tanh(s))
				} else {
					g[r] = float32(sigmoid(s))
				}
			}
			for j := range l.H {
				k := row*l.H + j
				c := f64(g[j]) * f64(g[2*l.H+j])
				if t > 0 {
					c += f64(g[l.H+j]) * f64(cs[k-l.B*l.H])
				}
				cs[k] = float32(c)
				tcs[k] = float32(math.Tanh(f64(cs[k])))
				hs[k] = float32(f64(g[3*l.H+j]) * f64(tcs[k]))
			}
		}
	}
}

// refLSTMBackward fills the packed gradient out (see KindLSTMBackward) of
// an LSTM layer run on x, wih, whh with workspace ws, given dH [T, B, H].
func refLSTMBackward(l LSTM, out, x, wih, whh, ws, dH []float32) {
	h4, n := 4*l.H, l.Rows()
	part := func(p LSTMPart) []float32 { return out[l.GradOffset(p) : l.GradOffset(p)+l.PartLen(p)] }
	dx, dwih, dwhh, db := part(LSTMDX), part(LSTMDWih), part(LSTMDWhh), part(LSTMDBias)
	dz, dh0, dc := part(LSTMDZ), part(LSTMDH0), part(LSTMDC0)
	hs, cs, tcs := ws[:l.WsC()], ws[l.WsC():l.WsTanhC()], ws[l.WsTanhC():l.WsGates()]
	gates := ws[l.WsGates():]
	clear(dc)
	dh := make([]float64, l.H)
	for t := l.T - 1; t >= 0; t-- {
		for b := range l.B {
			row := t*l.B + b
			for j := range l.H {
				s := f64(dH[row*l.H+j])
				if t < l.T-1 {
					next := dz[(row+l.B)*h4 : (row+l.B+1)*h4]
					for r := range h4 {
						s += f64(next[r]) * f64(whh[r*l.H+j])
					}
				}
				dh[j] = s
			}
			g, z := gates[row*h4:(row+1)*h4], dz[row*h4:(row+1)*h4]
			for j := range l.H {
				i, f, gg, o := f64(g[j]), f64(g[l.H+j]), f64(g[2*l.H+j]), f64(g[3*l.H+j])
				tc := f64(tcs[row*l.H+j])
				dcv := f64(dc[b*l.H+j]) + dh[j]*o*(1-tc*tc)
				z[j] = float32(dcv * gg * i * (1 - i))
				z[l.H+j] = 0
				if t > 0 {
					z[l.H+j] = float32(dcv * f64(cs[(row-l.B)*l.H+j]) * f * (1 - f))
				}
				z[2*l.H+j] = float32(dcv * i * (1 - gg*gg))
				z[3*l.H+j] = float32(dh[j] * tc * o * (1 - o))
				dc[b*l.H+j] = float32(dcv * f)
			}
		}
	}
	// dx = dz·W_ih, dh0 = dz_0·W_hh.
	for row := range n {
		for k := range l.In {
			var s float64
			for r := range h4 {
				s += f64(dz[row*h4+r]) * f64(wih[r*l.In+k])
			}
			dx[row*l.In+k] = float32(s)
		}
	}
	for b := range l.B {
		for j := range l.H {
			var s float64
			for r := range h4 {
				s += f64(dz[b*h4+r]) * f64(whh[r*l.H+j])
			}
			dh0[b*l.H+j] = float32(s)
		}
	}
	// dW_ih = dzᵀ·x, dW_hh = dz[1:]ᵀ·h[:-1], dbias = Σ dz.
	for r := range h4 {
		var sb float64
		for row := range n {
			sb += f64(dz[row*h4+r])
		}
		db[r] = float32(sb)
		for k := range l.In {
			var s float64
			for row := range n {
				s += f64(dz[row*h4+r]) * f64(x[row*l.In+k])
			}
			dwih[r*l.In+k] = float32(s)
		}
		for j := range l.H {
			var s float64
			for row := l.B; row < n; row++ {
				s += f64(dz[row*h4+r]) * f64(hs[(row-l.B)*l.H+j])
			}
			dwhh[r*l.H+j] = float32(s)
		}
	}
}
