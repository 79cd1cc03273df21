package trainers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/checkpoints"
)

// phasedResumeConfig is 20 steps of 3-step epochs (10 examples, batches of
// 4) with Adam, weight decay, clipping, kept best weights and a checkpoint
// every 2 steps.
func phasedResumeConfig(dir string) Config {
	return Config{BatchSize: 4, Seed: 11, LR: 0.02, TrainSteps: 20, CheckpointDir: dir, CheckpointEvery: 2,
		WeightDecay: 0.001, ClipNorm: 0.05, Patience: 100, ConfigJSON: []byte(`{"experiment":"phased"}`)}
}

// newResumeGAN is the task of the resume tests: noise in both phases, two
// discriminator rounds and a generator learning rate of its own.
func newResumeGAN(t *testing.T, initSeed uint64) *ganTask {
	task := newGANTask(t, initSeed, 10)
	task.sigma, task.rounds, task.lr = 0.3, [2]int{1, 2}, [2]float64{0.05, 0}
	return task
}

// comparableMeta is m without its creation time, as JSON.
func comparableMeta(t *testing.T, m checkpoints.Meta) []byte {
	t.Helper()
	m.Created = time.Time{}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPhasedResumeMatchesUninterruptedRun(t *testing.T) {
	root := t.TempDir()
	task := newResumeGAN(t, 1)
	tr, err := NewPhased(phasedResumeConfig(filepath.Join(root, "straight")), task)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantW := ganWeights(task)
	clipped := [2]int{}
	for _, c := range task.calls {
		if c.norm > 0.05 {
			clipped[c.phase]++
		}
	}
	if want.Steps != 20 || want.Epochs != 6 || len(task.calls) != 60 || clipped[0] == 0 || clipped[1] == 0 {
		t.Fatalf("straight run %+v with %d calls, %v clipped per phase", want, len(task.calls), clipped)
	}
	final, err := checkpoints.Load(want.LastCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tn := range final.Tensors {
		names = append(names, tn.Name)
	}
	wantNames := []string{"b", "best/b", "best/g", "best/w", "g",
		"optim/discriminator/m/b", "optim/discriminator/m/w", "optim/discriminator/v/b", "optim/discriminator/v/w",
		"optim/generator/m/g", "optim/generator/v/g", "w"}
	if !slices.Equal(names, wantNames) {
		t.Errorf("final checkpoint tensors %v, want %v", names, wantNames)
	}
	var st runState
	if err := json.Unmarshal(final.Meta.Trainer, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Phases) != 2 || st.Phases[0].Optimizer.Step != 20 || st.Phases[1].Optimizer.Step != 40 ||
		st.Phases[0].Optimizer.Hyper["lr"] != 0.05 || st.Phases[1].Optimizer.Hyper["lr"] != 0.02 ||
		final.Meta.Optimizer.Name != "phased" || final.Meta.Metrics["train_loss/discriminator"] != want.PhaseLoss[1].TrainLoss[5] {
		t.Errorf("final checkpoint metadata: optimizer %+v, phases %+v, metrics %v", final.Meta.Optimizer, st.Phases, final.Meta.Metrics)
	}

	// Interrupted after step 7 (mid-epoch): the run saves step 7 and stops.
	killedDir := filepath.Join(root, "killed")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr2, err := NewPhased(phasedResumeConfig(killedDir), newResumeGAN(t, 1), WithHooks(cancelAt(7, cancel)))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := tr2.Run(ctx); !errors.Is(err, context.Canceled) || res.Steps != 7 {
		t.Fatalf("interrupted run: %d steps, err %v", res.Steps, err)
	}
	// 7 and 4 are mid-epoch, 6 an epoch end, 2 early in the first epoch.
	for _, step := range []string{"step-000000007", "step-000000004", "step-000000006", "step-000000002"} {
		resumed := newResumeGAN(t, 99)
		tr3, err := NewPhased(phasedResumeConfig(filepath.Join(root, "from-"+step)), resumed)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr3.Resume(filepath.Join(killedDir, step)); err != nil {
			t.Fatal(err)
		}
		got, err := tr3.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if d := diffWeights(ganWeights(resumed), wantW); d != "" {
			t.Errorf("resumed at %s: weights differ: %s", step, d)
		}
		if got.Steps != want.Steps || !slices.Equal(got.TrainLoss, want.TrainLoss) || !slices.Equal(got.ValLoss, want.ValLoss) ||
			got.BestEpoch != want.BestEpoch || !samePhaseHistory(got.PhaseLoss, want.PhaseLoss) {
			t.Errorf("resumed at %s: result %+v, want %+v", step, got, want)
		}
		b, err := checkpoints.Load(got.LastCheckpoint)
		if err != nil {
			t.Fatal(err)
		}
		if final.Meta.WeightsSHA256 != b.Meta.WeightsSHA256 || !bytes.Equal(comparableMeta(t, final.Meta), comparableMeta(t, b.Meta)) {
			t.Errorf("resumed at %s: final checkpoints differ:\n%s\n%s", step, comparableMeta(t, final.Meta), comparableMeta(t, b.Meta))
		}
	}
}
