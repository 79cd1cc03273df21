package trainers

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/checkpoints"
)

// poisonTask corrupts the loss or a gradient of one step of a regression task.
type poisonTask struct {
	*regressionTask
	at        int  // 1-based step to corrupt
	lossOnly  bool // NaN loss with finite gradients
	calls     int
	lastGood  [][]float32
	sawPoison bool
}

func (p *poisonTask) TrainStep(idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	p.calls++
	if p.calls == p.at {
		p.lastGood = weights(p)
	}
	loss, grads, err := p.regressionTask.TrainStep(idx, rng)
	if err != nil || p.calls != p.at {
		return loss, grads, err
	}
	p.sawPoison = true
	if p.lossOnly {
		return math.NaN(), grads, nil
	}
	grads[1][3] = float32(math.Inf(-1))
	return loss, grads, nil
}

func TestNonFiniteStopsWithoutUpdateOrSave(t *testing.T) {
	for _, lossOnly := range []bool{false, true} {
		dir := t.TempDir()
		task := &poisonTask{regressionTask: newRegressionTask(t, 1), at: 8, lossOnly: lossOnly}
		tr, err := New(resumeConfig(dir), task)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tr.Run(context.Background())
		if !errors.Is(err, ErrNonFinite) || !task.sawPoison {
			t.Fatalf("lossOnly=%v: err %v, want ErrNonFinite", lossOnly, err)
		}
		t.Log(err)
		want := []string{"step 8", `parameter "w2"`}
		if lossOnly {
			want = []string{"step 8", "loss is NaN"}
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("lossOnly=%v: error %q lacks %q", lossOnly, err, w)
			}
		}
		if res.Steps != 7 {
			t.Errorf("result reports %d steps, want 7", res.Steps)
		}
		if d := diffWeights(task.lastGood, weights(task)); d != "" {
			t.Errorf("lossOnly=%v: the bad step changed the weights: %s", lossOnly, d)
		}
		latest, ok, err := checkpoints.Latest(dir)
		if err != nil || !ok || filepath.Base(latest) != "step-000000006" {
			t.Fatalf("Latest = %q %v %v, want step 6", latest, ok, err)
		}
		if _, err := checkpoints.Load(latest); err != nil {
			t.Errorf("last good checkpoint does not load: %v", err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if want := []string{"latest", "step-000000003", "step-000000006"}; !slices.Equal(names, want) {
			t.Errorf("checkpoint dir holds %v, want %v", names, want)
		}
	}
}

func TestNonFiniteValidationLossIsAnError(t *testing.T) {
	task := &plateauTask{p: newParam(t, "w", 0, 0), val: []float64{1, math.Inf(1)}}
	tr, err := New(Config{Epochs: 3, BatchSize: 2}, task)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "epoch 1") {
		t.Errorf("err %v, want ErrNonFinite at epoch 1", err)
	}
}
