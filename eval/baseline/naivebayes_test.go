package baseline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Two users over commands a, b, c (V = 3 + unknown slot = 4), alpha 1:
//
//	A trains on a a a b: self a 4/8, b 2/8, c 1/8, unknown 1/8
//	B trains on b b c c: self a 1/8, b 3/8, c 3/8, unknown 1/8
//
// and each user's non-self model is the other user's self model.
func TestNaiveBayesHandComputed(t *testing.T) {
	train := [][]string{{"a", "a", "a", "b"}, {"b", "b", "c", "c"}}
	blocks := [][][]string{
		{{"a", "c"}, {"z"}, {"b", "b"}},
		{{"c", "c", "a"}},
	}
	trainScores, testScores, err := NaiveBayes{Alpha: 1}.ScoreSEA(train, blocks, 2)
	if err != nil {
		t.Fatal(err)
	}
	ln := math.Log
	wantTest := [][]float64{
		{
			ln((1.0/8)/(4.0/8)) + ln((3.0/8)/(1.0/8)), // a c
			0,           // unknown: both models give 1/8
			2 * ln(1.5), // b b: (3/8) / (2/8) twice
		},
		{2*ln((1.0/8)/(3.0/8)) + ln((4.0/8)/(1.0/8))}, // c c a
	}
	// Leave-one-block-out self models (6 = 2 commands + 4 slots):
	// A without [a a] is [a b]: a 2/6; A without [a b] is [a a]: a 3/6, b 1/6.
	// B without [b b] is [c c]: b 1/6; B without [c c] is [b b]: c 1/6.
	wantTrain := [][]float64{
		{2 * ln((1.0/8)/(2.0/6)), ln((1.0/8)/(3.0/6)) + ln((3.0/8)/(1.0/6))},
		{2 * ln((2.0/8)/(1.0/6)), 2 * ln((1.0/8)/(1.0/6))},
	}
	assertScores(t, "test", testScores, wantTest)
	assertScores(t, "train", trainScores, wantTrain)
}

func TestNaiveBayesDefaultAlpha(t *testing.T) {
	train := [][]string{{"a", "a", "b", "a"}, {"c", "b", "c", "c"}}
	blocks := [][][]string{{{"c", "b"}}, {{"a"}}}
	_, zero, err := NaiveBayes{}.ScoreSEA(train, blocks, 2)
	if err != nil {
		t.Fatal(err)
	}
	_, paper, err := NaiveBayes{Alpha: DefaultAlpha}.ScoreSEA(train, blocks, 2)
	if err != nil {
		t.Fatal(err)
	}
	_, one, err := NaiveBayes{Alpha: 1}.ScoreSEA(train, blocks, 2)
	if err != nil {
		t.Fatal(err)
	}
	assertScores(t, "zero alpha", zero, paper)
	if zero[0][0] == one[0][0] {
		t.Error("alpha has no effect")
	}
}

func TestNaiveBayesPartialTrailingBlock(t *testing.T) {
	train := [][]string{{"a", "a", "b", "a", "a"}, {"c", "b", "c", "c", "b", "c", "c"}}
	trainScores, _, err := NaiveBayes{}.ScoreSEA(train, [][][]string{nil, nil}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(trainScores[0]) != 2 || len(trainScores[1]) != 3 {
		t.Errorf("training block counts %d, %d; want 2, 3", len(trainScores[0]), len(trainScores[1]))
	}
}

func TestNaiveBayesSeparatesForeignBlocks(t *testing.T) {
	const users, trainLen, blockLen = 5, 1000, 100
	rng := rand.New(rand.NewPCG(7, 11))
	draw := func(u, n int) []string {
		out := make([]string, n)
		for i := range out {
			if rng.Float64() < 0.7 {
				out[i] = fmt.Sprintf("u%d-cmd%d", u, rng.IntN(10))
			} else {
				out[i] = fmt.Sprintf("shared%d", rng.IntN(20))
			}
		}
		return out
	}
	train := make([][]string, users)
	blocks := make([][][]string, users)
	for u := range users {
		train[u] = draw(u, trainLen)
		for range 10 {
			blocks[u] = append(blocks[u], draw(u, blockLen))
		}
		blocks[u] = append(blocks[u], draw((u+1)%users, blockLen)) // foreign
	}
	trainScores, testScores, err := NaiveBayes{}.ScoreSEA(train, blocks, blockLen)
	if err != nil {
		t.Fatal(err)
	}
	for u := range users {
		own := append(append([]float64{}, testScores[u][:10]...), trainScores[u]...)
		foreign := testScores[u][10]
		for _, s := range own {
			if s >= foreign {
				t.Errorf("user %d: own block scores %v >= foreign %v", u, s, foreign)
			}
		}
		if foreign <= 0 || mean(own) >= 0 {
			t.Errorf("user %d: foreign %v should favour non-self, own mean %v self", u, foreign, mean(own))
		}
	}
}

func TestNaiveBayesErrors(t *testing.T) {
	two := [][]string{{"a", "b"}, {"b", "a"}}
	noBlocks := [][][]string{nil, nil}
	cases := []struct {
		name     string
		nb       NaiveBayes
		train    [][]string
		blocks   [][][]string
		blockLen int
	}{
		{"negative alpha", NaiveBayes{Alpha: -1}, two, noBlocks, 1},
		{"nan alpha", NaiveBayes{Alpha: math.NaN()}, two, noBlocks, 1},
		{"zero block length", NaiveBayes{}, two, noBlocks, 0},
		{"one user", NaiveBayes{}, two[:1], noBlocks[:1], 1},
		{"user count mismatch", NaiveBayes{}, two, noBlocks[:1], 1},
		{"one training block", NaiveBayes{}, two, noBlocks, 2},
		{"empty test block", NaiveBayes{}, two, [][][]string{{{}}, nil}, 1},
	}
	for _, c := range cases {
		if _, _, err := c.nb.ScoreSEA(c.train, c.blocks, c.blockLen); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func assertScores(t *testing.T, name string, got, want [][]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d users, want %d", name, len(got), len(want))
	}
	for u := range want {
		if len(got[u]) != len(want[u]) {
			t.Fatalf("%s user %d: %d scores, want %d", name, u, len(got[u]), len(want[u]))
		}
		for i := range want[u] {
			if math.Abs(got[u][i]-want[u][i]) > 1e-12 {
				t.Errorf("%s user %d block %d: %v, want %v", name, u, i, got[u][i], want[u][i])
			}
		}
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
