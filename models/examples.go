package models

import (
	"fmt"
	"slices"
)

// Input describes the examples a task hands a family: each example has
// FloatShape float32 features and IntShape int32 features (token ids,
// hashed indices), either possibly empty.
type Input struct {
	FloatShape []int `json:"float_shape,omitempty"` // e.g. [100, 50]: commands x embedding dimensions
	IntShape   []int `json:"int_shape,omitempty"`   // e.g. [65]: a window of call ids and its next call
	// Vocab bounds the integer features: every id is in [0, Vocab).
	Vocab int `json:"vocab,omitempty"`
}

// FloatSize is the number of float features per example.
func (in Input) FloatSize() int { return size(in.FloatShape) }

// IntSize is the number of integer features per example.
func (in Input) IntSize() int { return size(in.IntShape) }

func size(shape []int) int {
	if len(shape) == 0 {
		return 0
	}
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Pad marks an integer feature with no value (past the end of a sequence):
// families ignore it, as a target and as an input.
const Pad int32 = -1

// Examples are N examples of one Input, stored contiguously.
type Examples struct {
	Input
	N     int
	Float []float32 // N x FloatSize
	Int   []int32   // N x IntSize
}

// FloatAt is example i's float features.
func (e Examples) FloatAt(i int) []float32 {
	s := e.FloatSize()
	return e.Float[i*s : (i+1)*s]
}

// IntAt is example i's integer features.
func (e Examples) IntAt(i int) []int32 {
	s := e.IntSize()
	return e.Int[i*s : (i+1)*s]
}

// Check verifies the storage sizes and the id range.
func (e Examples) Check() error {
	if e.N < 0 || len(e.Float) != e.N*e.FloatSize() || len(e.Int) != e.N*e.IntSize() {
		return fmt.Errorf("models: %d examples of %v floats and %v ints hold %d floats and %d ints", e.N, e.FloatShape, e.IntShape, len(e.Float), len(e.Int))
	}
	if e.Vocab > 0 {
		for i, v := range e.Int {
			if (v < 0 && v != Pad) || int(v) >= e.Vocab {
				return fmt.Errorf("models: example %d: id %d outside the vocabulary [0, %d)", i/e.IntSize(), v, e.Vocab)
			}
		}
	}
	return nil
}

// Matches reports whether e has the input layout in.
func (e Examples) Matches(in Input) error {
	if !slices.Equal(e.FloatShape, in.FloatShape) || !slices.Equal(e.IntShape, in.IntShape) {
		return fmt.Errorf("models: examples of %v floats and %v ints, model wants %v and %v", e.FloatShape, e.IntShape, in.FloatShape, in.IntShape)
	}
	return nil
}

// Score is one named anomaly score: Width values per example (1 for a
// score per example; a language model gives one per position).
type Score struct {
	Name   string    `json:"name"`
	Width  int       `json:"width"`
	Values []float64 `json:"values"`
}
