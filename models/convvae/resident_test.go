package convvae

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/trainers"
)

var _ trainers.DeviceTask = (*Task)(nil)

// hostOnly hides a task's device methods: the trainer downloads the
// gradients and runs the optimizer on the host.
type hostOnly struct{ trainers.Task }

// counted counts the device steps a task runs.
type counted struct {
	*Task
	steps int
}

func (c *counted) DeviceStep(idx []int, rng *rand.Rand, u graph.Update) (float64, bool, [][]float32, error) {
	c.steps++
	return c.Task.DeviceStep(idx, rng, u)
}

// residentRun is one training run of the tiny model.
type residentRun struct {
	task  *Task
	tr    *trainers.Trainer
	res   trainers.Result
	err   error
	steps int // device steps
}

// trainResident trains the tiny model (model seed 4) on stripes with the
// cuda/exec CPU backend (factory exec.CPUFactory) or the tape machine (nil),
// on the device path (device true) or the host path, optionally resuming
// from a checkpoint first.
func trainResident(t *testing.T, f graph.RunnerFactory, device bool, opt func() trainers.Optimizer, cfg trainers.Config, resume string, w Windows) residentRun {
	t.Helper()
	m, err := New(tiny(), rand.New(rand.NewPCG(4, 1)))
	if err != nil {
		t.Fatal(err)
	}
	task, err := NewTaskWith(m, w, allIdx(24), []int{24, 25, 26, 27, 28, 29, 30, 31}, 8, 8, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { task.Close() })
	c := &counted{Task: task}
	var tt trainers.Task = c
	if !device {
		tt = hostOnly{task}
	}
	tr, err := trainers.New(cfg, tt, trainers.WithOptimizer(opt()))
	if err != nil {
		t.Fatal(err)
	}
	if resume != "" {
		if err := tr.Resume(resume); err != nil {
			t.Fatal(err)
		}
	}
	res, err := tr.Run(context.Background())
	return residentRun{task: task, tr: tr, res: res, err: err, steps: c.steps}
}

// sameBits fails unless a and b hold bit-identical parameters, losses and
// optimizer moments.
func sameBits(t *testing.T, what string, a, b residentRun) {
	t.Helper()
	pa, pb := a.task.Params(), b.task.Params()
	for i := range pa {
		for j, v := range pa[i].Data() {
			if math.Float32bits(v) != math.Float32bits(pb[i].Data()[j]) {
				t.Fatalf("%s: %s[%d] = %v and %v", what, pa[i].Name, j, v, pb[i].Data()[j])
			}
		}
	}
	la, lb := append(a.res.TrainLoss, a.res.ValLoss...), append(b.res.TrainLoss, b.res.ValLoss...)
	if len(la) != len(lb) {
		t.Fatalf("%s: %d and %d epoch losses", what, len(la), len(lb))
	}
	for i := range la {
		if math.Float64bits(la[i]) != math.Float64bits(lb[i]) {
			t.Fatalf("%s: epoch loss %d: %v and %v", what, i, la[i], lb[i])
		}
	}
	sa, sb := a.tr.Optimizer().State(), b.tr.Optimizer().State()
	if sa.Step != sb.Step || len(sa.Tensors) != len(sb.Tensors) {
		t.Fatalf("%s: optimizer at step %d with %d tensors and step %d with %d", what, sa.Step, len(sa.Tensors), sb.Step, len(sb.Tensors))
	}
	byName := map[string][]float32{}
	for _, tb := range sb.Tensors {
		byName[tb.Name] = tb.Data
	}
	for _, ta := range sa.Tensors {
		tb, ok := byName[ta.Name]
		if !ok || len(tb) != len(ta.Data) {
			t.Fatalf("%s: optimizer tensor %s missing or resized", what, ta.Name)
		}
		for j, v := range ta.Data {
			if math.Float32bits(v) != math.Float32bits(tb[j]) {
				t.Fatalf("%s: optimizer %s[%d] = %v and %v", what, ta.Name, j, v, tb[j])
			}
		}
	}
}

func tinyWindows() Windows {
	c := tiny()
	return stripes(32, c.Rows, c.Cols, rand.New(rand.NewPCG(9, 9)))
}

// TestDeviceStepsMatchTheHostOptimizer trains through cuda/exec's CPU
// backend twice, once with the optimizer on the host (gradients
// downloaded every step) and once with parameters and moments held by the
// backend and updated there: parameters, losses and optimizer state must
// be bit-identical, for every update rule, across validation, early
// stopping and checkpoints.
func TestDeviceStepsMatchTheHostOptimizer(t *testing.T) {
	w := tinyWindows()
	for _, c := range []struct {
		name string
		opt  func() trainers.Optimizer
	}{
		{"adam", func() trainers.Optimizer { return trainers.NewAdam(trainers.AdamConfig{LR: 1e-2}) }},
		{"sgd", func() trainers.Optimizer { return trainers.NewSGD(trainers.SGDConfig{LR: 0.05}) }},
		{"nesterov", func() trainers.Optimizer {
			return trainers.NewSGD(trainers.SGDConfig{LR: 0.02, Momentum: 0.9, Nesterov: true})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := trainers.Config{Epochs: 4, BatchSize: 8, Seed: 11, Patience: 2, CheckpointDir: t.TempDir()}
			host := trainResident(t, exec.CPUFactory(), false, c.opt, cfg, "", w)
			cfg.CheckpointDir = t.TempDir()
			dev := trainResident(t, exec.CPUFactory(), true, c.opt, cfg, "", w)
			if host.err != nil || dev.err != nil {
				t.Fatal(host.err, dev.err)
			}
			if dev.steps != dev.res.Steps || dev.steps == 0 || host.steps != 0 {
				t.Fatalf("device steps %d of %d, host run %d", dev.steps, dev.res.Steps, host.steps)
			}
			sameBits(t, c.name, host, dev)
			ca, err := checkpoints.Load(host.res.LastCheckpoint)
			if err != nil {
				t.Fatal(err)
			}
			cb, err := checkpoints.Load(dev.res.LastCheckpoint)
			if err != nil {
				t.Fatal(err)
			}
			if len(ca.Tensors) != len(cb.Tensors) {
				t.Fatalf("checkpoints hold %d and %d tensors", len(ca.Tensors), len(cb.Tensors))
			}
			for i := range ca.Tensors {
				for j, v := range ca.Tensors[i].Data {
					if math.Float32bits(v) != math.Float32bits(cb.Tensors[i].Data[j]) {
						t.Fatalf("checkpoint tensor %s[%d]: %v and %v", ca.Tensors[i].Name, j, v, cb.Tensors[i].Data[j])
					}
				}
			}
		})
	}
}

// TestCheckpointsMoveBetweenDeviceAndTape resumes a checkpoint written by
// the device path on the tape machine and the reverse. A device run resumed
// from its own checkpoint ends bit-identical to the uninterrupted one; a
// tape checkpoint resumed on the device path ends bit-identical to the host
// optimizer resumed from it on the same backend (so the resumed parameters
// and moments reach the device); the tape machine continues a device
// checkpoint, lowers the loss and ends close to the backend given the
// tape's noise.
func TestCheckpointsMoveBetweenDeviceAndTape(t *testing.T) {
	w := tinyWindows()
	adam := func() trainers.Optimizer { return trainers.NewAdam(trainers.AdamConfig{LR: 1e-2}) }
	cfg := func(epochs int, dir string) trainers.Config {
		return trainers.Config{Epochs: epochs, BatchSize: 8, Seed: 3, CheckpointDir: dir}
	}
	full := trainResident(t, exec.CPUFactory(), true, adam, cfg(6, t.TempDir()), "", w)
	devDir, tapeDir := t.TempDir(), t.TempDir()
	half := trainResident(t, exec.CPUFactory(), true, adam, cfg(3, devDir), "", w)
	tapeHalf := trainResident(t, nil, false, adam, cfg(3, tapeDir), "", w)
	for _, r := range []residentRun{full, half, tapeHalf} {
		if r.err != nil {
			t.Fatal(r.err)
		}
	}

	resumed := trainResident(t, exec.CPUFactory(), true, adam, cfg(6, devDir), half.res.LastCheckpoint, w)
	if resumed.err != nil {
		t.Fatal(resumed.err)
	}
	sameBits(t, "device resumed from device", full, resumed)

	onDev := trainResident(t, exec.CPUFactory(), true, adam, cfg(6, filepath.Join(tapeDir, "dev")), tapeHalf.res.LastCheckpoint, w)
	onHost := trainResident(t, exec.CPUFactory(), false, adam, cfg(6, filepath.Join(tapeDir, "host")), tapeHalf.res.LastCheckpoint, w)
	if onDev.err != nil || onHost.err != nil {
		t.Fatal(onDev.err, onHost.err)
	}
	if onDev.steps != 9 {
		t.Fatalf("resumed device run took %d device steps, want 9", onDev.steps)
	}
	sameBits(t, "tape checkpoint on device and host", onDev, onHost)

	onTape := trainResident(t, nil, false, adam, cfg(6, filepath.Join(devDir, "tape")), half.res.LastCheckpoint, w)
	if onTape.err != nil {
		t.Fatal(onTape.err)
	}
	l := onTape.res.TrainLoss
	if len(l) != 6 || !(l[5] < l[2]) {
		t.Fatalf("tape run from a device checkpoint: epoch losses %v", l)
	}
	// With the tape's noise, the backend continues the same checkpoint to
	// nearly the same weights (the two sum in different orders).
	ref := trainResident(t, exec.CPUFactory(exec.HostNoise()), true, adam, cfg(6, filepath.Join(devDir, "ref")), half.res.LastCheckpoint, w)
	if ref.err != nil {
		t.Fatal(ref.err)
	}
	for i, p := range onTape.task.Params() {
		for j, v := range p.Data() {
			ref := float64(ref.task.Params()[i].Data()[j])
			if math.Abs(float64(v)-ref) > 1e-3*math.Max(1, math.Abs(ref)) {
				t.Fatalf("%s[%d] = %v on the tape, %v on the device", p.Name, j, v, ref)
			}
		}
	}
}

// TestDeviceStepStopsOnNonFinite poisons one training window: the device
// path stops with the host path's error, applies nothing of that step and
// leaves the host parameters at the last good step.
func TestDeviceStepStopsOnNonFinite(t *testing.T) {
	w := tinyWindows()
	w.Data[5*w.Size+3] = float32(math.NaN())
	adam := func() trainers.Optimizer { return trainers.NewAdam(trainers.AdamConfig{LR: 1e-2}) }
	cfg := trainers.Config{Epochs: 2, BatchSize: 8, Seed: 11}
	host := trainResident(t, exec.CPUFactory(), false, adam, cfg, "", w)
	dev := trainResident(t, exec.CPUFactory(), true, adam, cfg, "", w)
	if !errors.Is(dev.err, trainers.ErrNonFinite) || host.err == nil || dev.err.Error() != host.err.Error() {
		t.Fatalf("device error %v, host error %v", dev.err, host.err)
	}
	if dev.steps == 0 || dev.tr.Step() != host.tr.Step() {
		t.Fatalf("device stopped after step %d (%d device steps), host after %d", dev.tr.Step(), dev.steps, host.tr.Step())
	}
	sameBits(t, "non-finite", host, dev)
}
