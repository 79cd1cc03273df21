package trainers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/graph"
)

// slot is the per-parameter moment storage of an optimizer.
type slot struct {
	shape []int
	bufs  [][]float32 // one per moment kind
}

// slots maps parameter names to their moments, remembering first-use order.
type slots struct {
	kinds []string
	byKey map[string]*slot
	order []string
}

func newSlots(kinds ...string) slots {
	return slots{kinds: kinds, byKey: map[string]*slot{}}
}

// check validates params, grads and rows (aligned with params, possibly
// shorter or nil) against each other and the stored moments without
// modifying anything.
func (s *slots) check(params []*graph.Param, grads [][]float32, rows []*RowGrad) error {
	if len(params) != len(grads) {
		return fmt.Errorf("trainers: %d parameters but %d gradients", len(params), len(grads))
	}
	if len(rows) > len(params) {
		return fmt.Errorf("trainers: %d parameters but %d row gradients", len(params), len(rows))
	}
	seen := make(map[string]bool, len(params))
	for i, p := range params {
		if seen[p.Name] {
			return fmt.Errorf("trainers: parameter %q appears twice", p.Name)
		}
		seen[p.Name] = true
		g, r := grads[i], rowAt(rows, i)
		switch {
		case g == nil && r == nil:
			continue
		case g != nil && r != nil:
			return fmt.Errorf("trainers: parameter %q has both a dense and a row gradient", p.Name)
		case g != nil && (len(g) != p.Size() || len(p.Data()) != p.Size()):
			return fmt.Errorf("trainers: parameter %q has %d values, its gradient %d", p.Name, p.Size(), len(g))
		case r != nil && len(p.Data()) != p.Size():
			return fmt.Errorf("trainers: parameter %q has %d values, its shape %v", p.Name, len(p.Data()), p.Shape)
		}
		if r != nil {
			if err := r.check(p); err != nil {
				return err
			}
		}
		if sl, ok := s.byKey[p.Name]; ok && !slices.Equal(sl.shape, p.Shape) {
			return fmt.Errorf("trainers: parameter %q has shape %v, its optimizer state %v", p.Name, p.Shape, sl.shape)
		}
	}
	return nil
}

// get returns the moments of p, creating zeroed ones on first use.
func (s *slots) get(p *graph.Param) *slot {
	if sl, ok := s.byKey[p.Name]; ok {
		return sl
	}
	sl := &slot{shape: slices.Clone(p.Shape), bufs: make([][]float32, len(s.kinds))}
	for i := range sl.bufs {
		sl.bufs[i] = make([]float32, p.Size())
		// Fresh memory from the OS is mapped on first write: touch it
		// now, or row-wise updates of a large table fault page by page
		// in every step for the first epochs.
		clear(sl.bufs[i])
	}
	s.byKey[p.Name] = sl
	s.order = append(s.order, p.Name)
	return sl
}

// tensors returns copies of all moments named "<kind>/<param>".
func (s *slots) tensors() []checkpoints.Tensor {
	var out []checkpoints.Tensor
	for _, name := range s.order {
		sl := s.byKey[name]
		for k, kind := range s.kinds {
			out = append(out, checkpoints.Tensor{Name: kind + "/" + name, Shape: slices.Clone(sl.shape), Data: slices.Clone(sl.bufs[k])})
		}
	}
	return out
}

// parse builds slots from checkpoint tensors: every parameter needs one
// tensor of each kind, all of the same shape.
func (s *slots) parse(ts []checkpoints.Tensor) (slots, error) {
	out := newSlots(s.kinds...)
	kindIndex := map[string]int{}
	for i, k := range s.kinds {
		kindIndex[k] = i
	}
	for _, t := range ts {
		kind, param, ok := strings.Cut(t.Name, "/")
		k, known := kindIndex[kind]
		if !ok || !known || param == "" {
			return slots{}, fmt.Errorf("unexpected tensor %q (want one of %v followed by /<param>)", t.Name, s.kinds)
		}
		n := 1
		for _, d := range t.Shape {
			if d < 0 {
				return slots{}, fmt.Errorf("tensor %q: negative dimension in shape %v", t.Name, t.Shape)
			}
			n *= d
		}
		if n != len(t.Data) {
			return slots{}, fmt.Errorf("tensor %q: shape %v but %d values", t.Name, t.Shape, len(t.Data))
		}
		sl, exists := out.byKey[param]
		if !exists {
			sl = &slot{shape: slices.Clone(t.Shape), bufs: make([][]float32, len(s.kinds))}
			out.byKey[param] = sl
			out.order = append(out.order, param)
		}
		if !slices.Equal(sl.shape, t.Shape) {
			return slots{}, fmt.Errorf("tensor %q: shape %v differs from %v of the other moments", t.Name, t.Shape, sl.shape)
		}
		if sl.bufs[k] != nil {
			return slots{}, fmt.Errorf("duplicate tensor %q", t.Name)
		}
		sl.bufs[k] = slices.Clone(t.Data)
	}
	for _, name := range out.order {
		for k, buf := range out.byKey[name].bufs {
			if buf == nil {
				return slots{}, fmt.Errorf("parameter %q lacks its %q tensor", name, s.kinds[k])
			}
		}
	}
	return out, nil
}
