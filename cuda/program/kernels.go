package program

import (
	"math"

	"gorgonia.org/tensor"
)

// The reference kernels: plain loops, written for clarity, not speed.
// Transcendental functions and sums are evaluated in float64 and rounded
// once to float32. Every kernel writes all of its output.

func f64(x float32) float64 { return float64(x) }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// softplus is log(1+exp(x)), computed without overflow.
func softplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

var unaryFuncs = map[Unary]func(float32) float32{
	Abs: func(x float32) float32 { return float32(math.Abs(f64(x))) },
	Sign: func(x float32) float32 {
		switch {
		case x < 0:
			return -1
		case x > 0:
			return 1
		}
		return x
	},
	Ceil:     func(x float32) float32 { return float32(math.Ceil(f64(x))) },
	Floor:    func(x float32) float32 { return float32(math.Floor(f64(x))) },
	Sin:      func(x float32) float32 { return float32(math.Sin(f64(x))) },
	Cos:      func(x float32) float32 { return float32(math.Cos(f64(x))) },
	Exp:      func(x float32) float32 { return float32(math.Exp(f64(x))) },
	Log:      func(x float32) float32 { return float32(math.Log(f64(x))) },
	Log2:     func(x float32) float32 { return float32(math.Log2(f64(x))) },
	Neg:      func(x float32) float32 { return -x },
	Square:   func(x float32) float32 { return x * x },
	Sqrt:     func(x float32) float32 { return float32(math.Sqrt(f64(x))) },
	Inv:      func(x float32) float32 { return 1 / x },
	InvSqrt:  func(x float32) float32 { return float32(1 / math.Sqrt(f64(x))) },
	Cube:     func(x float32) float32 { return x * x * x },
	Tanh:     func(x float32) float32 { return float32(math.Tanh(f64(x))) },
	Sigmoid:  func(x float32) float32 { return float32(sigmoid(f64(x))) },
	Log1p:    func(x float32) float32 { return float32(math.Log1p(f64(x))) },
	Expm1:    func(x float32) float32 { return float32(math.Expm1(f64(x))) },
	Softplus: func(x float32) float32 { return float32(softplus(f64(x))) },
	ReLU:     func(x float32) float32 { return max(x, 0) },
}

func boolf(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

var binaryFuncs = map[Binary]func(a, b float32) float32{
	Add: func(a, b float32) float32 { return a + b },
	Sub: func(a, b float32) float32 { return a - b },
	Mul: func(a, b float32) float32 { return a * b },
	Div: func(a, b float32) float32 { return a / b },
	Pow: func(a, b float32) float32 { return float32(math.Pow(f64(a), f64(b))) },
	Lt:  func(a, b float32) float32 { return boolf(a < b) },
	Gt:  func(a, b float32) float32 { return boolf(a > b) },
	Le:  func(a, b float32) float32 { return boolf(a <= b) },
	Ge:  func(a, b float32) float32 { return boolf(a >= b) },
	Eq:  func(a, b float32) float32 { return boolf(a == b) },
	Ne:  func(a, b float32) float32 { return boolf(a != b) },
}

// at reads operand a at i, broadcasting a single value.
func at(a []float32, i int) float32 {
	if len(a) == 1 {
		return a[0]
	}
	return a[i]
}

// refMatMul computes c = op(a)·op(b) for each batch.
func refMatMul(mm MatMul, c, a, b []float32) {
	for bt := range mm.Batch {
		A := a[bt*mm.M*mm.K : (bt+1)*mm.M*mm.K]
		B := b[bt*mm.K*mm.N : (bt+1)*mm.K*mm.N]
		C := c[bt*mm.M*mm.N : (bt+1)*mm.M*mm.N]
		for i := range mm.M {
			for j := range mm.N {
				var s float64
				for k := range mm.K {
					ai := i*mm.K + k // A stored M×K
					if mm.TransA {
						ai = k*mm.M + i // A stored K×M
					}
					bi := k*mm.N + j // B stored K×N
					if mm.TransB {
						bi = j*mm.K + k // B stored N×K
					}
					s += f64(A[ai]) * f64(B[bi])
				}
				C[i*mm.N+j] = float32(s)
			}
		}
	}
}

// layout splits [N, C, ...] into N, C and the product of the rest.
func layout(s tensor.Shape) (n, c, inner int) {
	inner = 1
	for _, d := range s[2:] {
		inner *= d
	}
	return s[0], s[1], inner
}

// activate is the activation a at x.
func activate(a Act, x float32) float32 {
	switch a {
	case ActReLU:
		return max(x, 0)
	case ActSigmoid:
		return float32(sigmoid(f64(x)))
	case ActTanh:
		return float32(math.Tanh(f64(x)))
	}
	return x
}

// refBiasAct computes y = act(x + b[c]) for x [N, C, inner].
func refBiasAct(a Act, y, x, b []float32, n, c, inner int) {
	for i := range n {
		for j := range c {
			for k := range inner {
				idx := (i*c+j)*inner + k
				y[idx] = activate(a, x[idx]+b[j])
			}
		}
	}
}

// refBiasGrad computes db[c] = Σ g[n, c, inner].
func refBiasGrad(db, g []float32, n, c, inner int) {
	for j := range c {
		var s float64
		for i := range n {
			for k := range inner {
				s += f64(g[(i*c+j)*inner+k])
			}
		}
		db[j] = float32(s)
	}
}

// refActGrad computes dx = dy·act'(x) from y = act(x): relu 1 where y > 0,
// sigmoid y(1-y), tanh 1-y², linear 1.
func refActGrad(a Act, dx, y, dy []float32) {
	for i := range dx {
		switch a {
		case ActReLU:
			if y[i] > 0 {
				dx[i] = dy[i]
			} else {
				dx[i] = 0
			}
		case ActSigmoid:
			dx[i] = dy[i] * y[i] * (1 - y[i])
		case ActTanh:
			dx[i] = dy[i] * (1 - y[i]*y[i])
		default:
			dx[i] = dy[i]
		}
	}
}

// refConv2D computes y [N, OC, OH, OW] = conv(x [N, C, H, W], w [OC, C, K, K]).
func refConv2D(cv Conv, xs, ws tensor.Shape, y, x, w []float32) {
	n, c, h, wd := xs[0], xs[1], xs[2], xs[3]
	oc, k := ws[0], cv.Kernel
	oh, ow := convOut(h, cv), convOut(wd, cv)
	for b := range n {
		for o := range oc {
			for oy := range oh {
				for ox := range ow {
					var s float64
					for ci := range c {
						for ki := range k {
							iy := oy*cv.Stride - cv.Pad + ki
							if iy < 0 || iy >= h {
								continue
							}
							for kj := range k {
								ix := ox*cv.Stride - cv.Pad + kj
								if ix < 0 || ix >= wd {
									continue
								}
								s += f64(x[((b*c+ci)*h+iy)*wd+ix]) * f64(w[((o*c+ci)*k+ki)*k+kj])
							}
						}
					}
					y[((b*oc+o)*oh+oy)*ow+ox] = float32(s)
				}
			}
		}
	}
}

// refConvTranspose2D computes y [N, OC, OH, OW] = convT(x [N, C, H, W],
// w [C, OC, K, K]): each input value scatters x·w to y[oy·S-P+ki, ox·S-P+kj].
func refConvTranspose2D(cv Conv, xs, ys tensor.Shape, y, x, w []float32) {
	n, c, h, wd := xs[0], xs[1], xs[2], xs[3]
	oc, oh, ow, k := ys[1], ys[2], ys[3], cv.Kernel
	acc := make([]float64, len(y))
	for b := range n {
		for ci := range c {
			for iy := range h {
				for ix := range wd {
					xv := f64(x[((b*c+ci)*h+iy)*wd+ix])
					for o := range oc {
						for ki := range k {
							oy := iy*cv.Stride - cv.Pad + ki
							if oy < 0 || oy >= oh {
								continue
							}
							for kj := range k {
								ox := ix*cv.Stride - cv.Pad + kj
								if ox < 0 || ox >= ow {
									continue
								}
								acc[((b*oc+o)*oh+oy)*ow+ox] += xv * f64(w[((ci*oc+o)*k+ki)*k+kj])
							}
						}
					}
				}
			}
		}
	}
	for i, v := range acc {
		y[i] = float32(v)
	}
}

// refConvFilterGrad computes dw [CS, C, K, K] = Σ over n, oy, ox of
// small[n, cs, oy, ox]·large[n, c, oy·S-P+ki, ox·S-P+kj].
func refConvFilterGrad(cv Conv, ls, ss tensor.Shape, dw, large, small []float32) {
	n, c, h, wd := ls[0], ls[1], ls[2], ls[3]
	cs, oh, ow, k := ss[1], ss[2], ss[3], cv.Kernel
	for o := range cs {
		for ci := range c {
			for ki := range k {
				for kj := range k {
					var s float64
					for b := range n {
						for oy := range oh {
							iy := oy*cv.Stride - cv.Pad + ki
							if iy < 0 || iy >= h {
								continue
							}
							for ox := range ow {
								ix := ox*cv.Stride - cv.Pad + kj
								if ix < 0 || ix >= wd {
									continue
								}
								s += f64(small[((b*cs+o)*oh+oy)*ow+ox]) * f64(large[((b*c+ci)*h+iy)*wd+ix])
							}
						}
					}
					dw[((o*c+ci)*k+ki)*k+kj] = float32(s)
				}
			}
		}
	}
}

// refBCELogits computes out[n] = mean over example n of softplus(l) - t·l.
func refBCELogits(out, l, t []float32) {
	d := len(l) / len(out)
	for e := range out {
		var s float64
		for i := e * d; i < (e+1)*d; i++ {
			s += softplus(f64(l[i])) - f64(t[i])*f64(l[i])
		}
		out[e] = float32(s / float64(d))
	}
}

// refBCELogitsGrad computes dl = (sigmoid(l) - t)·g[n]/D.
func refBCELogitsGrad(dl, l, t, g []float32) {
	d := len(l) / len(g)
	for e := range g {
		for i := e * d; i < (e+1)*d; i++ {
			dl[i] = float32((sigmoid(f64(l[i])) - f64(t[i])) * f64(g[e]) / float64(d))
		}
	}
}

// refReduce sums (or takes the maximum of) x of shape xs over axes: each
// input index maps to the output index with the reduced axes removed.
func refReduce(isMax bool, xs tensor.Shape, axes []int, out, x []float32) {
	reduced := make([]bool, xs.Dims())
	for _, a := range axes {
		reduced[a] = true
	}
	acc := make([]float64, len(out))
	for i := range acc {
		if isMax {
			acc[i] = math.Inf(-1)
		}
	}
	idx := make([]int, xs.Dims()) // multi-index of flat input index i
	for i := range x {
		o := 0
		for a, d := range xs {
			if !reduced[a] {
				o = o*d + idx[a]
			}
		}
		if isMax {
			acc[o] = math.Max(acc[o], f64(x[i]))
		} else {
			acc[o] += f64(x[i])
		}
		for a := len(idx) - 1; a >= 0; a-- { // advance the multi-index
			if idx[a]++; idx[a] < xs[a] {
				break
			}
			idx[a] = 0
		}
	}
	for i, v := range acc {
		out[i] = float32(v)
	}
}

// refRepeat computes out[o, d·Reps+r, i] = x[o, d, i].
func refRepeat(rp Repeat, out, x []float32) {
	for o := range rp.Outer {
		for d := range rp.Dim {
			for r := range rp.Reps {
				for i := range rp.Inner {
					out[((o*rp.Dim+d)*rp.Reps+r)*rp.Inner+i] = x[(o*rp.Dim+d)*rp.Inner+i]
				}
			}
		}
	}
}

// refTranspose permutes the axes of x (shape xs): output axis k is input
// axis perm[k].
func refTranspose(xs tensor.Shape, perm []int, out, x []float32) {
	os := make([]int, len(perm))
	for k, a := range perm {
		os[k] = xs[a]
	}
	strides := make([]int, len(xs)) // input strides
	s := 1
	for a := len(xs) - 1; a >= 0; a-- {
		strides[a] = s
		s *= xs[a]
	}
	idx := make([]int, len(os)) // multi-index of flat output index i
	for i := range out {
		src := 0
		for k, a := range perm {
			src += idx[k] * strides[a]
		}
		out[i] = x[src]
		for k := len(idx) - 1; k >= 0; k-- {
			if idx[k]++; idx[k] < os[k] {
				break
			}
			idx[k] = 0
		}
	}
}
