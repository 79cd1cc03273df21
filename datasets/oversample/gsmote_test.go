package oversample

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// geometry returns, for sample - center = v and e the unit vector towards
// surface, the radius r, the parallel coordinate P = v·e and the squared
// perpendicular length Q² = |v|² - P² (computed from components).
func geometry(center, surface, sample []float64) (r, par, perp2 float64) {
	r = math.Sqrt(sqDist(center, surface))
	for i := range center {
		par += (sample[i] - center[i]) * (surface[i] - center[i]) / r
	}
	for i := range center {
		d := sample[i] - center[i] - par*(surface[i]-center[i])/r
		perp2 += d * d
	}
	return r, par, perp2
}

func TestGeometricMinorityT1D1IsSMOTESegment(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const k = 3
	x, y := gaussianData(rng, 15, 20, 3)
	minority := rowsWhere(x, y, true)
	g := GeometricSMOTE{K: k, Truncation: 1, Deformation: 1, Strategy: StrategyMinority, Seed: 5}

	draws, err := g.generate(x, y, true, 300)
	if err != nil {
		t.Fatal(err)
	}
	for n, d := range draws {
		c := slices.IndexFunc(minority, func(row []float64) bool { return &row[0] == &d.center[0] })
		s := slices.IndexFunc(minority, func(row []float64) bool { return &row[0] == &d.surface[0] })
		if c < 0 || s < 0 || !slices.Contains(sortedNeighbours(minority, c, k), s) {
			t.Fatalf("draw %d: surface row %d is not one of the %d nearest neighbours of center row %d", n, s, k, c)
		}
		if dist, _ := segmentDistance(d.sample, d.center, d.surface); dist > 1e-9 {
			t.Fatalf("draw %d: sample %v is %g off [center, surface]", n, d.sample, dist)
		}
	}
	// The public path gives the same rows, all on SMOTE's segments.
	got, err := g.Resample(x, y, 300)
	if err != nil {
		t.Fatal(err)
	}
	for n, p := range got {
		if !slices.Equal(p, draws[n].sample) {
			t.Fatalf("Resample row %d differs from generate", n)
		}
		if !onNeighbourSegment(p, minority, k, 1e-9) {
			t.Fatalf("sample %d on no neighbour segment", n)
		}
	}
}

func TestGeometricSegmentPositionNotUniform(t *testing.T) {
	// With α = β = 1, t = P/r is |parallel coordinate| of a uniform point in
	// the unit 3-ball, density (3/2)(1 - t²) on [0, 1]: Pr(t <= 1/2) = 11/16.
	rng := rand.New(rand.NewPCG(11, 12))
	center, surface := []float64{1, -1, 2}, []float64{2, 1, 0}
	const n = 20000
	below := 0
	for range n {
		p := makeGeometricSample(rng, center, surface, 1, 1)
		dist, tt := segmentDistance(p, center, surface)
		if dist > 1e-9 {
			t.Fatalf("sample %v off the segment by %g", p, dist)
		}
		if tt <= 0.5 {
			below++
		}
	}
	if f := float64(below) / n; math.Abs(f-11.0/16) > 0.02 {
		t.Fatalf("Pr(t <= 1/2) = %.4f, want 11/16 ± 0.02", f)
	}
}

func TestGeometricRegion(t *testing.T) {
	const tol = 1e-9
	tests := []struct {
		alpha, beta float64
		dim         int
		strategy    string
	}{
		{1, 0, 2, StrategyCombined},
		{0.5, 0, 2, StrategyMinority},
		{-0.5, 0, 3, StrategyMajority},
		{0, 0, 5, StrategyCombined},
		{-1, 0, 2, StrategyMinority},
		{0.5, 0.5, 3, StrategyCombined},
		{-0.5, 0.5, 5, StrategyMinority},
		{1, 0.5, 2, StrategyMajority},
		{0, 0.5, 2, StrategyMinority},
	}
	for _, tc := range tests {
		rng := rand.New(rand.NewPCG(uint64(tc.dim), 13))
		x, y := gaussianData(rng, 20, 40, tc.dim)
		g := GeometricSMOTE{K: 4, Truncation: tc.alpha, Deformation: tc.beta, Strategy: tc.strategy, Seed: 17}
		draws, err := g.generate(x, y, true, 4000)
		if err != nil {
			t.Fatal(err)
		}
		minP, maxP, maxFill := math.Inf(1), math.Inf(-1), 0.0
		scale := 1 - tc.beta
		for n, d := range draws {
			r, par, perp2 := geometry(d.center, d.surface, d.sample)
			if v := math.Sqrt(sqDist(d.sample, d.center)); v > r+tol {
				t.Fatalf("%+v draw %d: |v| = %g outside radius %g", tc, n, v, r)
			}
			if tc.alpha > 0 && par < (tc.alpha-1)*r-tol {
				t.Fatalf("%+v draw %d: P = %g below truncation plane %g", tc, n, par, (tc.alpha-1)*r)
			}
			if tc.alpha < 0 && par > (tc.alpha+1)*r+tol {
				t.Fatalf("%+v draw %d: P = %g above truncation plane %g", tc, n, par, (tc.alpha+1)*r)
			}
			// Ellipsoid Q² + (1-β)² P² <= (1-β)² r².
			if perp2+scale*scale*par*par > scale*scale*r*r+tol {
				t.Fatalf("%+v draw %d: Q² = %g, P = %g outside the deformed ellipsoid of radius %g", tc, n, perp2, par, r)
			}
			minP, maxP = math.Min(minP, par/r), math.Max(maxP, par/r)
			if rest := r*r - par*par; rest > 1e-6*r*r {
				maxFill = math.Max(maxFill, perp2/(scale*scale*rest))
			}
		}
		// The region is filled up to its boundaries, so a looser or tighter
		// geometry would also fail.
		lo, hi := -1.0, 1.0
		if tc.alpha > 0 {
			lo = tc.alpha - 1
		}
		if tc.alpha < 0 {
			hi = tc.alpha + 1
		}
		if minP > lo+0.2 || maxP < hi-0.2 {
			t.Errorf("%+v: P/r spans [%.3f, %.3f], want about [%g, %g]", tc, minP, maxP, lo, hi)
		}
		if maxFill < 0.8 {
			t.Errorf("%+v: max Q²/((1-β)²(r²-P²)) = %.3f, want near 1", tc, maxFill)
		}
	}
}

func TestGeometricTruncationReflects(t *testing.T) {
	// α = 0.5, d = 2: the cap p < -1/2 is reflected onto p > 1/2, doubling
	// its mass: 2(1/3 - √3/(4π)) ≈ 0.391 rather than 0.196 (rejection).
	rng := rand.New(rand.NewPCG(19, 20))
	center, surface := []float64{0, 0}, []float64{3, 4}
	const n = 20000
	above := 0
	for range n {
		_, par, _ := geometry(center, surface, makeGeometricSample(rng, center, surface, 0.5, 0))
		if par/5 > 0.5 {
			above++
		}
	}
	want := 2 * (1.0/3 - math.Sqrt(3)/(4*math.Pi))
	if f := float64(above) / n; math.Abs(f-want) > 0.02 {
		t.Fatalf("Pr(p > 1/2) = %.4f, want %.4f ± 0.02", f, want)
	}
}

func TestGeometricUniformBall(t *testing.T) {
	for _, dim := range []int{2, 3} {
		rng := rand.New(rand.NewPCG(uint64(dim), 21))
		center := make([]float64, dim)
		surface := make([]float64, dim)
		for i := range center {
			center[i], surface[i] = float64(i), float64(i)+2
		}
		r := math.Sqrt(sqDist(center, surface))
		const n = 20000
		inner, positive := 0, 0
		for range n {
			p := makeGeometricSample(rng, center, surface, 0, 0)
			if math.Sqrt(sqDist(p, center)) <= r/2 {
				inner++
			}
			if _, par, _ := geometry(center, surface, p); par > 0 {
				positive++
			}
		}
		want := math.Pow(0.5, float64(dim))
		if f := float64(inner) / n; math.Abs(f-want) > 0.015 {
			t.Errorf("d=%d: fraction within r/2 = %.4f, want %.4f ± 0.015", dim, f, want)
		}
		if f := float64(positive) / n; math.Abs(f-0.5) > 0.02 {
			t.Errorf("d=%d: fraction towards surface = %.4f, want 0.5 ± 0.02", dim, f)
		}
	}
}

func TestGeometricCombinedStrategy(t *testing.T) {
	minority := [][]float64{{0, 0}, {1, 0}}
	tests := []struct {
		name     string
		majority [][]float64
		want     func(center []float64) []float64
	}{
		// (0.3, 0) is 0.3 from (0,0) and 0.7 from (1,0): closer than the
		// minority neighbour (distance 1) for both centers.
		{"majority closer", [][]float64{{5, 5}, {0.3, 0}}, func([]float64) []float64 { return []float64{0.3, 0} }},
		{"minority closer", [][]float64{{0, 3}, {10, 10}}, otherMinority(minority)},
		// Tie at distance 1 from (0,0) goes to the minority neighbour.
		{"tie", [][]float64{{0, 1}}, otherMinority(minority)},
	}
	for _, tc := range tests {
		x := append(slices.Clone(minority), tc.majority...)
		y := []bool{true, true}
		for range tc.majority {
			y = append(y, false)
		}
		draws, err := GeometricSMOTE{K: 1, Truncation: 1, Seed: 2}.generate(x, y, true, 50)
		if err != nil {
			t.Fatal(err)
		}
		centers := map[float64]bool{}
		for _, d := range draws {
			centers[d.center[0]] = true
			if want := tc.want(d.center); !slices.Equal(d.surface, want) {
				t.Fatalf("%s: center %v: surface %v, want %v", tc.name, d.center, d.surface, want)
			}
		}
		if len(centers) != 2 {
			t.Fatalf("%s: only centers %v drawn", tc.name, centers)
		}
	}
}

func otherMinority(minority [][]float64) func([]float64) []float64 {
	return func(center []float64) []float64 {
		if slices.Equal(center, minority[0]) {
			return minority[1]
		}
		return minority[0]
	}
}

func TestGeometricMajorityStrategy(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	x, y := gaussianData(rng, 6, 30, 3)
	majority := rowsWhere(x, y, false)
	draws, err := GeometricSMOTE{Strategy: StrategyMajority, Truncation: 1, Seed: 4}.generate(x, y, true, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range draws {
		best := majority[0]
		for _, m := range majority {
			if sqDist(d.center, m) < sqDist(d.center, best) {
				best = m
			}
		}
		if !slices.Equal(d.surface, best) {
			t.Fatalf("surface %v, want nearest majority %v", d.surface, best)
		}
	}
}

func TestGeometricZeroRadiusReturnsCenter(t *testing.T) {
	x := [][]float64{{1, 2}, {1, 2}, {7, 7}}
	y := []bool{true, true, false}
	got, err := GeometricSMOTE{K: 1, Strategy: StrategyMinority, Seed: 1}.Resample(x, y, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if !slices.Equal(p, x[0]) {
			t.Fatalf("sample %v, want the center %v", p, x[0])
		}
		if &p[0] == &x[0][0] || &p[0] == &x[1][0] {
			t.Fatal("sample aliases an input row")
		}
	}
}

func TestGeometricNoMajorityUsesMinority(t *testing.T) {
	x := [][]float64{{0, 0}, {1, 0}, {0, 1}}
	y := []bool{true, true, true}
	draws, err := GeometricSMOTE{K: 2, Strategy: StrategyMajority, Seed: 1}.generate(x, y, true, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range draws {
		if !slices.ContainsFunc(x, func(r []float64) bool { return &r[0] == &d.surface[0] }) || &d.surface[0] == &d.center[0] {
			t.Fatalf("surface %v is not another minority row", d.surface)
		}
	}
}

func TestGeometricDefaults(t *testing.T) {
	g := NewGeometricSMOTE(9)
	want := GeometricSMOTE{K: 5, Truncation: 1, Deformation: 0, Strategy: "combined", Seed: 9}
	if g != want {
		t.Fatalf("NewGeometricSMOTE = %+v, want %+v", g, want)
	}
	rng := rand.New(rand.NewPCG(25, 26))
	x, y := gaussianData(rng, 5, 10, 2)
	if _, err := (GeometricSMOTE{}).Resample(x, y, 1); !errors.Is(err, ErrTooFewMinority) {
		t.Fatalf("zero K with 5 minority rows: err = %v, want K = 5 rejected", err)
	}
	x, y = gaussianData(rng, 6, 10, 2)
	if _, err := (GeometricSMOTE{}).Resample(x, y, 1); err != nil {
		t.Fatalf("zero K with 6 minority rows: %v", err)
	}
}

func TestGeometricDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	x, y := gaussianData(rng, 10, 30, 4)
	a, err := NewGeometricSMOTE(1).Resample(x, y, 50)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewGeometricSMOTE(1).Resample(x, y, 50)
	c, _ := NewGeometricSMOTE(2).Resample(x, y, 50)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Fatal("same seed gave different samples")
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Fatal("different seeds gave identical samples")
	}
}

func TestGeometricBalance(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	x, y := gaussianData(rng, 20, 7, 3)
	xb, yb, err := NewGeometricSMOTE(3).Balance(x, y)
	if err != nil {
		t.Fatal(err)
	}
	// Here false (7 rows) is the smaller class.
	checkBalanced(t, x, y, xb, yb, false)
	if len(xb) != 40 {
		t.Fatalf("%d rows after balancing, want 40", len(xb))
	}
	// Equal classes: nothing added, and no neighbour checks.
	xs, ys := [][]float64{{0}, {1}}, []bool{true, false}
	xb, yb, err = NewGeometricSMOTE(3).Balance(xs, ys)
	if err != nil || len(xb) != 2 || len(yb) != 2 {
		t.Fatalf("balanced input: %d rows, err %v", len(xb), err)
	}
}

func TestGeometricErrors(t *testing.T) {
	x := [][]float64{{0, 0}, {1, 0}, {0, 1}, {5, 5}}
	y := []bool{true, true, true, false}
	tests := []struct {
		name string
		g    GeometricSMOTE
		x    [][]float64
		n    int
		want error
	}{
		{"strategy", GeometricSMOTE{K: 1, Strategy: "both"}, x, 1, ErrInvalidParam},
		{"truncation high", GeometricSMOTE{K: 1, Truncation: 1.5}, x, 1, ErrInvalidParam},
		{"truncation NaN", GeometricSMOTE{K: 1, Truncation: math.NaN()}, x, 1, ErrInvalidParam},
		{"deformation low", GeometricSMOTE{K: 1, Deformation: -0.1}, x, 1, ErrInvalidParam},
		{"deformation high", GeometricSMOTE{K: 1, Deformation: 1.1}, x, 1, ErrInvalidParam},
		{"negative K", GeometricSMOTE{K: -2}, x, 1, ErrInvalidParam},
		{"K too large", GeometricSMOTE{K: 3}, x, 1, ErrTooFewMinority},
		{"negative count", GeometricSMOTE{K: 1}, x, -3, ErrInvalidInput},
		{"NaN", GeometricSMOTE{K: 1}, [][]float64{{0, 0}, {1, math.NaN()}, {0, 1}, {5, 5}}, 1, ErrInvalidInput},
		{"ragged", GeometricSMOTE{K: 1}, [][]float64{{0, 0}, {1}, {0, 1}, {5, 5}}, 1, ErrInvalidInput},
		{"empty", GeometricSMOTE{K: 1}, nil, 1, ErrInvalidInput},
	}
	for _, tc := range tests {
		yy := y
		if tc.x == nil {
			yy = nil
		}
		if _, err := tc.g.Resample(tc.x, yy, tc.n); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	one := []bool{true, false, false, false}
	if _, err := (GeometricSMOTE{K: 1}).Resample(x, one, 1); !errors.Is(err, ErrTooFewMinority) {
		t.Errorf("one minority row, combined: err = %v", err)
	}
	if _, err := (GeometricSMOTE{K: 1}).Resample(x, []bool{false, false, false, false}, 1); !errors.Is(err, ErrTooFewMinority) {
		t.Errorf("no minority rows: err = %v", err)
	}
	// The majority strategy needs no minority neighbours.
	if got, err := (GeometricSMOTE{Strategy: StrategyMajority}).Resample(x, one, 3); err != nil || len(got) != 3 {
		t.Errorf("one minority row, majority: %d rows, err %v", len(got), err)
	}
}
