package svm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchData is an imbalanced set shaped like bench/tabular's: n rows of d
// features in hundredths (counts and continuous values), 7% positives
// shifted in a few features so that the classes overlap.
func benchData(n, d int) ([][]float64, []bool) {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(d)))
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range x {
		y[i] = rng.Float64() < 0.07
		x[i] = make([]float64, d)
		for j := range x[i] {
			v := rng.NormFloat64()
			if j%4 == 0 {
				v = float64(rng.IntN(12))
			}
			if y[i] && j%5 == 0 {
				v += 1.5
			}
			x[i][j] = float64(int(v*100)) / 100
		}
	}
	return x, y
}

// BenchmarkTrain times Train with scikit-learn's SVC defaults (RBF, γ
// "scale", C = 1, shrinking), with and without balanced class weights.
func BenchmarkTrain(b *testing.B) {
	for _, sz := range [][2]int{{1000, 96}, {5000, 40}} {
		x, y := benchData(sz[0], sz[1])
		for _, balanced := range []bool{false, true} {
			cfg := Config{C: 1, Shrinking: true}
			if balanced {
				cfg.CPos, cfg.CNeg, _ = ClassWeightsIR(y, 1)
			}
			b.Run(fmt.Sprintf("%dx%d/balanced=%v", sz[0], sz[1], balanced), func(b *testing.B) {
				for b.Loop() {
					if _, err := Train(x, y, cfg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDecision times Decision over the training rows.
func BenchmarkDecision(b *testing.B) {
	x, y := benchData(1000, 96)
	m, err := Train(x, y, Config{C: 1, Shrinking: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(m.SupportVectors())), "SVs")
	for b.Loop() {
		for _, row := range x {
			m.Decision(row)
		}
	}
}
