package graph

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Mode selects train-time or eval-time behaviour of layers such as Dropout.
type Mode int

const (
	// Train enables stochastic layers (dropout, sampling noise).
	Train Mode = iota
	// Eval makes stochastic layers deterministic (dropout is the identity).
	Eval
)

func (m Mode) String() string {
	if m == Train {
		return "train"
	}
	return "eval"
}

// Noise is an input node refilled from the run's seeded RNG before every
// execution (dropout masks, reparameterization noise). gorgonia's own random
// nodes seed from the clock, so they are never used.
type Noise struct {
	Node *G.Node
	Fill func(rng *rand.Rand, dst []float32)
	// Mask, when set, says the noise is a dropout mask a device may draw
	// itself instead of uploading Fill's values.
	Mask *Mask
}

// Mask describes a Bernoulli dropout mask: each value is Scale with
// probability Keep and 0 otherwise.
type Mask struct {
	Keep  float64
	Scale float32
}

// Builder builds one gorgonia graph over a Registry's shared parameters.
type Builder struct {
	G     *G.ExprGraph
	Reg   *Registry
	Mode  Mode
	noise []Noise
	nodes map[*Param]*G.Node
	used  []*Param
	diff  []*G.Node
}

// NewBuilder returns a builder of a fresh graph in the given mode.
func NewBuilder(reg *Registry, mode Mode) *Builder {
	return &Builder{G: G.NewGraph(), Reg: reg, Mode: mode, nodes: map[*Param]*G.Node{}}
}

// Param returns the node bound to p's shared value in this graph, creating it
// on first use.
func (b *Builder) Param(p *Param) *G.Node {
	if n, ok := b.nodes[p]; ok {
		return n
	}
	n := G.NewTensor(b.G, tensor.Float32, len(p.Shape), G.WithShape(p.Shape...), G.WithName(p.Name), G.WithValue(p.Value))
	if len(p.Shape) == 1 {
		n = G.NewVector(b.G, tensor.Float32, G.WithShape(p.Shape...), G.WithName(p.Name), G.WithValue(p.Value))
	}
	b.nodes[p] = n
	b.used = append(b.used, p)
	return n
}

// Input creates a float32 input node with a zero value of the given shape.
func (b *Builder) Input(name string, shape ...int) *G.Node {
	v := tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	return G.NewTensor(b.G, tensor.Float32, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(v))
}

// DiffInput creates a float32 input whose gradient a training program
// computes beside the parameters' (see Program.InputGrads): rows gathered
// from an embedding table on the host, whose gradient the caller scatters
// into row-sparse updates.
func (b *Builder) DiffInput(name string, shape ...int) *G.Node {
	n := b.Input(name, shape...)
	b.diff = append(b.diff, n)
	return n
}

// NoiseInput creates an input node that is refilled by fill from the run's
// RNG before every execution.
func (b *Builder) NoiseInput(name string, shape []int, fill func(*rand.Rand, []float32)) *G.Node {
	n := b.Input(name, shape...)
	b.noise = append(b.noise, Noise{Node: n, Fill: fill})
	return n
}

// MaskInput creates a noise input holding a dropout mask (see Mask),
// drawn on the host with rng.Float64() < keep per value.
func (b *Builder) MaskInput(name string, shape []int, keep float64, scale float32) *G.Node {
	n := b.NoiseInput(name, shape, func(rng *rand.Rand, dst []float32) {
		for i := range dst {
			if rng.Float64() < keep {
				dst[i] = scale
			} else {
				dst[i] = 0
			}
		}
	})
	b.noise[len(b.noise)-1].Mask = &Mask{Keep: keep, Scale: scale}
	return n
}

// Noise returns the noise inputs in creation order.
func (b *Builder) Noise() []Noise { return b.noise }

// Used returns the parameters referenced by this graph, in first-use order.
func (b *Builder) Used() []*Param { return b.used }

// ParamNode returns the node of p in this graph, or an error if p is unused.
func (b *Builder) ParamNode(p *Param) (*G.Node, error) {
	n, ok := b.nodes[p]
	if !ok {
		return nil, fmt.Errorf("graph: parameter %q is not used by this graph", p.Name)
	}
	return n, nil
}

// SetInput copies data into an input node's value; len(data) must equal its size.
func SetInput(n *G.Node, data []float32) error {
	v, ok := n.Value().(*tensor.Dense)
	if !ok {
		return fmt.Errorf("graph: input %q has no dense value", n.Name())
	}
	dst := v.Data().([]float32)
	if len(dst) != len(data) {
		return fmt.Errorf("graph: input %q holds %d values, got %d", n.Name(), len(dst), len(data))
	}
	copy(dst, data)
	return nil
}

// Float32s returns the float32 data of a node's current value.
func Float32s(n *G.Node) ([]float32, error) {
	v := n.Value()
	if v == nil {
		return nil, fmt.Errorf("graph: node %q has no value yet", n.Name())
	}
	switch t := v.(type) {
	case *tensor.Dense:
		d, ok := t.Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("graph: node %q holds %T, want float32", n.Name(), t.Data())
		}
		return d, nil
	case *G.F32:
		return []float32{float32(*t)}, nil
	}
	return nil, fmt.Errorf("graph: node %q holds %T", n.Name(), v)
}

// Int32Input creates an int32 input node (token ids, class targets) with a
// zero value of the given shape.
func (b *Builder) Int32Input(name string, shape ...int) *G.Node {
	v := tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Int32))
	return G.NewTensor(b.G, tensor.Int32, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(v))
}

// SetInt32s copies data into an int32 input node's value; len(data) must
// equal its size.
func SetInt32s(n *G.Node, data []int32) error {
	dst, err := Int32s(n)
	if err != nil {
		return err
	}
	if len(dst) != len(data) {
		return fmt.Errorf("graph: input %q holds %d values, got %d", n.Name(), len(dst), len(data))
	}
	copy(dst, data)
	return nil
}

// Int32s returns the int32 data of a node's current value.
func Int32s(n *G.Node) ([]int32, error) {
	v := n.Value()
	if v == nil {
		return nil, fmt.Errorf("graph: node %q has no value yet", n.Name())
	}
	t, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("graph: node %q holds %T, want a dense int32 tensor", n.Name(), v)
	}
	d, ok := t.Data().([]int32)
	if !ok {
		return nil, fmt.Errorf("graph: node %q holds %v, want int32", n.Name(), t.Dtype())
	}
	return d, nil
}
