package trainers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/graph"
)

func TestPhasedNonFiniteInSecondPhase(t *testing.T) {
	dir := t.TempDir()
	task := newResumeGAN(t, 1)
	task.poisonD = 9 // the first discriminator round of step 5
	var before [][]float32
	rec := HookFuncs{Step: func(s StepInfo) error {
		if s.Step == 4 {
			before = ganWeights(task)
		}
		return nil
	}}
	tr, err := NewPhased(phasedResumeConfig(dir), task, WithHooks(rec))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), `phase "discriminator"`) ||
		!strings.Contains(err.Error(), `parameter "b"`) || !strings.Contains(err.Error(), "step 5") {
		t.Fatalf("err %v, want ErrNonFinite at step 5 naming phase \"discriminator\" and parameter \"b\"", err)
	}
	if res.Steps != 4 {
		t.Errorf("result reports %d steps, want 4", res.Steps)
	}
	after := ganWeights(task)
	if after[0][0] == before[0][0] {
		t.Error("the generator update of the failing step was not applied")
	}
	if d := diffWeights(before[1:], after[1:]); d != "" {
		t.Errorf("the failing discriminator update changed its parameters: %s", d)
	}
	opts := tr.PhaseOptimizers()
	if g, d := opts[0].State().Step, opts[1].State().Step; g != 5 || d != 8 {
		t.Errorf("optimizer steps %d and %d, want 5 and 8", g, d)
	}
	if latest, ok, err := checkpoints.Latest(dir); err != nil || !ok || filepath.Base(latest) != "step-000000004" {
		t.Errorf("Latest = %q %v %v, want step 4", latest, ok, err)
	}
}

func TestPhasedResumeRefusesOtherLayouts(t *testing.T) {
	dir := t.TempDir()
	cfg := phasedResumeConfig(dir)
	cfg.TrainSteps = 4
	tr, err := NewPhased(cfg, newResumeGAN(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	phased := filepath.Join(dir, "step-000000004")

	renamed := newResumeGAN(t, 2)
	renamed.names = [2]string{"gen", "disc"}
	extra := newResumeGAN(t, 2)
	extra.genAlso = []*graph.Param{newTable(t, "h", []int{1}, 0)}
	for name, task := range map[string]*ganTask{"renamed": renamed, "other parameters": extra} {
		before := ganWeights(task)
		tr, err := NewPhased(phasedResumeConfig(t.TempDir()), task)
		if err != nil {
			t.Fatal(err)
		}
		err = tr.Resume(phased)
		if err == nil || !strings.Contains(err.Error(), "written with phases generator[g] discriminator[b w]") {
			t.Errorf("%s: err %v, want a phase mismatch", name, err)
		}
		if d := diffWeights(before, ganWeights(task)); d != "" || tr.Step() != 0 {
			t.Errorf("%s: failed resume changed the state: %s, step %d", name, d, tr.Step())
		}
	}

	// Moments filed under the wrong phase.
	c, err := checkpoints.Load(phased)
	if err != nil {
		t.Fatal(err)
	}
	for i, tn := range c.Tensors {
		c.Tensors[i].Name = strings.Replace(tn.Name, "optim/discriminator/", "optim/generator/", 1)
	}
	moved, err := checkpoints.Save(t.TempDir(), c, 0)
	if err != nil {
		t.Fatal(err)
	}
	tr5, err := NewPhased(phasedResumeConfig(t.TempDir()), newResumeGAN(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	if err := tr5.Resume(moved); err == nil || !strings.Contains(err.Error(), `is not in phase "generator"`) {
		t.Errorf("moments under the wrong phase: %v", err)
	}

	// A phased checkpoint into a plain trainer, and the reverse.
	plain, err := New(phasedResumeConfig(t.TempDir()), &ganAsTask{newResumeGAN(t, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.Resume(phased); err == nil || !strings.Contains(err.Error(), "written by a phased run") {
		t.Errorf("plain trainer resuming a phased checkpoint: %v", err)
	}
	single := phasedResumeConfig(t.TempDir())
	single.TrainSteps = 4
	ptr, err := New(single, &ganAsTask{newResumeGAN(t, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ptr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	tr4, err := NewPhased(phasedResumeConfig(t.TempDir()), newResumeGAN(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	if err := tr4.Resume(filepath.Join(single.CheckpointDir, "step-000000004")); err == nil || !strings.Contains(err.Error(), "without phases") {
		t.Errorf("phased trainer resuming a plain checkpoint: %v", err)
	}
}

// ganAsTask presents a ganTask's parameters as a plain Task.
type ganAsTask struct{ *ganTask }

func (k *ganAsTask) Params() []*graph.Param { return k.params() }
func (k *ganAsTask) TrainStep(idx []int, rng *rand.Rand) (float64, [][]float32, error) {
	return 0, [][]float32{{0}, {0}, {0}}, nil
}

func TestSingleTaskCheckpointHasNoPhases(t *testing.T) {
	dir := t.TempDir()
	tr, err := New(resumeConfig(dir), newRegressionTask(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c, err := checkpoints.Load(res.LastCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(c.Meta.Trainer, &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["phases"]; ok || c.Meta.Optimizer.Name != "adam" || res.PhaseLoss != nil {
		t.Errorf("single-task checkpoint: optimizer %q, trainer state %s, result phases %v", c.Meta.Optimizer.Name, c.Meta.Trainer, res.PhaseLoss)
	}
	for _, tn := range c.Tensors {
		if strings.HasPrefix(tn.Name, "optim/") && strings.Count(tn.Name, "/") != 2 {
			t.Errorf("optimizer tensor %q is not optim/<kind>/<param>", tn.Name)
		}
	}
}

// rowGAN is a phased task that also reports row gradients.
type rowGAN struct{ *ganTask }

func (rowGAN) RowGrads() []*RowGrad { return nil }

func TestNewPhasedValidates(t *testing.T) {
	cases := map[string]struct {
		mutate func(k *ganTask) PhasedTask
		opts   []Option
		want   string
	}{
		"empty name":      {mutate: func(k *ganTask) PhasedTask { k.names[0] = ""; return k }, want: "no name"},
		"slash":           {mutate: func(k *ganTask) PhasedTask { k.names[1] = "d/x"; return k }, want: "reserved"},
		"duplicate name":  {mutate: func(k *ganTask) PhasedTask { k.names[1] = "generator"; return k }, want: "duplicated"},
		"negative rounds": {mutate: func(k *ganTask) PhasedTask { k.rounds[1] = -1; return k }, want: "rounds"},
		"negative lr":     {mutate: func(k *ganTask) PhasedTask { k.lr[0] = -1; return k }, want: "learning rate"},
		"shared param":    {mutate: func(k *ganTask) PhasedTask { k.genAlso = []*graph.Param{k.w}; return k }, want: `"w" is in phases "generator" and "discriminator"`},
		"same name":       {mutate: func(k *ganTask) PhasedTask { k.genAlso = []*graph.Param{newTable(t, "b", []int{1}, 0)}; return k }, want: `"b" is in phases`},
		"twice in phase":  {mutate: func(k *ganTask) PhasedTask { k.genAlso = []*graph.Param{k.g}; return k }, want: `"g" is in phases "generator" and "generator"`},
		"nil param":       {mutate: func(k *ganTask) PhasedTask { k.genAlso = []*graph.Param{nil}; return k }, want: "nil parameter"},
		"reserved param":  {mutate: func(k *ganTask) PhasedTask { k.g.Name = "best/g"; return k }, want: "reserved prefix"},
		"empty param":     {mutate: func(k *ganTask) PhasedTask { k.g.Name = ""; return k }, want: "empty or duplicated"},
		"no params":       {mutate: func(k *ganTask) PhasedTask { return noParams{k} }, want: "no parameters"},
		"no phases":       {mutate: func(k *ganTask) PhasedTask { return noPhases{k} }, want: "no phases"},
		"row gradients":   {mutate: func(k *ganTask) PhasedTask { return rowGAN{k} }, want: "row gradients"},
		"nil task":        {mutate: func(*ganTask) PhasedTask { return nil }, want: "nil task"},
		"optimizer":       {mutate: func(k *ganTask) PhasedTask { return k }, opts: []Option{WithOptimizer(NewSGD(SGDConfig{}))}, want: "WithOptimizer"},
		"no examples":     {mutate: func(k *ganTask) PhasedTask { k.real = nil; return k }, want: "0 training examples"},
	}
	for name, c := range cases {
		_, err := NewPhased(Config{}, c.mutate(newGANTask(t, 1, 4)), c.opts...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want one containing %q", name, err, c.want)
		}
	}
	if _, err := NewPhased(Config{}, newGANTask(t, 1, 4)); err != nil {
		t.Errorf("valid task: %v", err)
	}
}

type noParams struct{ *ganTask }

func (n noParams) Phases() []Phase {
	ps := n.ganTask.Phases()
	ps[1].Params = nil
	return ps
}

type noPhases struct{ *ganTask }

func (noPhases) Phases() []Phase { return nil }

func TestPhasedProgressReportsEveryPhase(t *testing.T) {
	var buf bytes.Buffer
	hist := &History{}
	prog := NewProgress(&buf, ProgressConfig{Mode: ProgressLog, LogEvery: 1})
	tr, err := NewPhased(Config{BatchSize: 4, TrainSteps: 3}, newResumeGAN(t, 1), WithHooks(prog, hist))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "loss_generator=") != 4 || strings.Count(out, "loss_discriminator=") != 4 {
		t.Errorf("log lacks per-phase losses on every step and epoch:\n%s", out)
	}
	if len(hist.Epochs) != 1 || len(hist.Epochs[0].PhaseLoss) != 2 || hist.Epochs[0].PhaseLoss[1].Phase != "discriminator" {
		t.Errorf("history %+v", hist.Epochs)
	}
	if got := lossText(0.5, []PhaseLoss{{"generator", 0.5}, {"discriminator", 1.25}}); got != "loss_generator=0.5 loss_discriminator=1.25" {
		t.Errorf("bar text %q", got)
	}
	if got := lossText(0.5, nil); got != "loss 0.5" {
		t.Errorf("bar text %q", got)
	}
}
