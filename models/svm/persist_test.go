package svm

import (
	"bytes"
	"math"
	"reflect"
	"testing"

	"github.com/vigil-ml/vigil/models/internal/jsondoc/jsondoctest"
)

// sameBits reports whether a and b are the same float64, bit for bit.
func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// checkSameModel compares every output and accessor of got with want, bit
// for bit, over the rows of each of xs.
func checkSameModel(t *testing.T, got, want *Model, xs ...[][]float64) {
	t.Helper()
	ga, gb := got.Sigmoid()
	wa, wb := want.Sigmoid()
	gp, gn := got.Penalties()
	wp, wn := want.Penalties()
	switch {
	case got.Kernel() != want.Kernel():
		t.Errorf("kernel %+v, want %+v", got.Kernel(), want.Kernel())
	case got.NumFeatures() != want.NumFeatures():
		t.Errorf("%d features, want %d", got.NumFeatures(), want.NumFeatures())
	case !sameBits(got.Bias(), want.Bias()) || !sameBits(got.Objective(), want.Objective()):
		t.Errorf("bias %v objective %v, want %v and %v", got.Bias(), got.Objective(), want.Bias(), want.Objective())
	case !sameBits(gp, wp) || !sameBits(gn, wn):
		t.Errorf("penalties %v %v, want %v %v", gp, gn, wp, wn)
	case got.Iterations() != want.Iterations() || got.Converged() != want.Converged():
		t.Errorf("iterations %d converged %v, want %d %v", got.Iterations(), got.Converged(), want.Iterations(), want.Converged())
	case got.HasProbability() != want.HasProbability() || !sameBits(ga, wa) || !sameBits(gb, wb):
		t.Errorf("sigmoid %v (%v, %v), want %v (%v, %v)", got.HasProbability(), ga, gb, want.HasProbability(), wa, wb)
	case !reflect.DeepEqual(got.SupportVectors(), want.SupportVectors()):
		t.Errorf("support %v, want %v", got.SupportVectors(), want.SupportVectors())
	}
	gc, wc := got.DualCoef(), want.DualCoef()
	for k := range wc {
		if k >= len(gc) || !sameBits(gc[k], wc[k]) {
			t.Fatalf("dual coefficients %v, want %v", gc, wc)
		}
	}
	for _, x := range xs {
		for _, row := range x {
			if g, w := got.Decision(row), want.Decision(row); !sameBits(g, w) || got.Predict(row) != want.Predict(row) {
				t.Fatalf("Decision(%v) = %v, want %v", row, g, w)
			}
			if want.HasProbability() && !sameBits(got.Probability(row), want.Probability(row)) {
				t.Fatalf("Probability(%v) = %v, want %v", row, got.Probability(row), want.Probability(row))
			}
		}
	}
}

// TestMarshalRoundTrip saves and restores every golden model, and one with
// Platt's sigmoid, through encoding/json and compares every output bit for
// bit on the training rows, the held-out rows and fresh points; saving the
// restored model gives the same bytes.
func TestMarshalRoundTrip(t *testing.T) {
	type trained struct {
		name string
		x    [][]float64
		m    *Model
		q    [][]float64
	}
	var cases []trained
	for _, g := range goldenCases {
		x, _, m := trainCase(t, g, DefaultTol, g.Shrinking)
		cases = append(cases, trained{g.Name, x, m, g.HeldOut})
	}
	x, y := imbalancedData()
	m, err := Train(x, y, Config{CPos: 5, Probability: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, trained{"imbalanced-rbf-probability", x, m, nil})
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var back Model
			jsondoctest.RoundTrip(t, c.m, &back)
			checkSameModel(t, &back, c.m, c.x, c.q, jsondoctest.Points(uint64(i), 200, 2, -4, 4))
		})
	}
}

// edit decodes the document b, applies f to it and encodes it again.
var edit = jsondoctest.Edit

// TestUnmarshalRejectsCorrupt: a truncated, mislabelled or inconsistent
// document is an error wrapping ErrFormat that names the problem, and the
// model it was read into is unchanged.
func TestUnmarshalRejectsCorrupt(t *testing.T) {
	x, y := imbalancedData()
	m, err := Train(x, y, Config{CPos: 5, Probability: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, want string
		doc        []byte
	}{
		{"truncated", "unexpected end", b[:len(b)-1]},
		{"cut in half", "", b[:len(b)/2]},
		{"empty", "unexpected end", nil},
		{"null", "null", []byte("null")},
		{"array", "cannot unmarshal array", []byte("[1, 2]")},
		{"trailing data", "after top-level value", append(append([]byte{}, b...), "{}"...)},
		{"format version", `format "vigil.svm/2"`, edit(t, b, func(d map[string]any) { d["format"] = "vigil.svm/2" })},
		{"no format", `no "format"`, edit(t, b, func(d map[string]any) { delete(d, "format") })},
		{"missing bias", `no "bias"`, edit(t, b, func(d map[string]any) { delete(d, "bias") })},
		{"unknown key", "unknown field", edit(t, b, func(d map[string]any) { d["biass"] = 1 })},
		{"null value", "null value", edit(t, b, func(d map[string]any) { d["dual_coef"].([]any)[1] = nil })},
		{"overflow", "cannot unmarshal number", bytes.Replace(b, []byte(`"bias":`), []byte(`"bias":1e999,"x":`), 1)},
		{"kernel", `kernel "sigmoid"`, edit(t, b, func(d map[string]any) { d["kernel"] = "sigmoid" })},
		{"gamma", "gamma 0", edit(t, b, func(d map[string]any) { d["gamma"] = 0 })},
		{"num_features", "num_features 0", edit(t, b, func(d map[string]any) { d["num_features"] = 0 })},
		{"short support vector", "support_vectors[2] has 1 features", edit(t, b, func(d map[string]any) {
			sv := d["support_vectors"].([]any)
			sv[2] = sv[2].([]any)[:1]
		})},
		{"short dual_coef", "dual_coef", edit(t, b, func(d map[string]any) { d["dual_coef"] = d["dual_coef"].([]any)[1:] })},
		{"support order", "support[1]", edit(t, b, func(d map[string]any) {
			s := d["support"].([]any)
			s[0], s[1] = s[1], s[0]
		})},
		{"half sigmoid", "prob_a and prob_b", edit(t, b, func(d map[string]any) { delete(d, "prob_b") })},
		{"penalty", "c_pos", edit(t, b, func(d map[string]any) { d["c_pos"] = -1 })},
		{"iterations", "iterations -3", edit(t, b, func(d map[string]any) { d["iterations"] = -3 })},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := *m
			jsondoctest.CheckError(t, got.UnmarshalJSON(c.doc), ErrFormat, c.want)
			checkSameModel(t, &got, m, x[:5])
		})
	}
}

// TestMarshalRejectsBadModel: an untrained model and one holding a NaN or
// an infinity are not written.
func TestMarshalRejectsBadModel(t *testing.T) {
	x, y := separableData()
	m, err := Train(x, y, Config{})
	if err != nil {
		t.Fatal(err)
	}
	nan, inf := *m, *m
	nan.bias = math.NaN()
	inf.coef = append([]float64{}, m.coef...)
	inf.coef[0] = math.Inf(-1)
	var nilModel *Model
	for name, c := range map[string]struct {
		m    *Model
		want string
	}{
		"untrained": {&Model{}, "num_features 0"},
		"nil":       {nilModel, "nil model"},
		"NaN bias":  {&nan, "bias is NaN"},
		"-Inf coef": {&inf, "dual_coef[0] is -Inf"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.m.MarshalJSON()
			jsondoctest.CheckError(t, err, ErrFormat, c.want)
		})
	}
}

// FuzzUnmarshalJSON: no document makes UnmarshalJSON panic, and a model
// it accepts predicts without panicking and is written again.
func FuzzUnmarshalJSON(f *testing.F) {
	x, y := separableData()
	for _, cfg := range []Config{{}, {Kernel: Kernel{Type: Poly}, Probability: true}} {
		m, err := Train(x, y, cfg)
		if err != nil {
			f.Fatal(err)
		}
		b, err := m.MarshalJSON()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Model
		if m.UnmarshalJSON(b) != nil || m.NumFeatures() > 1000 {
			return
		}
		row := make([]float64, m.NumFeatures())
		m.Predict(row)
		if m.HasProbability() {
			m.Probability(row)
		}
		if _, err := m.MarshalJSON(); err != nil {
			t.Errorf("a model read from %s is not written: %v", b, err)
		}
	})
}
