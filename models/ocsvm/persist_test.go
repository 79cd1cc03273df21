package ocsvm

import (
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
	switch {
	case got.Kernel() != want.Kernel():
		t.Errorf("kernel %+v, want %+v", got.Kernel(), want.Kernel())
	case got.NumFeatures() != want.NumFeatures() || !sameBits(got.Nu(), want.Nu()):
		t.Errorf("%d features ν %v, want %d and %v", got.NumFeatures(), got.Nu(), want.NumFeatures(), want.Nu())
	case !sameBits(got.Rho(), want.Rho()) || !sameBits(got.Objective(), want.Objective()):
		t.Errorf("ρ %v objective %v, want %v and %v", got.Rho(), got.Objective(), want.Rho(), want.Objective())
	case got.Iterations() != want.Iterations() || got.Converged() != want.Converged():
		t.Errorf("iterations %d converged %v, want %d %v", got.Iterations(), got.Converged(), want.Iterations(), want.Converged())
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
			g, w := got.ScoreSamples(row), want.ScoreSamples(row)
			if !sameBits(g, w) || !sameBits(got.Decision(row), want.Decision(row)) ||
				!sameBits(got.Score(row), want.Score(row)) || got.Outlier(row) != want.Outlier(row) {
				t.Fatalf("ScoreSamples(%v) = %v, want %v", row, g, w)
			}
		}
	}
}

// TestMarshalRoundTrip saves and restores every golden model through
// encoding/json and compares every output bit for bit on the training
// rows, the golden grid and fresh points; saving the restored model gives
// the same bytes.
func TestMarshalRoundTrip(t *testing.T) {
	for i, g := range goldenCases {
		t.Run(g.name, func(t *testing.T) {
			m := trainGolden(t, g)
			var back Model
			jsondoctest.RoundTrip(t, m, &back)
			checkSameModel(t, &back, m, sessionData(g.seed, g.n, g.nOut), gridData(), jsondoctest.Points(uint64(i), 200, 2, -6, 6))
		})
	}
}

// edit decodes the document b, applies f to it and encodes it again.
var edit = jsondoctest.Edit

// TestUnmarshalRejectsCorrupt: a truncated, mislabelled or inconsistent
// document is an error wrapping ErrFormat that names the problem, and the
// model it was read into is unchanged.
func TestUnmarshalRejectsCorrupt(t *testing.T) {
	x := sessionData(1, 100, 6)
	m, err := Train(x, Config{Nu: 0.1})
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
		{"null", "null", []byte("null")},
		{"format version", `format "vigil.ocsvm/2"`, edit(t, b, func(d map[string]any) { d["format"] = "vigil.ocsvm/2" })},
		{"svm document", `format "vigil.svm/1"`, edit(t, b, func(d map[string]any) { d["format"] = "vigil.svm/1" })},
		{"missing rho", `no "rho"`, edit(t, b, func(d map[string]any) { delete(d, "rho") })},
		{"unknown key", "unknown field", edit(t, b, func(d map[string]any) { d["bias"] = 1 })},
		{"null value", "null value", edit(t, b, func(d map[string]any) { d["support_vectors"].([]any)[0].([]any)[1] = nil })},
		{"kernel", `kernel "RBF"`, edit(t, b, func(d map[string]any) { d["kernel"] = "RBF" })},
		{"poly degree", "degree 0", edit(t, b, func(d map[string]any) { d["kernel"] = "poly" })},
		{"nu", "nu 1.5", edit(t, b, func(d map[string]any) { d["nu"] = 1.5 })},
		{"long support vector", "support_vectors[3] has 3 features", edit(t, b, func(d map[string]any) {
			sv := d["support_vectors"].([]any)
			sv[3] = append(sv[3].([]any), 0.5)
		})},
		{"short support", "support", edit(t, b, func(d map[string]any) { d["support"] = d["support"].([]any)[2:] })},
		{"negative support", "support[0] = -1", edit(t, b, func(d map[string]any) { d["support"].([]any)[0] = -1 })},
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
	m, err := Train(sessionData(1, 60, 3), Config{})
	if err != nil {
		t.Fatal(err)
	}
	nan, inf := *m, *m
	nan.rho = math.NaN()
	inf.sv = append([]float64{}, m.sv...)
	inf.sv[3] = math.Inf(1)
	var nilModel *Model
	for name, c := range map[string]struct {
		m    *Model
		want string
	}{
		"untrained":  {&Model{}, "num_features 0"},
		"nil":        {nilModel, "nil model"},
		"NaN rho":    {&nan, "rho is NaN"},
		"+Inf in sv": {&inf, "support_vectors[1][1] is +Inf"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.m.MarshalJSON()
			jsondoctest.CheckError(t, err, ErrFormat, c.want)
		})
	}
}

// FuzzUnmarshalJSON: no document makes UnmarshalJSON panic, and a model
// it accepts scores without panicking and is written again.
func FuzzUnmarshalJSON(f *testing.F) {
	for _, g := range goldenCases[6:] { // poly and linear, small
		m, err := Train(sessionData(g.seed, g.n, g.nOut), Config{Nu: g.nu, Kernel: g.kernel})
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
		m.Outlier(make([]float64, m.NumFeatures()))
		if _, err := m.MarshalJSON(); err != nil {
			t.Errorf("a model read from %s is not written: %v", b, err)
		}
	})
}
