// Package jsondoc holds the checks shared by the versioned JSON documents
// in which the models of svm, ocsvm and forest are saved: a strict decoder
// and checks of values that name the key at fault. Its errors name no
// package; callers wrap them in their own ErrFormat.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// Decode decodes the JSON object b into v after checking its "format",
// that every required key is present and that no value in it is null
// (which encoding/json would skip silently). Keys v lacks are errors.
func Decode(b []byte, format string, required []string, v any) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return err
	}
	if top == nil {
		return errors.New("null, want an object")
	}
	var f string
	if raw, ok := top["format"]; !ok {
		return errors.New(`no "format" key`)
	} else if err := json.Unmarshal(raw, &f); err != nil {
		return fmt.Errorf("format: %w", err)
	}
	if f != format {
		return fmt.Errorf("format %q, want %q", f, format)
	}
	for _, k := range required {
		if _, ok := top[k]; !ok {
			return fmt.Errorf("no %q key", k)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if tok == nil {
			return fmt.Errorf("null value ending at byte %d", dec.InputOffset())
		}
	}
	dec = json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Finite reports an error naming name if v is a NaN or an infinity.
func Finite(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s is %v, want a finite number", name, v)
	}
	return nil
}

// AllFinite checks every v[i] as Finite does, naming it name[i], and
// reports the first error.
func AllFinite(name string, v []float64) error {
	for i, x := range v {
		if err := Finite(fmt.Sprintf("%s[%d]", name, i), x); err != nil {
			return err
		}
	}
	return nil
}

// ByName returns the first of values whose String is s, and whether there
// is one; it inverts the String method of an enumeration.
func ByName[T fmt.Stringer](s string, values ...T) (T, bool) {
	for _, t := range values {
		if t.String() == s {
			return t, true
		}
	}
	var zero T
	return zero, false
}

// SupportVectors checks the support_vectors, dual_coef and support keys
// of a kernel machine's document, which the caller has checked hold equal
// counts: each support vector has d finite features, each dual
// coefficient is finite, and the support indexes are ≥ 0 and ascending.
// It reports the first fault of the first support vector that has one.
func SupportVectors(sv [][]float64, dualCoef []float64, support []int, d int) error {
	for k, row := range sv {
		if len(row) != d {
			return fmt.Errorf("support_vectors[%d] has %d features, want num_features = %d", k, len(row), d)
		}
		for f, v := range row {
			if err := Finite(fmt.Sprintf("support_vectors[%d][%d]", k, f), v); err != nil {
				return err
			}
		}
		if err := Finite(fmt.Sprintf("dual_coef[%d]", k), dualCoef[k]); err != nil {
			return err
		}
		if i := support[k]; i < 0 || k > 0 && i <= support[k-1] {
			return fmt.Errorf("support[%d] = %d, want ≥ 0 and ascending", k, i)
		}
	}
	return nil
}
