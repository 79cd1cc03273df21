package sweep

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

const exampleYAML = `
space:
  train.lr: {float: [1e-4, 1e-2], log: true}
  model.latent: {int: [2, 32], log: true}
  windows.stride: {choice: [10, 25, 50]}
  model.discriminator: {choice: [window, calls]}
  model.corruption: {float: [0.05, 0.5], when: {model.discriminator: [calls]}}
`

// decodeYAML decodes the map under space: of doc.
func decodeYAML(t *testing.T, doc string) (*Space, error) {
	t.Helper()
	var top map[string]any
	if err := yaml.Unmarshal([]byte(doc), &top); err != nil {
		t.Fatal(err)
	}
	raw, ok := top["space"].(map[string]any)
	if !ok {
		t.Fatalf("no space: map in %q", doc)
	}
	return Decode(raw)
}

// TestDecodeExample decodes the sweep file of the design brief and checks
// every parameter and the order (parents first, otherwise by key).
func TestDecodeExample(t *testing.T) {
	s, err := decodeYAML(t, exampleYAML)
	if err != nil {
		t.Fatal(err)
	}
	want := []Param{
		{Key: "model.discriminator", Kind: Choice, Choices: []any{"window", "calls"}},
		{Key: "model.corruption", Kind: Float, Low: 0.05, High: 0.5,
			When: []Condition{{Key: "model.discriminator", Values: []any{"calls"}}}},
		{Key: "model.latent", Kind: Int, Low: 2, High: 32, Log: true, Step: 1},
		{Key: "train.lr", Kind: Float, Low: 1e-4, High: 1e-2, Log: true},
		{Key: "windows.stride", Kind: Choice, Choices: []any{10, 25, 50}},
	}
	if got := s.Params(); !reflect.DeepEqual(got, want) {
		t.Errorf("params\n got %#v\nwant %#v", got, want)
	}
}

// TestDecodeViper decodes the same file as viper gives it, both from
// Get("space") (dotted keys kept) and from AllSettings (dotted keys nested,
// in the space and in when), and expects the yaml.v3 result.
func TestDecodeViper(t *testing.T) {
	want, err := decodeYAML(t, exampleYAML)
	if err != nil {
		t.Fatal(err)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader([]byte(exampleYAML))); err != nil {
		t.Fatal(err)
	}
	nested, ok := v.AllSettings()["space"].(map[string]any)
	if !ok {
		t.Fatalf("AllSettings space: %#v", v.AllSettings()["space"])
	}
	if _, flat := nested["train.lr"]; flat {
		t.Fatalf("expected AllSettings to nest dotted keys: %#v", nested)
	}
	for name, raw := range map[string]any{"Get": v.Get("space"), "AllSettings": nested} {
		m, ok := asMap(raw)
		if !ok {
			t.Fatalf("%s: %T", name, raw)
		}
		got, err := Decode(m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got.Params(), want.Params()) {
			t.Errorf("%s:\n got %#v\nwant %#v", name, got.Params(), want.Params())
		}
	}
}

// TestDecodeErrors checks that each malformed spec fails with an error that
// names the key and the problem.
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ name, space, want string }{
		{"empty range", `a: {float: []}`, "a: float: want [low, high]"},
		{"one bound", `a: {int: [3]}`, "a: int: want [low, high]"},
		{"low > high", `a: {int: [5, 2]}`, "a: empty range: low 5 > high 2"},
		{"float low > high", `lr: {float: [0.1, 0.01]}`, "lr: empty range"},
		{"log low 0", `a: {float: [0, 1], log: true}`, "a: log scale needs low > 0"},
		{"log low negative", `a: {int: [-2, 4], log: true}`, "a: log scale needs low > 0"},
		{"unknown field", `a: {float: [0, 1], lg: true}`, `a: unknown field "lg"`},
		{"two kinds", `a: {choice: [1], int: [1, 2]}`, "a: want exactly one of choice, int, float"},
		{"no kind", `a: {b: 3}`, "a.b: want a map with choice, int or float"},
		{"not a map", `a: 3`, "a: want a map"},
		{"empty choice", `a: {choice: []}`, "a: choice: empty list"},
		{"duplicate choice", `a: {choice: [1, 2, 1.0]}`, "a: duplicate choice 1"},
		{"log on choice", `a: {choice: [1, 2], log: true}`, "a: log, step, grid and bounds apply to int and float ranges only"},
		{"int not whole", `a: {int: [1.5, 3]}`, "a: int range [1.5, 3] needs whole bounds"},
		{"step not dividing", `a: {int: [0, 10], step: 3}`, "a: step 3 must be whole and divide"},
		{"float step not dividing", `a: {float: [0, 1], step: 0.3}`, "a: step 0.3 does not divide"},
		{"negative step", `a: {float: [0, 1], step: -0.5}`, "a: step: want a positive number"},
		{"log and step", `a: {float: [0.1, 1], log: true, step: 0.1}`, "a: log and step are exclusive"},
		{"grid and step", `a: {float: [0, 1], grid: 3, step: 0.5}`, "a: grid and step are exclusive"},
		{"grid zero", `a: {float: [0, 1], grid: 0}`, "a: grid: want a positive whole number"},
		{"grid one", `a: {float: [0, 1], grid: 1}`, "a: grid 1: want at least 2 points"},
		{"log not bool", `a: {float: [1, 2], log: "yes"}`, "a: log: want true or false"},
		{"when unknown key", `a: {float: [0, 1], when: {b: [x]}}`, "a: when names unknown key b"},
		{"when self", `a: {choice: [x, y], when: {a: [x]}}`, "a: when refers to the key itself"},
		{"when impossible value", "b: {choice: [x, y]}\n  a: {float: [0, 1], when: {b: [z]}}", "a: when b: z can never hold"},
		{"when on float", "b: {float: [0, 1]}\n  a: {int: [0, 1], when: {b: [0.5]}}", "a: when on float key b"},
		{"when no values", "b: {choice: [x]}\n  a: {int: [0, 1], when: {b: []}}", "a: when: b: no values"},
		{"cycle", "a: {choice: [x, y], when: {b: [x]}}\n  b: {choice: [x, y], when: {a: [x]}}",
			"when conditions form a cycle: a -> b -> a"},
		{"three-cycle", "a: {choice: [x], when: {b: [x]}}\n  b: {choice: [x], when: {c: [x]}}\n" +
			"  c: {choice: [x], when: {a: [x]}}\n  d: {choice: [x], when: {a: [x]}}",
			"when conditions form a cycle: a -> b -> c -> a"},
		{"null choice", `a: {choice: [1, null]}`, "a: choice 1: null value"},
		{"map choice", `a: {choice: [{x: 1}]}`, "a: choice 0: unsupported value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeYAML(t, "space:\n  "+tc.space+"\n")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestNewSpaceErrors covers errors that YAML cannot produce.
func TestNewSpaceErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		ps   []Param
		want string
	}{
		{"duplicate key", []Param{{Key: "a", Kind: Choice, Choices: []any{1}}, {Key: "a", Kind: Int}}, "a: duplicate key"},
		{"bad key", []Param{{Key: "a=b", Kind: Int}}, "a=b: invalid key"},
		{"no kind", []Param{{Key: "a"}}, "a: unknown kind"},
		{"nan bound", []Param{{Key: "a", Kind: Float, High: nan()}}, "a: non-finite bound"},
		{"when int out of range", []Param{{Key: "n", Kind: Int, Low: 1, High: 4},
			{Key: "a", Kind: Choice, Choices: []any{1}, When: []Condition{{Key: "n", Values: []any{7}}}}},
			"a: when n: 7 can never hold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSpace(tc.ps...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestCanonical checks points read back from JSON: numbers become their
// parameter's types, keys go in space order, and inactive, missing, foreign
// or out-of-domain keys are errors.
func TestCanonical(t *testing.T) {
	s, err := decodeYAML(t, exampleYAML)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON Point
	doc := `[{"key":"windows.stride","value":25},{"key":"train.lr","value":0.001},
		{"key":"model.latent","value":8},{"key":"model.discriminator","value":"calls"},
		{"key":"model.corruption","value":0.1}]`
	if err := json.Unmarshal([]byte(doc), &fromJSON); err != nil {
		t.Fatal(err)
	}
	got, err := s.Canonical(fromJSON)
	if err != nil {
		t.Fatal(err)
	}
	want := Point{{"model.discriminator", "calls"}, {"model.corruption", 0.1}, {"model.latent", 8},
		{"train.lr", 0.001}, {"windows.stride", 25}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
	bad := []struct {
		pt   Point
		want string
	}{
		{Point{{"model.discriminator", "window"}, {"model.corruption", 0.1}, {"model.latent", 8},
			{"train.lr", 0.001}, {"windows.stride", 25}}, "model.corruption: given but inactive"},
		{Point{{"model.discriminator", "calls"}, {"model.latent", 8},
			{"train.lr", 0.001}, {"windows.stride", 25}}, "model.corruption: active but missing"},
		{Point{{"model.discriminator", "window"}, {"model.latent", 8.5},
			{"train.lr", 0.001}, {"windows.stride", 25}}, "model.latent: 8.5 is not Low + k"},
		{Point{{"model.discriminator", "window"}, {"model.latent", 8},
			{"train.lr", 0.1}, {"windows.stride", 25}}, "train.lr: 0.1 is not a number in"},
		{Point{{"model.discriminator", "window"}, {"model.latent", 8},
			{"train.lr", 0.001}, {"windows.stride", 26}}, "windows.stride: 26 is not one of the choices"},
		{Point{{"nope", 1}}, "nope: not in the space"},
	}
	for _, b := range bad {
		if _, err := s.Canonical(b.pt); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("Canonical(%v): error %v, want %q", b.pt, err, b.want)
		}
	}
}

// TestSetsRoundTrip renders values as --set text and reads each back the
// way experiments.Parse does (yaml.Unmarshal of the text after '='),
// expecting the same value and Go type.
func TestSetsRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		v    any
		text string
	}{
		{7, "7"}, {-3, "-3"}, {0.5, "0.5"}, {2.0, "2.0"}, {1e-4, "0.0001"}, {1e-7, "1e-07"},
		{1e21, "1e+21"}, {true, "true"}, {false, "false"},
		{"window", "window"}, {"true", `"true"`}, {"10", `"10"`}, {"", `""`}, {"null", `"null"`},
		{"a: b", `"a: b"`}, {"x #y", `"x #y"`}, {"[1]", `"[1]"`}, {" pad", `" pad"`}, {"tab\there", `"tab\there"`},
		{[]any{1, "a", 2.5, true}, `[1, "a", 2.5, true]`}, {[]any{"a,b", []any{}}, `["a,b", []]`},
	} {
		pt := Point{{Key: "k", Value: tc.v}}
		set := pt.Sets()[0]
		if set != "k="+tc.text {
			t.Errorf("%#v: set %q, want %q", tc.v, set, "k="+tc.text)
		}
		var back any
		if err := yaml.Unmarshal([]byte(strings.TrimPrefix(set, "k=")), &back); err != nil {
			t.Errorf("%#v: %v", tc.v, err)
			continue
		}
		back, err := canonical(back)
		if err != nil || !reflect.DeepEqual(back, tc.v) {
			t.Errorf("%#v: read back %#v (%v)", tc.v, back, err)
		}
	}
}
