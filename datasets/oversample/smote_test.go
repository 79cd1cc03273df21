package oversample

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSMOTESamplesOnNeighbourSegments(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const k = 3
	x, y := gaussianData(rng, 15, 20, 3)
	minority := rowsWhere(x, y, true)

	// The check must reject a point between a row and a non-neighbour.
	far := -1
	for j := range minority {
		if j != 0 && !slices.Contains(sortedNeighbours(minority, 0, k), j) &&
			!slices.Contains(sortedNeighbours(minority, j, k), 0) {
			far = j
			break
		}
	}
	if far < 0 {
		t.Fatal("test data has no non-neighbour pair")
	}
	mid := make([]float64, 3)
	for i := range mid {
		mid[i] = 0.37*minority[0][i] + 0.63*minority[far][i]
	}
	if onNeighbourSegment(mid, minority, k, 1e-9) {
		t.Fatal("segment check accepted a point between non-neighbours")
	}

	got, err := SMOTE{K: k, Seed: 7}.Resample(x, y, 300)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 300 {
		t.Fatalf("got %d rows, want 300", len(got))
	}
	for n, p := range got {
		if !onNeighbourSegment(p, minority, k, 1e-9) {
			t.Fatalf("sample %d = %v is on no minority neighbour segment", n, p)
		}
	}
}

func TestSMOTEGapUniform(t *testing.T) {
	// Two minority rows: every sample is a + u(b-a) with u ~ U[0,1).
	x := [][]float64{{0, 0, 0}, {1, 2, 2}, {5, 5, 5}}
	y := []bool{true, true, false}
	got, err := SMOTE{K: 1, Seed: 11}.Resample(x, y, 20000)
	if err != nil {
		t.Fatal(err)
	}
	below := 0
	for _, p := range got {
		d, u := segmentDistance(p, x[0], x[1])
		if d > 1e-9 {
			t.Fatalf("sample %v off the segment by %g", p, d)
		}
		if u <= 0.5 {
			below++
		}
	}
	// Symmetric in (a, b), so the fraction on either half is 1/2.
	if f := float64(below) / float64(len(got)); math.Abs(f-0.5) > 0.02 {
		t.Fatalf("fraction in first half %.4f, want 0.5 ± 0.02", f)
	}
}

func TestSMOTEDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, y := gaussianData(rng, 10, 30, 4)
	a, err := SMOTE{Seed: 1}.Resample(x, y, 50)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SMOTE{Seed: 1}.Resample(x, y, 50)
	c, _ := SMOTE{Seed: 2}.Resample(x, y, 50)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Fatal("same seed gave different samples")
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Fatal("different seeds gave identical samples")
	}
}

func TestSMOTEBalance(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x, y := gaussianData(rng, 8, 20, 2)
	for _, flip := range []bool{false, true} {
		yy := slices.Clone(y)
		if flip {
			for i := range yy {
				yy[i] = !yy[i]
			}
		}
		xb, yb, err := SMOTE{K: 3, Seed: 3}.Balance(x, yy)
		if err != nil {
			t.Fatal(err)
		}
		checkBalanced(t, x, yy, xb, yb, !flip)
		for _, p := range xb[len(x):] {
			if !onNeighbourSegment(p, rowsWhere(x, yy, !flip), 3, 1e-9) {
				t.Fatalf("flip=%v: sample %v on no neighbour segment", flip, p)
			}
		}
	}
}

// checkBalanced verifies that (xb, yb) is (x, y) followed by rows of
// minorityLabel and that both classes end up with equal counts.
func checkBalanced(t *testing.T, x [][]float64, y []bool, xb [][]float64, yb []bool, minorityLabel bool) {
	t.Helper()
	if len(xb) != len(yb) {
		t.Fatalf("%d rows, %d labels", len(xb), len(yb))
	}
	for i := range x {
		if &xb[i][0] != &x[i][0] || yb[i] != y[i] {
			t.Fatalf("row %d of the input not kept in place", i)
		}
	}
	nTrue := 0
	for i, v := range yb {
		if v {
			nTrue++
		}
		if i >= len(x) && v != minorityLabel {
			t.Fatalf("new row %d labelled %v, want %v", i, v, minorityLabel)
		}
	}
	if 2*nTrue != len(yb) {
		t.Fatalf("%d true of %d after balancing", nTrue, len(yb))
	}
}

func TestSMOTEErrors(t *testing.T) {
	good := [][]float64{{0, 0}, {1, 0}, {0, 1}, {5, 5}}
	lab := []bool{true, true, true, false}
	tests := []struct {
		name string
		s    SMOTE
		x    [][]float64
		y    []bool
		n    int
		want error
	}{
		{"empty", SMOTE{}, nil, nil, 1, ErrInvalidInput},
		{"length mismatch", SMOTE{K: 1}, good, lab[:3], 1, ErrInvalidInput},
		{"no features", SMOTE{K: 1}, [][]float64{{}, {}}, []bool{true, true}, 1, ErrInvalidInput},
		{"ragged", SMOTE{K: 1}, [][]float64{{0, 0}, {1}, {2, 2}}, []bool{true, true, true}, 1, ErrInvalidInput},
		{"NaN", SMOTE{K: 1}, [][]float64{{0, 0}, {math.NaN(), 0}, {5, 5}}, []bool{true, true, false}, 1, ErrInvalidInput},
		{"Inf", SMOTE{K: 1}, [][]float64{{0, 0}, {math.Inf(1), 0}, {5, 5}}, []bool{true, true, false}, 1, ErrInvalidInput},
		{"negative count", SMOTE{K: 1}, good, lab, -1, ErrInvalidInput},
		{"negative K", SMOTE{K: -1}, good, lab, 1, ErrInvalidParam},
		{"one minority", SMOTE{K: 1}, good, []bool{true, false, false, false}, 1, ErrTooFewMinority},
		{"no minority", SMOTE{K: 1}, good, []bool{false, false, false, false}, 1, ErrTooFewMinority},
		{"K too large", SMOTE{K: 3}, good, lab, 1, ErrTooFewMinority},
		{"default K 5 too large", SMOTE{}, good, lab, 1, ErrTooFewMinority},
	}
	for _, tc := range tests {
		if _, err := tc.s.Resample(tc.x, tc.y, tc.n); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	// K = nMin - 1 is allowed; nNew = 0 skips the neighbour checks.
	if got, err := (SMOTE{K: 2}).Resample(good, lab, 4); err != nil || len(got) != 4 {
		t.Errorf("K = nMin-1: %d rows, err %v", len(got), err)
	}
	if got, err := (SMOTE{}).Resample(good, lab, 0); err != nil || got == nil || len(got) != 0 {
		t.Errorf("nNew = 0: %v, err %v", got, err)
	}
}
