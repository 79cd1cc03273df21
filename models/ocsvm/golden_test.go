package ocsvm

import (
	"math"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/models/svm"
)

func trainGolden(t *testing.T, g goldenCase) *Model {
	t.Helper()
	m, err := Train(sessionData(g.seed, g.n, g.nOut), Config{Nu: g.nu, Kernel: g.kernel, NoShrinking: !g.shrinking})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGoldenAgainstSklearn compares with scikit-learn's OneClassSVM on
// the same data: support vectors exactly, dual coefficients, ρ and
// decision values within 1e−3 as the task requires (the log shows the
// actual differences), and iteration counts.
func TestGoldenAgainstSklearn(t *testing.T) {
	q := gridData()
	for _, g := range goldenCases {
		t.Run(g.name, func(t *testing.T) {
			m := trainGolden(t, g)
			if g.kernel.Type != svm.Linear && math.Abs(m.Kernel().Gamma-g.gamma) > 1e-12*g.gamma {
				t.Errorf("gamma %v, scikit-learn %v", m.Kernel().Gamma, g.gamma)
			}
			if !slices.Equal(m.SupportVectors(), g.support) {
				t.Fatalf("support vectors %v\nscikit-learn       %v", m.SupportVectors(), g.support)
			}
			var dCoef, dDec, dScore float64
			for k, a := range m.DualCoef() {
				dCoef = max(dCoef, math.Abs(a-g.dualCoef[k]))
			}
			dRho := math.Abs(m.Rho() - g.offset)
			if m.Rho() != -g.intercept {
				t.Errorf("ρ = %v but scikit-learn's intercept_ is %v", m.Rho(), g.intercept)
			}
			for i, row := range q {
				dDec = max(dDec, math.Abs(m.Decision(row)-g.decision[i]))
				dScore = max(dScore, math.Abs(m.ScoreSamples(row)-g.scoreSamples[i]))
				if m.Outlier(row) != (g.predict[i] == -1) {
					t.Errorf("query %v: outlier %v, scikit-learn predicts %d", row, m.Outlier(row), g.predict[i])
				}
			}
			if dCoef > 1e-3 || dRho > 1e-3 || dDec > 1e-3 || dScore > 1e-3 {
				t.Errorf("max differences: dual coef %.3g, ρ %.3g, decision %.3g, score_samples %.3g", dCoef, dRho, dDec, dScore)
			}
			if m.Iterations() != g.nIter || !m.Converged() {
				t.Errorf("%d iterations (converged %v), scikit-learn %d", m.Iterations(), m.Converged(), g.nIter)
			}
			t.Logf("%d SVs, %d iterations; max |Δ| dual coef %.2g, ρ %.2g, decision %.2g, score_samples %.2g (scikit-learn %s)",
				len(g.support), m.Iterations(), dCoef, dRho, dDec, dScore, goldenSklearnVersion)
		})
	}
}
