package sweep

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// specFields are the fields a parameter's map may have.
var specFields = []string{"choice", "float", "grid", "int", "log", "step", "when"}

// Decode builds a Space from the map under a sweep file's `space:` key, as
// yaml.Unmarshal or viper gives it. Each key maps to one of
//
//	{choice: [v1, v2, ...]}
//	{int: [low, high], step: s, log: bool, grid: n}
//	{float: [low, high], step: s, log: bool, grid: n}
//
// with an optional `when: {other.key: [values...]}` (a single value may
// stand for a one-element list). Dotted keys may also come nested
// ({train: {lr: {...}}}, as viper's AllSettings nests them), in the space
// and in `when`. Unknown fields and malformed specs are errors naming the key.
func Decode(raw map[string]any) (*Space, error) {
	var params []Param
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		for _, k := range sortedKeys(m) {
			key := joinKey(prefix, k)
			sub, ok := asMap(m[k])
			if !ok {
				return fmt.Errorf("space: %s: want a map with choice, int or float, have %v", key, m[k])
			}
			if !isSpec(sub) {
				if len(sub) == 0 {
					return fmt.Errorf("space: %s: empty spec", key)
				}
				if err := walk(key, sub); err != nil {
					return err
				}
				continue
			}
			p, err := decodeParam(key, sub)
			if err != nil {
				return err
			}
			params = append(params, p)
		}
		return nil
	}
	if err := walk("", raw); err != nil {
		return nil, err
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("space: no parameters")
	}
	return NewSpace(params...)
}

func isSpec(m map[string]any) bool {
	for _, f := range []string{"choice", "int", "float"} {
		if _, ok := m[f]; ok {
			return true
		}
	}
	return false
}

func decodeParam(key string, m map[string]any) (Param, error) {
	fail := func(format string, a ...any) (Param, error) {
		return Param{}, fmt.Errorf("space: %s: "+format, append([]any{key}, a...)...)
	}
	p := Param{Key: key}
	kinds := 0
	for _, f := range sortedKeys(m) {
		v := m[f]
		var err error
		switch f {
		case "choice":
			kinds++
			p.Kind = Choice
			p.Choices, err = asList(v)
			if err == nil && len(p.Choices) == 0 {
				err = fmt.Errorf("empty list")
			}
		case "int", "float":
			kinds++
			p.Kind = map[string]Kind{"int": Int, "float": Float}[f]
			p.Low, p.High, err = decodeRange(v)
		case "log":
			b, ok := v.(bool)
			if !ok {
				err = fmt.Errorf("want true or false, have %v", v)
			}
			p.Log = b
		case "step":
			p.Step, err = asNumber(v)
			if err == nil && p.Step <= 0 {
				err = fmt.Errorf("want a positive number, have %v", v)
			}
		case "grid":
			var g float64
			g, err = asNumber(v)
			if err == nil && (g != math.Trunc(g) || g < 1 || g > math.MaxInt32) {
				err = fmt.Errorf("want a positive whole number, have %v", v)
			}
			p.Grid = int(g)
		case "when":
			p.When, err = decodeWhen(v)
		default:
			return fail("unknown field %q (want %s)", f, strings.Join(specFields, ", "))
		}
		if err != nil {
			return fail("%s: %w", f, err)
		}
	}
	if kinds != 1 {
		return fail("want exactly one of choice, int, float")
	}
	return p, nil
}

// decodeRange reads [low, high].
func decodeRange(v any) (low, high float64, err error) {
	l, err := asList(v)
	if err != nil {
		return 0, 0, err
	}
	if len(l) != 2 {
		return 0, 0, fmt.Errorf("want [low, high], have %d values", len(l))
	}
	if low, err = asNumber(l[0]); err != nil {
		return 0, 0, fmt.Errorf("low: %w", err)
	}
	if high, err = asNumber(l[1]); err != nil {
		return 0, 0, fmt.Errorf("high: %w", err)
	}
	return low, high, nil
}

// decodeWhen reads {key: [values]} or {key: value}, keys possibly nested.
func decodeWhen(v any) ([]Condition, error) {
	m, ok := asMap(v)
	if !ok || len(m) == 0 {
		return nil, fmt.Errorf("want a map of key: [values], have %v", v)
	}
	var conds []Condition
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		for _, k := range sortedKeys(m) {
			key := joinKey(prefix, k)
			if sub, ok := asMap(m[k]); ok {
				if err := walk(key, sub); err != nil {
					return err
				}
				continue
			}
			vals, err := asList(m[k])
			if err != nil { // a scalar is a one-value list
				vals = []any{m[k]}
			}
			if len(vals) == 0 {
				return fmt.Errorf("%s: no values", key)
			}
			conds = append(conds, Condition{Key: key, Values: vals})
		}
		return nil
	}
	return conds, walk("", m)
}

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// asMap accepts map[string]any and YAML v2's map[any]any with string keys.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, x := range m {
			s, ok := k.(string)
			if !ok {
				return nil, false
			}
			out[s] = x
		}
		return out, true
	}
	return nil, false
}

func asList(v any) ([]any, error) {
	rv := reflect.ValueOf(v)
	if v == nil || (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) {
		return nil, fmt.Errorf("want a list, have %v", v)
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}

// asNumber accepts any integer or float type, and numeric strings (as some
// YAML 1.1 readers leave "1e-4").
func asNumber(v any) (float64, error) {
	if s, ok := v.(string); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return 0, fmt.Errorf("want a number, have %q", s)
		}
		return f, nil
	}
	c, err := canonical(v)
	if err != nil {
		return 0, err
	}
	f, ok := number(c)
	if !ok {
		return 0, fmt.Errorf("want a number, have %v", v)
	}
	return f, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
