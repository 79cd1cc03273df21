package sweep

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// canonical converts a value decoded from YAML, JSON or Go code to the
// types a Point holds: int, float64, string, bool, or []any of those.
// Whole-number unsigned and signed integers of any width become int;
// float32 becomes the float64 with the same shortest decimal form.
// Null, maps and non-finite floats are errors.
func canonical(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, fmt.Errorf("null value")
	case bool, string, int:
		return x, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("non-finite number %v", x)
		}
		return x, nil
	case float32:
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
		return canonical(f)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt {
			return nil, fmt.Errorf("integer %d overflows int", u)
		}
		return int(u), nil
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			e, err := canonical(rv.Index(i).Interface())
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			out[i] = e
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value %v of type %T", v, v)
}

// number returns v as a float64 when it is an int or float64.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// equalValues compares canonical values; numbers compare by value, so 10
// (int) equals 10.0 (float64, as JSON decodes it).
func equalValues(a, b any) bool {
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x == y
	}
	if x, ok := a.([]any); ok {
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalValues(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

// formatValue renders a canonical value as the YAML that experiments'
// --set parser (yaml.Unmarshal of the text after '=') reads back as the
// same value: floats always carry a '.' or an exponent, strings are quoted
// when plain text would read as something else, lists use flow style.
func formatValue(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s
	case bool:
		return strconv.FormatBool(x)
	case string:
		if plainString(x) {
			return x
		}
		return strconv.Quote(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			if s, ok := e.(string); ok {
				parts[i] = strconv.Quote(s) // flow context: always quote
			} else {
				parts[i] = formatValue(e)
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// plainString reports whether s reads back from YAML as itself, unquoted.
func plainString(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, "\n\r\t\"'\\") {
		return false
	}
	var back any
	if err := yaml.Unmarshal([]byte(s), &back); err != nil {
		return false
	}
	got, ok := back.(string)
	return ok && got == s
}
