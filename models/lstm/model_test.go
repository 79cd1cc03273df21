package lstm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// cyclic is n windows of T+1 ids cycling through 1..period (some padded).
func cyclic(n, T, period int) models.Examples {
	ex := models.Examples{Input: models.Input{IntShape: []int{T + 1}, Vocab: period + 1}, N: n}
	for i := 0; i < n; i++ {
		for t := 0; t <= T; t++ {
			v := int32((i+t)%period + 1)
			if i%4 == 3 && t > T/2 {
				v = models.Pad
			}
			ex.Int = append(ex.Int, v)
		}
	}
	return ex
}

// TestTrainingLearnsACycle: trained on cyclic windows, the model predicts
// the next call almost surely, so its loss falls far below log(vocab).
func TestTrainingLearnsACycle(t *testing.T) {
	ex := cyclic(48, 8, 5)
	m, err := New(Config{Vocab: 6, Steps: 8, Embedding: 6, Hidden: 16, Layers: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	train, val := seq(0, 40), seq(40, 48)
	task, err := m.TrainTask(ex, train, val, 8, 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer task.Close()
	tr, err := models.NewTrainer(trainers.Config{Epochs: 40, BatchSize: 8, LR: 0.02, Seed: 3, ClipNorm: 5}, task)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	first, last := res.ValLoss[0], res.ValLoss[len(res.ValLoss)-1]
	if !(last < 0.2 && first > 1) {
		t.Fatalf("validation loss %v -> %v, want from above 1 (log 6 = 1.79) to below 0.2", first, last)
	}
	s, err := m.Scorer(16, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scores, err := s.Score(ex, val)
	if err != nil {
		t.Fatal(err)
	}
	omp, nll := scores[0], scores[1]
	if omp.Name != "one_minus_p" || nll.Name != "nll" || omp.Width != 8 || len(omp.Values) != 8*len(val) {
		t.Fatalf("scores %s/%s of width %d, %d values", omp.Name, nll.Name, omp.Width, len(omp.Values))
	}
	var sum float64
	counted := 0
	for i, j := range val {
		w := ex.IntAt(j)
		for p := 0; p < 8; p++ {
			o, l := omp.Values[i*8+p], nll.Values[i*8+p]
			if w[p+1] == models.Pad {
				if o != 0 || l != 0 {
					t.Fatalf("padded position scored %v, %v", o, l)
				}
				continue
			}
			if d := math.Abs(o - (1 - math.Exp(-l))); d > 1e-5 {
				t.Fatalf("1-p %v and nll %v disagree", o, l)
			}
			sum += l
			counted++
		}
	}
	if d := math.Abs(sum/float64(counted) - last); d > 1e-4 {
		t.Fatalf("mean scored NLL %v, validation loss %v", sum/float64(counted), last)
	}
}

// TestLossIsTheMeanOverCountedTargets: a partial batch with padding gives
// the mean NLL of exactly the counted targets.
func TestLossIsTheMeanOverCountedTargets(t *testing.T) {
	ex := cyclic(4, 6, 3)
	m, err := New(Config{Vocab: 4, Steps: 6, Embedding: 3, Hidden: 5, Layers: 2, Dropout: 0.2}, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	n, err := m.build(graph.Eval, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	counted, err := n.fillCount(ex, []int{0, 3, 2})
	if err != nil {
		t.Fatal(err)
	}
	if counted != 6+3+6 {
		t.Fatalf("%d counted targets, want 15 (window 3 is padded after position 3)", counted)
	}
	if err := n.Program.Run(nil); err != nil {
		t.Fatal(err)
	}
	loss, err := n.Program.Loss()
	if err != nil {
		t.Fatal(err)
	}
	nll, _ := graph.Float32s(n.NLL)
	var sum float64
	for k, y := range n.y {
		if y >= 0 {
			sum += float64(nll[k])
		} else if nll[k] != 0 {
			t.Fatalf("ignored position %d has NLL %v", k, nll[k])
		}
	}
	if d := math.Abs(loss - sum/15); d > 1e-6 {
		t.Fatalf("loss %v, mean of counted NLL %v", loss, sum/15)
	}
}

func TestFamilyValidatesItsSection(t *testing.T) {
	in := models.Input{IntShape: []int{65}}
	if err := (Family{}).Validate(&Section{Embedding: 32, Hidden: 0, Layers: 1, Dropout: 1}, in); err == nil {
		t.Fatal("hidden 0 and dropout 1 accepted")
	}
	if err := (Family{}).Validate(Family{}.Defaults(), models.Input{FloatShape: []int{3}}); err == nil {
		t.Fatal("float inputs accepted")
	}
	if _, err := (Family{}).New(Family{}.Defaults(), in, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Fatal("a model without a vocabulary built")
	}
}

func seq(lo, hi int) []int {
	var out []int
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}
