package drift

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func seq(from, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(from + i)
	}
	return x
}

func counts(r PSIResult) (ref, cur []int) {
	for _, b := range r.Bins {
		ref = append(ref, b.ReferenceCount)
		cur = append(cur, b.CurrentCount)
	}
	return ref, cur
}

func uppers(r PSIResult) []float64 {
	var u []float64
	for _, b := range r.Bins {
		u = append(u, b.Upper)
	}
	return u
}

func TestPSIHandShift(t *testing.T) {
	// Reference 0..99, 4 bins: quantile positions 99·k/4 = 24.75, 49.5, 74.25
	// fall between consecutive integers, so the edges are those values and
	// each bin holds 25 reference values: r = 1/4 each.
	// Current 50..149: bins 1-2 empty, bin 3 holds 50..74 (25), bin 4 holds
	// 75..149 (75): c = 0, 0, 1/4, 3/4, with 0 replaced by ε = 1e-4.
	// PSI = 2·(ε - 1/4)·ln(ε/(1/4)) + 0 + (3/4 - 1/4)·ln(3)
	//     = 2·0.2499·7.824046 + 0.5·1.098612 = 3.910459 + 0.549306 ≈ 4.4598.
	const eps = 1e-4
	want := 2*(eps-0.25)*math.Log(eps/0.25) + 0.5*math.Log(3)
	r, err := PSI(seq(0, 100), seq(50, 100), PSIConfig{Bins: 4})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.PSI-want) > 1e-12 {
		t.Errorf("PSI = %.15g, want %.15g", r.PSI, want)
	}
	if r.Level != LevelAlarm || r.RequestedBins != 4 || len(r.Bins) != 4 || r.Epsilon != eps {
		t.Errorf("Level %q, RequestedBins %d, bins %d, Epsilon %v", r.Level, r.RequestedBins, len(r.Bins), r.Epsilon)
	}
	if got, want := uppers(r), []float64{24.75, 49.5, 74.25, math.Inf(1)}; !slices.Equal(got, want) {
		t.Errorf("upper edges %v, want %v", got, want)
	}
	if r.Bins[0].Lower != math.Inf(-1) || r.Bins[1].Lower != 24.75 {
		t.Errorf("lower edges %v, %v", r.Bins[0].Lower, r.Bins[1].Lower)
	}
	ref, cur := counts(r)
	if !slices.Equal(ref, []int{25, 25, 25, 25}) || !slices.Equal(cur, []int{0, 0, 25, 75}) {
		t.Errorf("counts %v %v", ref, cur)
	}
	if b := r.Bins[3]; b.ReferenceProportion != 0.25 || b.CurrentProportion != 0.75 {
		t.Errorf("bin 4 proportions %v %v", b.ReferenceProportion, b.CurrentProportion)
	}
	if r.Bins[0].CurrentProportion != 0 {
		t.Errorf("reported proportion of an empty bin = %v, want 0 (before ε)", r.Bins[0].CurrentProportion)
	}
}

func TestPSIHandTwoBinsLevels(t *testing.T) {
	// Reference 0..7, 2 bins: median position 7/2 = 3.5, edge 3.5, r = 1/2, 1/2.
	// With c = (p, 1-p): PSI = (p-1/2)·ln(2p) + (1/2-p)·ln(2(1-p))
	//                        = (1/2-p)·ln((1-p)/p).
	tests := []struct {
		name         string
		below, above int
		want         float64
		level        Level
	}{
		{"c=.25,.75", 2, 6, 0.25 * math.Log(3), LevelAlarm},    // 0.274653
		{"c=.3,.7", 3, 7, 0.2 * math.Log(7.0/3), LevelWarn},    // 0.169458
		{"c=.35,.65", 7, 13, 0.15 * math.Log(13.0/7), LevelOK}, // 0.092857
		{"c=.5,.5", 4, 4, 0, LevelOK},                          // identical proportions
		{"c=.125,.875", 1, 7, 0.375 * math.Log(7), LevelAlarm}, // 0.729722
		{"c=.45,.55", 9, 11, 0.05 * math.Log(11.0/9), LevelOK}, // 0.010034
	}
	for _, tt := range tests {
		cur := append(slices.Repeat([]float64{1}, tt.below), slices.Repeat([]float64{6}, tt.above)...)
		r, err := PSI(seq(0, 8), cur, PSIConfig{Bins: 2})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.PSI-tt.want) > 1e-12 || r.Level != tt.level {
			t.Errorf("%s: PSI %.15g %q, want %.15g %q", tt.name, r.PSI, r.Level, tt.want, tt.level)
		}
	}
	// Custom thresholds move the same 0.0929 to alarm.
	cur := append(slices.Repeat([]float64{1}, 7), slices.Repeat([]float64{6}, 13)...)
	r, err := PSI(seq(0, 8), cur, PSIConfig{Bins: 2, Warn: 0.05, Alarm: 0.09})
	if err != nil {
		t.Fatal(err)
	}
	if r.Level != LevelAlarm || r.Warn != 0.05 || r.Alarm != 0.09 {
		t.Errorf("custom thresholds: %q warn %v alarm %v", r.Level, r.Warn, r.Alarm)
	}
}

func TestLevelBoundaries(t *testing.T) {
	for _, tt := range []struct {
		psi  float64
		want Level
	}{{0, LevelOK}, {0.0999999, LevelOK}, {0.1, LevelWarn}, {0.2499999, LevelWarn}, {0.25, LevelAlarm}, {3, LevelAlarm}} {
		if got := levelOf(tt.psi, DefaultPSIWarn, DefaultPSIAlarm); got != tt.want {
			t.Errorf("levelOf(%v) = %q, want %q", tt.psi, got, tt.want)
		}
	}
}

func TestPSIIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ref := make([]float64, 500)
	for i := range ref {
		ref[i] = rng.NormFloat64()
	}
	for _, cur := range [][]float64{ref, append(slices.Clone(ref), ref...)} {
		r, err := PSI(ref, cur, PSIConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if r.PSI != 0 || r.Level != LevelOK || len(r.Bins) != DefaultPSIBins {
			t.Errorf("PSI %v level %q bins %d, want 0 ok %d", r.PSI, r.Level, len(r.Bins), DefaultPSIBins)
		}
		for _, b := range r.Bins {
			if b.ReferenceCount != 50 {
				t.Errorf("decile bin holds %d of 500 reference values", b.ReferenceCount)
			}
		}
	}
}

func TestPSIKnownShiftLevels(t *testing.T) {
	// Standard normal reference against shifted normals, default config.
	// The normal-theory PSI for a mean shift δ with fine bins is about δ²,
	// so 0.2 sits near 0.04 (ok), 0.45 near 0.2 (warn), 0.8 near 0.64 (alarm).
	rng := rand.New(rand.NewPCG(5, 6))
	draw := func(n int, shift float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() + shift
		}
		return x
	}
	ref := draw(20000, 0)
	for _, tt := range []struct {
		shift float64
		want  Level
	}{{0.2, LevelOK}, {0.45, LevelWarn}, {0.8, LevelAlarm}} {
		r, err := PSI(ref, draw(20000, tt.shift), PSIConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Level != tt.want {
			t.Errorf("shift %v: PSI %v level %q, want %q", tt.shift, r.PSI, r.Level, tt.want)
		}
	}
}

func TestPSITiesDedupe(t *testing.T) {
	// 50 zeros plus 0..49: sorted, positions 0..50 hold 0 and position 50+k
	// holds k. Decile positions 9.9, 19.8, 29.7, 39.6, 49.5 all give 0; 59.4,
	// 69.3, 79.2, 89.1 give 9.4, 19.3, 29.2, 39.1. Ten bins shrink to six.
	ref := append(make([]float64, 50), seq(0, 50)...)
	r, err := PSI(ref, ref, PSIConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Bins) != 6 || r.RequestedBins != 10 {
		t.Fatalf("bins %d of %d, want 6 of 10", len(r.Bins), r.RequestedBins)
	}
	wantUpper := []float64{0, 9.4, 19.3, 29.2, 39.1}
	for i, w := range wantUpper {
		if math.Abs(r.Bins[i].Upper-w) > 1e-12 {
			t.Errorf("edge %d = %v, want %v", i, r.Bins[i].Upper, w)
		}
	}
	// The 51 zeros sit in the bin their edge closes, (-Inf, 0]; then 1..9,
	// 10..19, 20..29, 30..39, 40..49.
	ref2, _ := counts(r)
	if !slices.Equal(ref2, []int{51, 9, 10, 10, 10, 10}) {
		t.Errorf("reference counts %v", ref2)
	}

	// A constant reference keeps two bins, (-Inf, 5] and (5, +Inf); the empty
	// reference bin gets ε. r = (1, ε), c = (1/2, 1/2):
	// PSI = (1/2-1)·ln(1/2) + (1/2-ε)·ln((1/2)/ε).
	const eps = 1e-4
	r, err = PSI([]float64{5, 5, 5, 5}, []float64{5, 6}, PSIConfig{})
	if err != nil {
		t.Fatal(err)
	}
	want := -0.5*math.Log(0.5) + (0.5-eps)*math.Log(0.5/eps)
	if len(r.Bins) != 2 || r.Bins[0].Upper != 5 || math.Abs(r.PSI-want) > 1e-12 {
		t.Errorf("constant reference: bins %d edge %v PSI %.15g, want 2, 5, %.15g", len(r.Bins), r.Bins[0].Upper, r.PSI, want)
	}
}

func TestPSIOutOfRange(t *testing.T) {
	cur := []float64{-1000, -5, math.Inf(-1), 200, 1e300, math.Inf(1), 30, 60}
	r, err := PSI(seq(0, 100), cur, PSIConfig{Bins: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, c := counts(r); !slices.Equal(c, []int{3, 1, 1, 3}) {
		t.Errorf("current counts %v, want [3 1 1 3]", c)
	}
}

func TestPSICategorical(t *testing.T) {
	// Reference a×5 b×3 c×2, current a×4 b×2 d×4 (d only in current).
	// Categories a, b, c, d: r = (.5, .3, .2, 0→ε), c = (.4, .2, 0→ε, .4).
	// PSI = (.4-.5)ln(.4/.5) + (.2-.3)ln(.2/.3) + (ε-.2)ln(ε/.2) + (.4-ε)ln(.4/ε)
	//     = 0.022314 + 0.040547 + 1.520010 + 3.684346 ≈ 5.2672.
	const eps = 1e-4
	ref := strings.Split("a a a a a b b b c c", " ")
	cur := strings.Split("a a a a b b d d d d", " ")
	want := -0.1*math.Log(0.8) - 0.1*math.Log(2.0/3) + (eps-0.2)*math.Log(eps/0.2) + (0.4-eps)*math.Log(0.4/eps)
	r, err := PSICategorical(ref, cur, PSIConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.PSI-want) > 1e-12 || r.Level != LevelAlarm {
		t.Errorf("PSI %.15g %q, want %.15g alarm", r.PSI, r.Level, want)
	}
	var cats []string
	for _, b := range r.Bins {
		cats = append(cats, b.Category)
	}
	if !slices.Equal(cats, []string{"a", "b", "c", "d"}) || r.RequestedBins != 0 {
		t.Errorf("categories %v, RequestedBins %d", cats, r.RequestedBins)
	}
	if rc, cc := counts(r); !slices.Equal(rc, []int{5, 3, 2, 0}) || !slices.Equal(cc, []int{4, 2, 0, 4}) {
		t.Errorf("counts %v %v", rc, cc)
	}

	same, err := PSICategorical(ref, ref, PSIConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if same.PSI != 0 || same.Level != LevelOK {
		t.Errorf("identical: PSI %v %q", same.PSI, same.Level)
	}
}

func TestPSIDoesNotModifyInput(t *testing.T) {
	ref := []float64{3, 1, 2, 9, 4}
	orig := slices.Clone(ref)
	if _, err := PSI(ref, []float64{1}, PSIConfig{Bins: 2}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ref, orig) {
		t.Errorf("reference changed to %v", ref)
	}
}

func TestPSIErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	ok := []float64{1, 2, 3}
	tests := []struct {
		name     string
		ref, cur []float64
		cfg      PSIConfig
		target   error
		mention  string
	}{
		{"empty reference", nil, ok, PSIConfig{}, ErrEmpty, "reference has"},
		{"empty current", ok, []float64{}, PSIConfig{}, ErrEmpty, "current has"},
		{"NaN in reference", []float64{1, nan}, ok, PSIConfig{}, ErrNaN, "reference[1]"},
		{"NaN in current", ok, []float64{0, 0, 0, nan}, PSIConfig{}, ErrNaN, "current[3]"},
		{"Inf in reference", []float64{-inf, 1}, ok, PSIConfig{}, ErrInfinite, "reference[0]"},
		{"one bin", ok, ok, PSIConfig{Bins: 1}, nil, "bins"},
		{"negative bins", ok, ok, PSIConfig{Bins: -3}, nil, "bins"},
		{"101 bins", ok, ok, PSIConfig{Bins: 101}, nil, "bins"},
		{"negative epsilon", ok, ok, PSIConfig{Epsilon: -1e-4}, nil, "epsilon"},
		{"epsilon one", ok, ok, PSIConfig{Epsilon: 1}, nil, "epsilon"},
		{"epsilon NaN", ok, ok, PSIConfig{Epsilon: nan}, nil, "epsilon"},
		{"negative warn", ok, ok, PSIConfig{Warn: -0.1}, nil, "warn"},
		{"warn above alarm", ok, ok, PSIConfig{Warn: 0.3}, nil, "alarm"},
		{"alarm NaN", ok, ok, PSIConfig{Alarm: nan}, nil, "alarm"},
		{"alarm Inf", ok, ok, PSIConfig{Alarm: inf}, nil, "alarm"},
	}
	for _, tt := range tests {
		_, err := PSI(tt.ref, tt.cur, tt.cfg)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if tt.target != nil && !errors.Is(err, tt.target) {
			t.Errorf("%s: error %v does not wrap %v", tt.name, err, tt.target)
		}
		if !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.mention)
		}
	}
	if _, err := PSICategorical(nil, []string{"a"}, PSIConfig{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("categorical empty reference: %v", err)
	}
	if _, err := PSICategorical([]string{"a"}, nil, PSIConfig{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("categorical empty current: %v", err)
	}
	if _, err := PSICategorical([]string{"a"}, []string{"a"}, PSIConfig{Warn: 0.5, Alarm: 0.4}); err == nil {
		t.Error("categorical warn above alarm: no error")
	}
}

// Seeded random inputs with heavy ties, tiny samples and extreme values: no
// panic, finite non-negative PSI, counts that add up.
func TestPSIRandomInputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	extremes := []float64{math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 0, math.Copysign(0, -1)}
	draw := func() []float64 {
		x := make([]float64, 1+rng.IntN(60))
		for i := range x {
			if rng.IntN(5) == 0 {
				x[i] = extremes[rng.IntN(len(extremes))]
			} else {
				x[i] = float64(rng.IntN(6))
			}
		}
		return x
	}
	for trial := 0; trial < 300; trial++ {
		ref, cur := draw(), draw()
		r, err := PSI(ref, cur, PSIConfig{Bins: 2 + rng.IntN(99)})
		if err != nil {
			t.Fatal(err)
		}
		nr, nc := 0, 0
		for i, b := range r.Bins {
			nr += b.ReferenceCount
			nc += b.CurrentCount
			if !(b.Lower < b.Upper) || (i > 0 && b.Lower != r.Bins[i-1].Upper) {
				t.Fatalf("trial %d: bin %d is (%v, %v]", trial, i, b.Lower, b.Upper)
			}
		}
		if nr != len(ref) || nc != len(cur) || !(r.PSI >= 0) || math.IsInf(r.PSI, 0) || len(r.Bins) < 2 {
			t.Fatalf("trial %d: counts %d/%d %d/%d, PSI %v, bins %d", trial, nr, len(ref), nc, len(cur), r.PSI, len(r.Bins))
		}
	}
}
