package sweep

import "strings"

// Setting is one sampled key and its value (int, float64, string, bool or
// []any of those).
type Setting struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// Point is a sampled configuration: the active keys of a Space, in the
// space's order (parents before the keys they condition, otherwise by key).
type Point []Setting

// Get returns key's value and whether the point has key.
func (p Point) Get(key string) (any, bool) {
	for _, s := range p {
		if s.Key == key {
			return s.Value, true
		}
	}
	return nil, false
}

// Sets renders the point as "key=value" strings, in order, for
// experiments.Parse / `vigil run --set`: each value reads back through
// YAML as itself (floats keep a '.' or exponent; odd strings are quoted).
func (p Point) Sets() []string {
	out := make([]string, len(p))
	for i, s := range p {
		out[i] = s.Key + "=" + formatValue(s.Value)
	}
	return out
}

// String is Sets joined by spaces.
func (p Point) String() string { return strings.Join(p.Sets(), " ") }

// Equal reports whether p and q hold the same keys with equal values,
// in any order; numbers compare by value (10 equals 10.0).
func (p Point) Equal(q Point) bool {
	if len(p) != len(q) {
		return false
	}
	for _, s := range p {
		v, ok := q.Get(s.Key)
		if !ok || !equalValues(s.Value, v) {
			return false
		}
	}
	return true
}
