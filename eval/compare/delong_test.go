package compare

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) != math.IsNaN(want) {
		t.Errorf("%s = %.17g, want %.17g (±%g)", what, got, want, tol)
	}
}

// A small example worked by hand, with a tie in each model.
//
// Rows 1-3 are positives, 4-6 negatives.
//
//	champion   positives .8 .6 .4   negatives .6 .3 .2
//	challenger positives .9 .7 .5   negatives .4 .5 .1
//
// Champion, ψ(positive, negative) with a tie counting 1/2:
//
//	.8: 1 1 1 -> V10 = 1;  .6: ½ 1 1 -> 5/6;  .4: 0 1 1 -> 2/3
//	V01 (per negative, over the positives): .6: (1+½+0)/3 = 1/2, .3: 1, .2: 1
//	AUC = (3 + 2.5 + 2)/9 = 5/6
//
// Challenger:
//
//	.9: 1 1 1 -> 1;  .7: 1 1 1 -> 1;  .5: 1 ½ 1 -> 5/6
//	V01: .4: 1, .5: (1+1+½)/3 = 5/6, .1: 1
//	AUC = (3 + 3 + 2.5)/9 = 17/18
//
// Difference 17/18 - 15/18 = 1/9. Per-row differences of the placements:
//
//	D10 = (0, 1/6, 1/6), mean 1/9, deviations (-2, 1, 1)/18,
//	      s² = (4 + 1 + 1)/324 / 2 = 1/108
//	D01 = (1/2, -1/6, 0), mean 1/9, deviations (7, -5, -2)/18,
//	      s² = (49 + 25 + 4)/324 / 2 = 13/108
//	Var = (1/108)/3 + (13/108)/3 = 14/324 = 7/162, SE = 0.2078698...
//	z = (1/9)/sqrt(7/162) = sqrt(2/7) = 0.5345225
//	one-sided p = 1 - Φ(0.5345) ≈ 0.2965 (tables: Φ(0.53) = 0.7019,
//	Φ(0.54) = 0.7054), two-sided ≈ 0.5930
//
// The covariance matrix S10/m + S01/n: S10 = [[1/36, 1/72], [1/72, 1/108]],
// S01 = [[1/12, -1/72], [-1/72, 1/108]], so cov = [[1/27, 0], [0, 1/162]]
// and 1/27 + 1/162 - 2·0 = 7/162 again.
func TestDeLongHandWorked(t *testing.T) {
	labels := []bool{true, true, true, false, false, false}
	champ := []float64{.8, .6, .4, .6, .3, .2}
	chall := []float64{.9, .7, .5, .4, .5, .1}
	r, err := DeLong(champ, chall, labels)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "champion AUC", r.Champion, 5.0/6, 1e-15)
	near(t, "challenger AUC", r.Challenger, 17.0/18, 1e-15)
	near(t, "difference", r.Difference, 1.0/9, 1e-15)
	near(t, "SE", r.SE, math.Sqrt(7.0/162), 1e-15)
	near(t, "z", r.Statistic, math.Sqrt(2.0/7), 1e-14)
	near(t, "one-sided p", r.P, 0.2965, 5e-4)
	near(t, "two-sided p", r.PTwoSided, 0.5930, 1e-3)
	near(t, "p sum", r.P+(1-r.PTwoSided/2), 1, 1e-15) // z > 0: p = half the two-sided
	// 1.959964 = z_0.975
	near(t, "CI lo", r.CILo, 1.0/9-1.959964*math.Sqrt(7.0/162), 1e-6)
	near(t, "CI hi", r.CIHi, 1.0/9+1.959964*math.Sqrt(7.0/162), 1e-6)
	if r.Test != TestDeLong || r.N != 6 || r.Positives != 3 || r.Negatives != 3 || r.Alpha != 0.05 {
		t.Errorf("result %+v", r)
	}
	aucs, cov := delongCov([][]float64{champ, chall}, labels)
	near(t, "auc 0", aucs[0], 5.0/6, 1e-15)
	near(t, "auc 1", aucs[1], 17.0/18, 1e-15)
	near(t, "cov[0][0]", cov[0][0], 1.0/27, 1e-15)
	near(t, "cov[1][1]", cov[1][1], 1.0/162, 1e-15)
	near(t, "cov[0][1]", cov[0][1], 0, 1e-15)
	near(t, "cov[1][0]", cov[1][0], 0, 1e-15)

	// Swapping the roles negates the difference and z and mirrors p.
	s, err := DeLong(chall, champ, labels)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "swapped z", s.Statistic, -r.Statistic, 1e-14)
	near(t, "swapped p", s.P, 1-r.P, 1e-14)
	near(t, "swapped two-sided p", s.PTwoSided, r.PTwoSided, 1e-14)

	w, err := r.WithAlpha(0.1) // z_0.95 = 1.644854
	if err != nil {
		t.Fatal(err)
	}
	near(t, "90% CI lo", w.CILo, 1.0/9-1.644854*math.Sqrt(7.0/162), 1e-6)
	if w.Alpha != 0.1 || w.P != r.P {
		t.Errorf("WithAlpha: %+v", w)
	}
}

// slowDeLong is the textbook O(m·n) computation: ψ over every pair, the
// placement values as row and column means, AUCs as their means and the
// covariance S10/m + S01/n from sums of products about the means. It
// shares no code with the package.
func slowDeLong(scores [][]float64, labels []bool) (aucs []float64, cov [][]float64) {
	var pi, ni []int
	for i, l := range labels {
		if l {
			pi = append(pi, i)
		} else {
			ni = append(ni, i)
		}
	}
	m, n, k := len(pi), len(ni), len(scores)
	v10 := make([][]float64, k)
	v01 := make([][]float64, k)
	aucs = make([]float64, k)
	for r, s := range scores {
		v10[r] = make([]float64, m)
		v01[r] = make([]float64, n)
		for a, i := range pi {
			for b, j := range ni {
				psi := 0.0
				switch {
				case s[i] > s[j]:
					psi = 1
				case s[i] == s[j]:
					psi = 0.5
				}
				v10[r][a] += psi / float64(n)
				v01[r][b] += psi / float64(m)
				aucs[r] += psi / float64(m*n)
			}
		}
	}
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	cov = make([][]float64, k)
	for a := range k {
		cov[a] = make([]float64, k)
		for b := range k {
			s10, s01 := 0.0, 0.0
			ma, mb := mean(v10[a]), mean(v10[b])
			for i := range m {
				s10 += (v10[a][i] - ma) * (v10[b][i] - mb)
			}
			ma, mb = mean(v01[a]), mean(v01[b])
			for j := range n {
				s01 += (v01[a][j] - ma) * (v01[b][j] - mb)
			}
			cov[a][b] = s10/float64(m-1)/float64(m) + s01/float64(n-1)/float64(n)
		}
	}
	return aucs, cov
}

// The midrank computation equals the pairwise one on random data with
// heavy ties (scores rounded to one decimal, or to integers), for small and
// unbalanced samples too.
func TestDeLongFastMatchesSlow(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial, size := range []struct{ pos, neg int }{{2, 2}, {3, 9}, {17, 5}, {40, 160}, {150, 150}, {25, 400}} {
		labels := make([]bool, 0, size.pos+size.neg)
		for range size.pos {
			labels = append(labels, true)
		}
		for range size.neg {
			labels = append(labels, false)
		}
		rng.Shuffle(len(labels), func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
		a := make([]float64, len(labels))
		b := make([]float64, len(labels))
		c := make([]float64, len(labels))
		for i, l := range labels {
			shift := 0.0
			if l {
				shift = 0.7
			}
			a[i] = math.Round((shift+rng.NormFloat64())*10) / 10
			b[i] = math.Round((0.6*a[i]+rng.NormFloat64()*0.8)*10) / 10
			c[i] = math.Round(rng.NormFloat64())
		}
		scores := [][]float64{a, b, c}
		fa, fc := delongCov(scores, labels)
		sa, sc := slowDeLong(scores, labels)
		for r := range scores {
			near(t, "auc", fa[r], sa[r], 1e-12)
			for q := range scores {
				near(t, "cov", fc[r][q], sc[r][q], 1e-12*math.Max(1, math.Abs(sc[r][q])))
			}
		}
		for _, pair := range [][2]int{{0, 1}, {0, 2}, {2, 1}} {
			res, err := DeLong(scores[pair[0]], scores[pair[1]], labels)
			if err != nil {
				t.Fatal(err)
			}
			v := sc[pair[0]][pair[0]] + sc[pair[1]][pair[1]] - 2*sc[pair[0]][pair[1]]
			near(t, "difference", res.Difference, sa[pair[1]]-sa[pair[0]], 1e-12)
			near(t, "SE", res.SE, math.Sqrt(v), 1e-10)
			if v > 0 {
				z := (sa[pair[1]] - sa[pair[0]]) / math.Sqrt(v)
				near(t, "z", res.Statistic, z, 1e-8*math.Max(1, math.Abs(z)))
				near(t, "p", res.P, 0.5*math.Erfc(z/math.Sqrt2), 1e-10)
			}
		}
		if t.Failed() {
			t.Fatalf("trial %d (%d positives, %d negatives) differs", trial, size.pos, size.neg)
		}
	}
}

// The aSAH data of R's pROC package (Turck et al. 2010: 113 patients with
// subarachnoid haemorrhage, outcome "Poor" = true, 41 of them) and the
// values pROC 1.19.1 gives for auc(), var(method = "delong"),
// cov(method = "delong") and roc.test(method = "delong", paired = TRUE).
// The s100b-wfns test, Z = -2.209 and p = 0.02718, is the example printed
// in pROC's documentation; wfns is a five-level ordinal score, so it
// exercises ties. (Data and reference values as published in a public
// test suite that ran pROC in rocker/r-ver:4.4.1; pROC's Z is
// roc1 - roc2, the opposite sign of Difference here.)
var (
	asahPoor = []int{
		0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0,
		0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0,
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0,
		0,
	}
	asahS100b = []float64{
		0.13, 0.14, 0.1, 0.04, 0.13, 0.1, 0.47, 0.16, 0.18, 0.1, 0.12, 0.1, 0.44, 0.71,
		0.04, 0.08, 0.49, 0.04, 0.07, 0.33, 0.09, 0.09, 0.07, 0.11, 0.07, 0.17, 0.07, 0.11,
		0.13, 0.19, 0.05, 0.16, 0.41, 0.14, 0.34, 0.35, 0.48, 0.09, 0.96, 0.25, 0.5, 0.46,
		0.16, 0.07, 0.43, 0.45, 0.11, 0.08, 0.09, 0.86, 0.52, 0.08, 0.06, 0.13, 2.07, 0.1,
		0.14, 0.15, 0.07, 0.06, 0.77, 0.05, 0.09, 0.3, 0.03, 0.09, 0.04, 0.23, 0.7, 0.09,
		0.27, 0.71, 0.08, 0.26, 0.08, 0.16, 0.09, 0.13, 0.1, 0.08, 0.11, 0.33, 0.11, 0.28,
		0.07, 0.1, 0.32, 0.22, 0.07, 0.05, 0.24, 0.38, 0.1, 0.15, 0.08, 0.14, 0.1, 0.07,
		0.04, 0.19, 0.56, 0.14, 0.58, 0.32, 0.82, 0.74, 0.15, 0.47, 0.17, 0.44, 0.15, 0.5,
		0.48,
	}
	asahWFNS = []float64{
		1, 1, 1, 1, 3, 2, 5, 4, 1, 2, 5, 2, 5, 5, 1, 2, 5, 2, 2, 5, 2, 1, 1, 1, 1, 2, 1, 2,
		1, 1, 3, 4, 2, 1, 4, 5, 4, 1, 4, 2, 5, 5, 1, 1, 2, 4, 1, 1, 2, 5, 5, 2, 1, 2, 5, 1,
		2, 2, 2, 1, 5, 1, 1, 2, 5, 2, 1, 4, 5, 2, 4, 4, 1, 4, 1, 2, 1, 4, 2, 1, 2, 3, 2, 4,
		2, 1, 4, 5, 1, 1, 5, 4, 2, 2, 1, 1, 1, 3, 1, 2, 5, 2, 2, 5, 5, 5, 2, 4, 4, 5, 1, 1,
		1,
	}
	asahNDKA = []float64{
		3.01, 8.54, 8.09, 10.42, 17.4, 12.75, 6.0, 13.2, 15.54, 6.01, 15.96, 17.86, 5.18,
		8.9, 13.41, 20.75, 11.6, 16.11, 32.37, 54.82, 32.41, 49.94, 40.34, 9.47, 6.29,
		12.53, 6.54, 6.3, 80.3, 12.8, 9.8, 9.81, 9.85, 18.21, 5.03, 14.04, 21.93, 8.02,
		7.42, 8.38, 6.59, 9.63, 13.12, 7.96, 14.34, 41.43, 7.63, 7.06, 12.59, 13.56, 3.87,
		9.44, 7.66, 12.98, 419.19, 27.19, 22.27, 9.95, 21.22, 11.73, 10.4, 58.83, 6.39,
		11.09, 12.22, 13.67, 17.21, 22.63, 12.9, 9.7, 21.57, 8.23, 72.57, 15.54, 10.51,
		10.6, 14.57, 5.19, 9.63, 4.61, 21.48, 17.3, 12.71, 9.44, 11.07, 19.46, 10.83, 5.37,
		11.97, 7.75, 9.83, 10.55, 28.49, 8.53, 12.57, 12.9, 46.83, 11.68, 12.67, 9.01, 9.57,
		34.06, 11.72, 14.26, 47.61, 11.67, 24.58, 10.33, 13.87, 15.89, 22.43, 6.79, 13.45,
	}
)

func TestDeLongReproducesPROC(t *testing.T) {
	labels := make([]bool, len(asahPoor))
	pos := 0
	for i, y := range asahPoor {
		labels[i] = y == 1
		pos += y
	}
	if len(labels) != 113 || pos != 41 || len(asahS100b) != 113 || len(asahWFNS) != 113 || len(asahNDKA) != 113 {
		t.Fatalf("aSAH: %d rows, %d poor, %d/%d/%d scores", len(labels), pos, len(asahS100b), len(asahWFNS), len(asahNDKA))
	}
	aucs, cov := delongCov([][]float64{asahS100b, asahWFNS, asahNDKA}, labels)
	rel := func(what string, got, want, tol float64) {
		t.Helper()
		near(t, what, got, want, tol*math.Abs(want))
	}
	rel("auc(s100b)", aucs[0], 0.73136856368563685, 1e-12)
	rel("auc(wfns)", aucs[1], 0.82367886178861793, 1e-12)
	rel("auc(ndka)", aucs[2], 0.61195799457994582, 1e-12)
	rel("var(s100b)", cov[0][0], 0.0026686824571724378, 1e-10)
	rel("var(wfns)", cov[1][1], 0.0014699147088236264, 1e-10)
	rel("var(ndka)", cov[2][2], 0.0031908105493913021, 1e-10)
	rel("cov(s100b, wfns)", cov[0][1], 0.0011961556737675448, 1e-10)
	rel("cov(s100b, ndka)", cov[0][2], -0.00075616493805657884, 1e-10)

	// roc.test(s100b, wfns): Z = -2.2089835914409077, p = 0.02717578222918815.
	r, err := DeLong(asahS100b, asahWFNS, labels)
	if err != nil {
		t.Fatal(err)
	}
	rel("z(wfns over s100b)", r.Statistic, 2.2089835914409077, 1e-10)
	rel("two-sided p", r.PTwoSided, 0.02717578222918815, 1e-9)
	rel("one-sided p", r.P, 0.02717578222918815/2, 1e-9)
	// roc.test(s100b, ndka): Z = 1.3907700257355771, p = 0.16429517522305448.
	r, err = DeLong(asahNDKA, asahS100b, labels)
	if err != nil {
		t.Fatal(err)
	}
	rel("z(s100b over ndka)", r.Statistic, 1.3907700257355771, 1e-10)
	rel("two-sided p", r.PTwoSided, 0.16429517522305448, 1e-9)
}

func TestDeLongErrors(t *testing.T) {
	l := []bool{true, true, false, false}
	s := []float64{1, 2, 3, 4}
	for name, c := range map[string]struct {
		a, b   []float64
		labels []bool
	}{
		"lengths":      {s, s[:3], l},
		"labels":       {s, s, l[:3]},
		"NaN":          {[]float64{1, math.NaN(), 3, 4}, s, l},
		"Inf":          {s, []float64{1, 2, math.Inf(1), 4}, l},
		"one positive": {s, s, []bool{true, false, false, false}},
		"one class":    {s, s, []bool{false, false, false, false}},
	} {
		if _, err := DeLong(c.a, c.b, c.labels); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// Equal models: zero difference, zero SE, z 0, p 0.5 and 1. A constant
// champion against a perfect challenger: SE 0 with a positive difference,
// z +Inf and p 0, which Result's JSON writes as null.
func TestDeLongDegenerate(t *testing.T) {
	l := []bool{true, true, false, false}
	s := []float64{3, 4, 1, 2}
	r, err := DeLong(s, s, l)
	if err != nil {
		t.Fatal(err)
	}
	if r.Difference != 0 || r.SE != 0 || r.Statistic != 0 || r.P != 0.5 || r.PTwoSided != 1 {
		t.Errorf("equal models: %+v", r)
	}
	r, err = DeLong([]float64{1, 1, 1, 1}, s, l)
	if err != nil {
		t.Fatal(err)
	}
	if r.Difference != 0.5 || r.SE != 0 || !math.IsInf(r.Statistic, 1) || r.P != 0 {
		t.Errorf("constant champion: %+v", r)
	}
	b, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"statistic":null`) || !strings.Contains(string(b), `"difference":0.5`) {
		t.Errorf("JSON %s", b)
	}
}
