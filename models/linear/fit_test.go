package linear

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/cuda/exec"
)

// TestFitSeparatesSeparableData: Fit with its defaults classifies
// separable data at >= 95%, on the tape machine and through the program
// executor, which agree.
func TestFitSeparatesSeparableData(t *testing.T) {
	x, y := rows(separable(300, 5, rand.New(rand.NewPCG(11, 11))))
	tape, err := Fit(t.Context(), x, y, FitConfig{L2: DefaultL2, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Fit(t.Context(), x, y, FitConfig{L2: DefaultL2, Seed: 1}, exec.CPUFactory())
	if err != nil {
		t.Fatal(err)
	}
	right, worst := 0, 0.0
	for i, row := range x {
		if tape.Predict(row) == y[i] {
			right++
		}
		d := math.Abs(tape.Decision(row) - prog.Decision(row))
		if d > 1e-3 {
			t.Fatalf("example %d: tape %v, program %v", i, tape.Decision(row), prog.Decision(row))
		}
		worst = math.Max(worst, d)
	}
	acc := float64(right) / float64(len(x))
	if acc < 0.95 {
		t.Fatalf("accuracy %.3f", acc)
	}
	t.Logf("accuracy %.3f; largest decision difference, tape and program: %.2g", acc, worst)
	if w, _ := tape.Weights(); len(w) != 5 || tape.Features() != 5 {
		t.Fatalf("%d weights", len(w))
	}
	if !math.IsNaN(tape.Decision([]float64{1, 2})) {
		t.Fatal("a decision of 2 features for a classifier of 5")
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	for name, c := range map[string]struct {
		x    [][]float64
		y    []bool
		cfg  FitConfig
		want string
	}{
		"empty":    {nil, nil, FitConfig{}, "no examples"},
		"labels":   {[][]float64{{1}}, []bool{true, false}, FitConfig{}, "1 rows and 2 labels"},
		"ragged":   {[][]float64{{1, 2}, {3}}, []bool{true, false}, FitConfig{}, "row 1 has 1 features"},
		"nan":      {[][]float64{{1}, {math.NaN()}}, []bool{true, false}, FitConfig{}, "not a finite"},
		"overflow": {[][]float64{{1e39}, {0}}, []bool{true, false}, FitConfig{}, "not a finite"},
		"penalty":  {[][]float64{{1}, {0}}, []bool{true, false}, FitConfig{Penalty: "auto"}, `penalty: "auto"`},
		"weights":  {[][]float64{{1}, {0}}, []bool{true, false}, FitConfig{PosWeight: 3}, "used only with penalty"},
		"one":      {[][]float64{{1}, {0}}, []bool{true, true}, FitConfig{Penalty: PenaltyIR}, "both classes"},
		"lr":       {[][]float64{{1}, {0}}, []bool{true, false}, FitConfig{LR: -1}, "learning rate"},
		"l2":       {[][]float64{{1}, {0}}, []bool{true, false}, FitConfig{L2: -1}, "l2 -1"},
	} {
		if _, err := Fit(ctx, c.x, c.y, c.cfg, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", name, err, c.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Fit(cancelled, [][]float64{{1}, {0}}, []bool{true, false}, FitConfig{}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestClassifierJSONRoundTrips: every weight and the bias read back bit
// for bit, trained values and awkward ones alike; malformed forms fail.
func TestClassifierJSONRoundTrips(t *testing.T) {
	x, y := rows(separable(60, 4, rand.New(rand.NewPCG(2, 9))))
	fitted, err := Fit(t.Context(), x, y, FitConfig{Epochs: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	awkward := &Classifier{w: []float64{0.1, math.Pi, 5e-324, math.Copysign(0, -1), math.MaxFloat64, -1.0 / 3}, b: 2.0 / 3}
	for _, c := range []*Classifier{fitted, awkward} {
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back Classifier
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		w, b := c.Weights()
		bw, bb := back.Weights()
		if len(bw) != len(w) || math.Float64bits(bb) != math.Float64bits(b) {
			t.Fatalf("%s read back as %d weights, bias %v", data, len(bw), bb)
		}
		for i := range w {
			if math.Float64bits(bw[i]) != math.Float64bits(w[i]) {
				t.Fatalf("weight %d: %v read back as %v", i, w[i], bw[i])
			}
		}
		again, _ := json.Marshal(back)
		if string(again) != string(data) {
			t.Fatalf("%s re-encoded as %s", data, again)
		}
	}
	if data, _ := json.Marshal(*awkward); !strings.HasPrefix(string(data), `{"weights":[0.1,`) {
		t.Fatalf("a Classifier value encodes as %s", data)
	}
	for _, bad := range []string{`{"weights":[1]}`, `{"weights":[],"bias":0}`, `{"weights":[1],"bias":0,"kind":"svm"}`, `[1,2]`} {
		var c Classifier
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
