//go:build gpu

package linear

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/cuda/device"
	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/cuda/selftest"
	"github.com/vigil-ml/vigil/trainers"
)

// TestGPUProbeAndFitMatchTheCPUProgram: on GPU 0 (the emulated one in
// `make test-emu`) the family's probe passes the self-test with a margin
// of ten, and Fit (parameters and Adam held by the device) ends within
// 1e-3 of the CPU program backend's decision values.
func TestGPUProbeAndFitMatchTheCPUProgram(t *testing.T) {
	d := device.OpenForTest(t) // skips without a GPU, fails with VIGIL_EXPECT_GPU=1
	r, err := selftest.MeasureGPU(d, Family{}.Probe())
	if err != nil {
		t.Fatal(err)
	}
	if r.Worst > selftest.Tolerance/10 {
		t.Fatalf("largest difference %.3g (%s) is within a factor 10 of the tolerance %g", r.Worst, r.What, selftest.Tolerance)
	}
	ex := imbalanced(20, 180, 16, 1, rand.New(rand.NewPCG(3, 3)))
	factory := exec.Factory(func() (exec.Backend, error) { return exec.NewGPUBackend(d) })
	m, err := New(Config{Features: 16, Penalty: PenaltyIR, PosWeight: 1, NegWeight: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	tt, err := m.TrainTask(ex, seq(0, ex.N), nil, 32, 32, factory)
	if err != nil {
		t.Fatal(err)
	}
	if dt, ok := tt.(trainers.DeviceTask); !ok || !dt.OnDevice() {
		t.Fatal("the train task does not hold its parameters on the device")
	}
	_ = tt.Close()
	x, y := rows(ex)
	cfg := FitConfig{Epochs: 5, BatchSize: 32, Penalty: PenaltyIR, Seed: 2}
	gpu, err := Fit(t.Context(), x, y, cfg, factory)
	if err != nil {
		t.Fatal(err)
	}
	cpu, err := Fit(t.Context(), x, y, cfg, exec.CPUFactory())
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i, row := range x {
		g, c := gpu.Decision(row), cpu.Decision(row)
		if d := math.Abs(g - c); d > 1e-3*math.Max(1, math.Abs(c)) {
			t.Fatalf("example %d: GPU %v, CPU program %v", i, g, c)
		} else {
			worst = math.Max(worst, d)
		}
	}
	t.Logf("probe: largest difference %.3g (%s); Fit: largest decision difference %.3g", r.Worst, r.What, worst)
}
