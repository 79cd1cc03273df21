// Package graph is a thin layer over gorgonia's ExprGraph: a named parameter
// registry whose values are shared by a model's train and eval graphs, seeded
// initializers, graph builders with train/eval modes, seeded noise inputs, and
// compiled programs that run a graph and expose its gradients.
package graph

import (
	"fmt"
	"math/rand/v2"

	// gorgonia's dependency on this package must be at least the pinned
	// version or gorgonia panics at start-up on Go 1.26; importing it here
	// keeps the pin in go.mod.
	_ "go4.org/unsafe/assume-no-moving-gc"
	"gorgonia.org/tensor"
)

// Param is a trainable float32 tensor. Its Value is shared by every graph
// built from the same Registry, so an optimizer step is seen by all of them.
type Param struct {
	Name  string
	Shape []int
	Value *tensor.Dense
}

// Data returns the parameter's backing slice (row-major, len = product of Shape).
func (p *Param) Data() []float32 { return p.Value.Data().([]float32) }

// Size is the number of scalars in the parameter.
func (p *Param) Size() int { return tensor.Shape(p.Shape).TotalSize() }

// Registry holds a model's parameters by unique name, in creation order.
type Registry struct {
	params []*Param
	byName map[string]*Param
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byName: map[string]*Param{}} }

// Add creates a parameter initialized by init drawing from rng. Names must be
// unique and shapes non-empty with positive dimensions.
func (r *Registry) Add(name string, shape []int, init Initializer, rng *rand.Rand) (*Param, error) {
	if _, dup := r.byName[name]; dup {
		return nil, fmt.Errorf("graph: parameter %q already exists", name)
	}
	if len(shape) == 0 {
		return nil, fmt.Errorf("graph: parameter %q has an empty shape", name)
	}
	for _, d := range shape {
		if d <= 0 {
			return nil, fmt.Errorf("graph: parameter %q has shape %v with a non-positive dimension", name, shape)
		}
	}
	s := append([]int(nil), shape...)
	data := make([]float32, tensor.Shape(s).TotalSize())
	if init != nil {
		init(rng, s, data)
	}
	p := &Param{Name: name, Shape: s, Value: tensor.New(tensor.WithShape(s...), tensor.WithBacking(data))}
	r.params = append(r.params, p)
	r.byName[name] = p
	return p, nil
}

// Get returns the named parameter or nil.
func (r *Registry) Get(name string) *Param { return r.byName[name] }

// Params returns the parameters in creation order. The slice is shared; do not modify it.
func (r *Registry) Params() []*Param { return r.params }

// Count is the total number of trainable scalars.
func (r *Registry) Count() int {
	n := 0
	for _, p := range r.params {
		n += p.Size()
	}
	return n
}
