package layers

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Activation names an elementwise nonlinearity: "" or "linear" (identity),
// "relu", "sigmoid" or "tanh".
type Activation string

// The supported activations.
const (
	Linear  Activation = "linear"
	ReLU    Activation = "relu"
	Sigmoid Activation = "sigmoid"
	Tanh    Activation = "tanh"
)

// Validate returns an error for an unknown activation.
func (a Activation) Validate() error {
	switch a {
	case "", Linear, ReLU, Sigmoid, Tanh:
		return nil
	}
	return fmt.Errorf("layers: unknown activation %q (want linear, relu, sigmoid or tanh)", string(a))
}

// String is the activation's name, "linear" for "".
func (a Activation) String() string {
	if a == "" {
		return string(Linear)
	}
	return string(a)
}

// Activate applies a to x (any float32 shape) as one fused op. The identity
// returns x itself; an unknown activation is an error.
func Activate(x *G.Node, a Activation) (*G.Node, error) {
	var (
		y   *G.Node
		err error
	)
	switch a {
	case "", Linear:
		return x, nil
	case ReLU, Sigmoid, Tanh:
		y, err = G.ApplyOp(actOp{act: a}, x)
	default:
		return nil, a.Validate()
	}
	if err != nil {
		return nil, fmt.Errorf("layers: %s: %w", a, err)
	}
	return y, nil
}
