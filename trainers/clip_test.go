package trainers

import (
	"context"
	"math"
	"testing"
)

func TestClipGradNorm(t *testing.T) {
	grads := [][]float32{{3, 0}, {0, 4}} // norm 5
	if n := ClipGradNorm(grads, 10); n != 5 || grads[0][0] != 3 {
		t.Fatalf("below the limit: norm %v, grads %v", n, grads)
	}
	if n := ClipGradNorm(grads, 0); n != 5 || grads[1][1] != 4 {
		t.Fatalf("clipping off: norm %v, grads %v", n, grads)
	}
	ClipGradNorm(grads, 1)
	if a, b := float64(grads[0][0]), float64(grads[1][1]); math.Abs(a-0.6) > 1e-6 || math.Abs(b-0.8) > 1e-6 {
		t.Fatalf("clipped to norm 1: %v, want [0.6 0] [0 0.8]", grads)
	}
}

// TestClipNormChangesTheUpdate: a run clipped to a tiny norm moves the
// weights less than an unclipped one.
func TestClipNormChangesTheUpdate(t *testing.T) {
	moved := func(clip float64) float64 {
		task := newRegressionTask(t, 1)
		before := append([]float32(nil), task.Params()[0].Data()...)
		tr, err := New(Config{Epochs: 1, BatchSize: 8, Optimizer: "sgd", LR: 0.1, ClipNorm: clip}, task)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		var d float64
		for i, v := range task.Params()[0].Data() {
			d += math.Abs(float64(v - before[i]))
		}
		return d
	}
	free, clipped := moved(0), moved(1e-4)
	if !(clipped < free/10) || clipped == 0 {
		t.Fatalf("weights moved %v clipped to 1e-4, %v unclipped", clipped, free)
	}
}
