package cv_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/cv"
)

// Choose the weight that mixes an informative and a noisy feature into a
// score, by average precision, without ever tuning on the outer test folds.
func ExampleNestedCV() {
	// 240 days of 20 users; users 0-4 misbehave on some of their days.
	rng := rand.New(rand.NewPCG(1, 2))
	n := 240
	labels := make([]bool, n)
	groups := make([]string, n)
	signal := make([]float64, n)
	noise := make([]float64, n)
	for i := range n {
		user := i % 20
		groups[i] = fmt.Sprintf("user%02d", user)
		labels[i] = user < 5 && rng.IntN(2) == 0
		signal[i] = rng.NormFloat64()
		if labels[i] {
			signal[i] += 2.5
		}
		noise[i] = rng.NormFloat64()
	}

	weights := []float64{0, 0.5, 1} // candidates: weight of the signal
	fit := func(train []int, w float64) (float64, error) { return w, nil }
	score := func(w float64, test []int) (float64, error) {
		s := make([]float64, len(test))
		l := make([]bool, len(test))
		for j, i := range test {
			s[j] = w*signal[i] + (1-w)*noise[i]
			l[j] = labels[i]
		}
		return eval.AveragePrecision(s, l)
	}

	cfg := cv.NestedConfig{OuterK: 5, InnerK: 4, Repeats: 2, Seed: 7}
	res, err := cv.NestedCV(context.Background(), cv.Data{Labels: labels, Groups: groups}, cfg, fit, weights, score)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Folds {
		fmt.Printf("repeat %d fold %d: weight %.1f, AP %.2f\n", f.Repeat, f.Fold, weights[f.Chosen], f.Score)
	}
	fmt.Printf("mean AP %.2f, 95%% CI [%.2f, %.2f]\n", res.Mean, res.CI.Lo, res.CI.Hi)
	// Output:
	// repeat 0 fold 0: weight 1.0, AP 0.51
	// repeat 0 fold 1: weight 1.0, AP 1.00
	// repeat 0 fold 2: weight 1.0, AP 0.80
	// repeat 0 fold 3: weight 1.0, AP 0.72
	// repeat 0 fold 4: weight 1.0, AP 0.89
	// repeat 1 fold 0: weight 1.0, AP 0.70
	// repeat 1 fold 1: weight 1.0, AP 0.92
	// repeat 1 fold 2: weight 1.0, AP 0.81
	// repeat 1 fold 3: weight 1.0, AP 0.80
	// repeat 1 fold 4: weight 1.0, AP 0.89
	// mean AP 0.80, 95% CI [0.72, 0.88]
}
