package exec

import "math"

// The elementwise functions of unary.cu and binary.cu in float32.

func f32(f func(float64) float64) func(float32) float32 {
	return func(x float32) float32 { return float32(f(float64(x))) }
}

func sigmoid32(x float32) float32 { return 1 / (1 + float32(math.Exp(float64(-x)))) }

// softplus32 is vg_softplus: max(x, 0) + log1p(exp(-|x|)).
func softplus32(x float32) float32 {
	return fmaxf(x, 0) + float32(math.Log1p(float64(float32(math.Exp(float64(-abs32(x)))))))
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

func sign32(x float32) float32 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x
}

// fmaxf and fminf return the other operand when one is NaN.
func fmaxf(a, b float32) float32 {
	switch {
	case a != a:
		return b
	case b != b:
		return a
	}
	return max(a, b)
}

func fminf(a, b float32) float32 {
	switch {
	case a != a:
		return b
	case b != b:
		return a
	}
	return min(a, b)
}

func relu32(x float32) float32 {
	if x > 0 {
		return x
	}
	return 0
}

var unaryF = map[string]func(float32) float32{
	"relu": relu32, "sigmoid": sigmoid32, "tanh": f32(math.Tanh), "exp": f32(math.Exp),
	"log": f32(math.Log), "log1p": f32(math.Log1p), "neg": func(x float32) float32 { return -x },
	"square": func(x float32) float32 { return x * x }, "sqrt": f32(math.Sqrt), "abs": abs32,
	"softplus": softplus32, "inv": func(x float32) float32 { return 1 / x }, "sign": sign32,
	"ceil": f32(math.Ceil), "floor": f32(math.Floor), "sin": f32(math.Sin), "cos": f32(math.Cos),
	"log2": f32(math.Log2), "inv_sqrt": f32(func(x float64) float64 { return 1 / math.Sqrt(x) }),
	"cube": func(x float32) float32 { return x * x * x }, "expm1": f32(math.Expm1),
}

// unaryGradF are the OP_grad_f32 expressions of dx from x, y and g = dy.
var unaryGradF = map[string]func(x, y, g float32) float32{
	"relu": func(x, _, g float32) float32 {
		if x > 0 {
			return g
		}
		return 0
	},
	"sigmoid": func(_, y, g float32) float32 { return g * y * (1 - y) },
	"tanh":    func(_, y, g float32) float32 { return g * (1 - y*y) },
	"exp":     func(_, y, g float32) float32 { return g * y },
	"log":     func(x, _, g float32) float32 { return g / x },
	"log1p":   func(x, _, g float32) float32 { return g / (1 + x) },
	"neg":     func(_, _, g float32) float32 { return -g },
	"square":  func(x, _, g float32) float32 { return 2 * x * g },
	"sqrt":    func(_, y, g float32) float32 { return g * 0.5 / y },
	"abs": func(x, _, g float32) float32 {
		switch {
		case x > 0:
			return g
		case x < 0:
			return -g
		}
		return 0
	},
	"softplus": func(x, _, g float32) float32 { return g * sigmoid32(x) },
	"inv":      func(_, y, g float32) float32 { return -g * y * y },
	"sign":     func(_, _, _ float32) float32 { return 0 },
	"ceil":     func(_, _, _ float32) float32 { return 0 },
	"floor":    func(_, _, _ float32) float32 { return 0 },
	"sin":      func(x, _, g float32) float32 { return g * float32(math.Cos(float64(x))) },
	"cos":      func(x, _, g float32) float32 { return -g * float32(math.Sin(float64(x))) },
	"log2":     func(x, _, g float32) float32 { return g / (x * 0.693147180559945309) },
	"inv_sqrt": func(_, y, g float32) float32 { return -0.5 * g * y * y * y },
	"cube":     func(x, _, g float32) float32 { return 3 * x * x * g },
	"expm1":    func(_, y, g float32) float32 { return g * (y + 1) },
}

func boolf(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

var binaryF = map[string]func(a, b float32) float32{
	"add": func(a, b float32) float32 { return a + b },
	"sub": func(a, b float32) float32 { return a - b },
	"mul": func(a, b float32) float32 { return a * b },
	"div": func(a, b float32) float32 { return a / b },
	"pow": func(a, b float32) float32 { return float32(math.Pow(float64(a), float64(b))) },
	"max": fmaxf, "min": fminf,
	"gt": func(a, b float32) float32 { return boolf(a > b) },
	"lt": func(a, b float32) float32 { return boolf(a < b) },
	"ge": func(a, b float32) float32 { return boolf(a >= b) },
	"le": func(a, b float32) float32 { return boolf(a <= b) },
	"eq": func(a, b float32) float32 { return boolf(a == b) },
	"ne": func(a, b float32) float32 { return boolf(a != b) },
}

// act32 is vg_act; actGrad32 is vg_act_grad.
func act32(act int, z float32) float32 {
	switch act {
	case ActReLU:
		return relu32(z)
	case ActSigmoid:
		return sigmoid32(z)
	case ActTanh:
		return float32(math.Tanh(float64(z)))
	}
	return z
}

func actGrad32(act int, y, dy float32) float32 {
	switch act {
	case ActReLU:
		if y > 0 {
			return dy
		}
		return 0
	case ActSigmoid:
		return dy * y * (1 - y)
	case ActTanh:
		return dy * (1 - y*y)
	}
	return dy
}

// vgMax is vg_max: max propagating NaN.
func vgMax(a, b float32) float32 {
	switch {
	case a != a:
		return a
	case b != b:
		return b
	}
	return max(a, b)
}
