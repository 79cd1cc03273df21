package jsondoc

import (
	"math"
	"strings"
	"testing"
)

type doc struct {
	Format string    `json:"format"`
	N      int       `json:"n"`
	X      []float64 `json:"x"`
	Opt    *float64  `json:"opt,omitempty"`
}

var required = []string{"format", "n", "x"}

// TestDecode: a valid document is read, optional keys may be left out,
// and every kind of damage is an error that names it.
func TestDecode(t *testing.T) {
	var ok doc
	if err := Decode([]byte(`{"format":"t/1","n":2,"x":[1,2.5]}`), "t/1", required, &ok); err != nil {
		t.Fatal(err)
	}
	if ok.Format != "t/1" || ok.N != 2 || len(ok.X) != 2 || ok.X[1] != 2.5 || ok.Opt != nil {
		t.Errorf("decoded %+v", ok)
	}
	for _, c := range []struct{ name, doc, want string }{
		{"empty", ``, "unexpected end"},
		{"truncated", `{"format":"t/1","n":2,"x":[1,2.5]`, "unexpected end"},
		{"null", `null`, "null, want an object"},
		{"array", `[1]`, "cannot unmarshal array"},
		{"trailing data", `{"format":"t/1","n":2,"x":[]}{}`, "after top-level value"},
		{"no format", `{"n":2,"x":[]}`, `no "format" key`},
		{"format not a string", `{"format":1,"n":2,"x":[]}`, "format: json: cannot unmarshal number"},
		{"other format", `{"format":"t/2","n":2,"x":[]}`, `format "t/2", want "t/1"`},
		{"missing key", `{"format":"t/1","x":[]}`, `no "n" key`},
		{"null key", `{"format":"t/1","n":null,"x":[]}`, "null value ending at byte 24"},
		{"null element", `{"format":"t/1","n":2,"x":[1,null]}`, "null value"},
		{"null optional key", `{"format":"t/1","n":2,"x":[],"opt":null}`, "null value"},
		{"unknown key", `{"format":"t/1","n":2,"x":[],"y":1}`, `unknown field "y"`},
		{"wrong type", `{"format":"t/1","n":"2","x":[]}`, "cannot unmarshal string"},
		{"overflow", `{"format":"t/1","n":2,"x":[1e999]}`, "cannot unmarshal number 1e999"},
	} {
		var v doc
		err := Decode([]byte(c.doc), "t/1", required, &v)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one that mentions %q", c.name, err, c.want)
		}
	}
}

func TestFinite(t *testing.T) {
	for _, v := range []float64{0, -1.5, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		if err := Finite("v", v); err != nil {
			t.Errorf("Finite(%v): %v", v, err)
		}
	}
	for v, want := range map[float64]string{
		math.Inf(1):  "rho is +Inf, want a finite number",
		math.Inf(-1): "rho is -Inf, want a finite number",
	} {
		if err := Finite("rho", v); err == nil || err.Error() != want {
			t.Errorf("Finite(%v): %v, want %q", v, err, want)
		}
	}
	if err := Finite("rho", math.NaN()); err == nil || err.Error() != "rho is NaN, want a finite number" {
		t.Errorf("Finite(NaN): %v", err)
	}
	if err := AllFinite("w", []float64{1, 2, math.NaN(), math.Inf(1)}); err == nil || err.Error() != "w[2] is NaN, want a finite number" {
		t.Errorf("AllFinite: %v, want w[2] named", err)
	}
	if err := AllFinite("w", nil); err != nil {
		t.Errorf("AllFinite(nil): %v", err)
	}
}

type color int

func (c color) String() string { return [...]string{"red", "green", "blue"}[c] }

func TestByName(t *testing.T) {
	if c, ok := ByName("green", color(0), 1, 2); !ok || c != 1 {
		t.Errorf("ByName(green) = %v, %v", c, ok)
	}
	if c, ok := ByName("Green", color(0), 1, 2); ok || c != 0 {
		t.Errorf("ByName(Green) = %v, %v, want the zero value and false", c, ok)
	}
}

// TestSupportVectors: each fault is reported for the first support vector
// holding one, naming its key and index.
func TestSupportVectors(t *testing.T) {
	sv := func() [][]float64 { return [][]float64{{1, 2}, {3, 4}, {5, 6}} }
	coef := func() []float64 { return []float64{0.5, -1, 0.5} }
	if err := SupportVectors(sv(), coef(), []int{0, 4, 9}, 2); err != nil {
		t.Fatal(err)
	}
	if err := SupportVectors(nil, nil, nil, 3); err != nil {
		t.Fatal(err)
	}
	short, nan, inf := sv(), sv(), coef()
	short[1] = short[1][:1]
	nan[2][1] = math.NaN()
	inf[1] = math.Inf(-1)
	for _, c := range []struct {
		name    string
		sv      [][]float64
		coef    []float64
		support []int
		want    string
	}{
		{"short row", short, coef(), []int{0, 1, 2}, "support_vectors[1] has 1 features, want num_features = 2"},
		{"NaN feature", nan, coef(), []int{0, 1, 2}, "support_vectors[2][1] is NaN"},
		{"infinite coefficient", sv(), inf, []int{0, 1, 2}, "dual_coef[1] is -Inf"},
		{"negative index", sv(), coef(), []int{-1, 1, 2}, "support[0] = -1, want ≥ 0 and ascending"},
		{"repeated index", sv(), coef(), []int{0, 3, 3}, "support[2] = 3"},
		{"descending index", sv(), coef(), []int{5, 3, 7}, "support[1] = 3"},
		{"first fault first", short, inf, []int{0, 1, 0}, "support_vectors[1] has 1 features"},
	} {
		err := SupportVectors(c.sv, c.coef, c.support, 2)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one that mentions %q", c.name, err, c.want)
		}
	}
}
