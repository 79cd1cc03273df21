package eval

import (
	"math/rand/v2"
	"testing"
)

func TestROCAUCHandComputed(t *testing.T) {
	cases := []struct {
		name   string
		scores []float64
		labels []bool
		want   float64
	}{
		// Pairs (P, N): (.9,.8) win, (.9,.6) win, (.7,.8) loss, (.7,.6) win.
		{"four points", []float64{0.9, 0.8, 0.7, 0.6}, []bool{true, false, true, false}, 0.75},
		// (.8,.5) win, (.8,.2) win, (.5,.5) tie = 1/2, (.5,.2) win.
		{"tie", []float64{0.5, 0.5, 0.2, 0.8}, []bool{true, false, false, true}, 0.875},
		{"all tied", []float64{2, 2, 2, 2}, []bool{true, false, true, false}, 0.5},
		{"perfect", []float64{1, 2, 3}, []bool{false, true, true}, 1},
		{"inverted", []float64{1, 2, 3}, []bool{true, false, false}, 0},
	}
	for _, c := range cases {
		got, err := ROCAUC(c.scores, c.labels)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !near(got, c.want) {
			t.Errorf("%s: AUC = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestROCAUCMatchesPairCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 2 + rng.IntN(60)
		scores := make([]float64, n)
		labels := make([]bool, n)
		for i := range n {
			scores[i] = float64(rng.IntN(8)) // few values: many ties
			labels[i] = rng.IntN(3) == 0
		}
		labels[0], labels[1] = true, false
		got, err := ROCAUC(scores, labels)
		if err != nil {
			t.Fatal(err)
		}
		if want := pairCountAUC(scores, labels); !near(got, want) {
			t.Fatalf("trial %d: AUC = %v, pair count = %v", trial, got, want)
		}
	}
}

// pairCountAUC is the Mann-Whitney statistic by brute force over all pairs.
func pairCountAUC(scores []float64, labels []bool) float64 {
	wins, pairs := 0.0, 0
	for i := range scores {
		if !labels[i] {
			continue
		}
		for j := range scores {
			if labels[j] {
				continue
			}
			pairs++
			switch {
			case scores[i] > scores[j]:
				wins++
			case scores[i] == scores[j]:
				wins += 0.5
			}
		}
	}
	return wins / float64(pairs)
}

func TestAUCFromROCShort(t *testing.T) {
	if got := AUCFromROC(nil); got != 0 {
		t.Errorf("AUCFromROC(nil) = %v", got)
	}
	if got := AUCFromROC([]ROCPoint{{0, 0, 1}, {1, 1, 0}}); !near(got, 0.5) {
		t.Errorf("diagonal area = %v, want 0.5", got)
	}
}
