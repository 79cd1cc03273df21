// Package selftest checks a cuda/exec backend numerically: a few training
// steps of each probe (a tiny graph of one model family's ops, see
// graph.Probe) run on it and on the CPU reference backend, and the loss,
// every parameter gradient and every parameter update must agree. The GPU
// build runs it on a GPU, with the probes of every registered family,
// before calling the GPU usable.
package selftest

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/trainers"
)

// Tolerance bounds the relative 2-norm difference ||got-want|| / ||want||
// of the loss, of each gradient and of each parameter's update. Both
// backends compute in float32 and differ in summation order (another GEMM
// blocking, other reduction trees) and in the math library. Measured on the
// emulated GPU, whose SGEMM sums in another order than the CPU backend's
// (Measure, TestGPUSelfTestMargin): the worst value is an Adam update,
// 3.0e-6, where Adam divides by small second moments; the bound leaves more
// than two orders of magnitude for a real GPU's kernels while a 1% error in any
// primitive still fails (selftest_test.go).
const Tolerance = 1e-3

// Steps is the number of training steps compared.
const Steps = 3

const lr = 1e-2

// Check trains each probe for Steps steps on a backend from newBackend
// and on exec.NewCPUBackend() from the same seeded parameters, inputs and
// noise, with Adam applied on each backend as in device training. It
// returns an error naming the probe and the first value (the loss, a
// parameter's gradient or its update) that is not finite or differs by
// more than Tolerance.
func Check(newBackend func() (exec.Backend, error), probes ...graph.Probe) error {
	_, err := measure(newBackend, Tolerance, probes)
	return err
}

// Report is the largest difference Measure found, and where.
type Report struct {
	Worst float64 // relative 2-norm difference
	What  string  // e.g. "convvae: step 3: update of conv1.W"
}

// Measure runs the comparison of Check without its tolerance and reports
// the largest difference (non-finite values are still errors).
func Measure(newBackend func() (exec.Backend, error), probes ...graph.Probe) (Report, error) {
	return measure(newBackend, math.Inf(1), probes)
}

func measure(newBackend func() (exec.Backend, error), limit float64, probes []graph.Probe) (Report, error) {
	if len(probes) == 0 {
		return Report{}, fmt.Errorf("self-test: no probes")
	}
	var worst Report
	for _, p := range probes {
		rep, err := run(newBackend, limit, p)
		if rep.Worst > worst.Worst {
			worst = Report{Worst: rep.Worst, What: p.Name + ": " + rep.What}
		}
		if err != nil {
			return worst, fmt.Errorf("self-test: %s: %w", p.Name, err)
		}
	}
	return worst, nil
}

func run(newBackend func() (exec.Backend, error), limit float64, p graph.Probe) (rep Report, err error) {
	c := &comparer{limit: limit}
	defer func() { rep = c.worst }()
	want, err := newSide(p, exec.CPUFactory())
	if err != nil {
		return rep, fmt.Errorf("reference: %w", err)
	}
	defer want.close(&err)
	got, err := newSide(p, exec.Factory(newBackend))
	if err != nil {
		return rep, err
	}
	defer got.close(&err)
	for s := 1; s <= Steps; s++ {
		if err := c.step(s, got, want); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// comparer checks values against limit and keeps the worst difference.
type comparer struct {
	limit float64
	worst Report
}

// side is a probe on one backend, with its optimizer.
type side struct {
	rr   graph.ResidentRunner
	fill func(*rand.Rand) error
	opt  *trainers.Adam
}

func newSide(p graph.Probe, f graph.RunnerFactory) (*side, error) {
	run, fill, err := p.Build(f)
	if err != nil {
		return nil, err
	}
	rr, ok := run.(graph.ResidentRunner)
	if !ok {
		_ = run.Close()
		return nil, fmt.Errorf("the probe runs on %T, which cannot hold its parameters", run)
	}
	return &side{rr: rr, fill: fill, opt: trainers.NewAdam(trainers.AdamConfig{LR: lr})}, nil
}

func (sd *side) close(err *error) {
	if e := sd.rr.Close(); *err == nil && e != nil {
		*err = e
	}
}

// inputs returns the generator of step s's inputs, the same on both sides.
func inputs(s int) *rand.Rand { return rand.New(rand.NewPCG(3, uint64(s))) }

// noise returns the generator of step s's noise, the same on both sides.
func noise(s int) *rand.Rand { return rand.New(rand.NewPCG(5, uint64(s))) }

// step compares one forward and backward pass on step s's inputs, then
// one Adam update applied by each backend.
func (c *comparer) step(s int, got, want *side) error {
	var losses [2]float64
	var grads [2][][]float32
	for k, sd := range []*side{got, want} {
		if err := sd.fill(inputs(s)); err != nil {
			return err
		}
		if err := sd.rr.Run(noise(s)); err != nil {
			return fmt.Errorf("step %d: %w", s, err)
		}
		var err error
		if losses[k], err = sd.rr.Loss(); err != nil {
			return err
		}
		if grads[k], err = sd.rr.Grads(); err != nil {
			return err
		}
	}
	if err := c.compare(s, "loss", []float32{float32(losses[0])}, []float32{float32(losses[1])}); err != nil {
		return err
	}
	params := want.rr.Params()
	for i, p := range params {
		if err := c.compare(s, "gradient of "+p.Name, grads[0][i], grads[1][i]); err != nil {
			return err
		}
	}
	var deltas [2][][]float32
	for k, sd := range []*side{got, want} {
		var err error
		if deltas[k], err = sd.update(s); err != nil {
			return err
		}
	}
	for i, p := range params {
		if err := c.compare(s, "update of "+p.Name, deltas[0][i], deltas[1][i]); err != nil {
			return err
		}
	}
	return nil
}

// update runs step s again with an Adam update applied on the backend and
// returns how much each parameter changed.
func (sd *side) update(s int) ([][]float32, error) {
	params := sd.rr.Params()
	before := make([][]float32, len(params))
	for i, p := range params {
		before[i] = append([]float32(nil), p.Data()...)
	}
	u, err := sd.opt.NextUpdate(params)
	if err != nil {
		return nil, err
	}
	applied, err := sd.rr.Step(noise(s), u)
	if err != nil {
		return nil, fmt.Errorf("step %d: update: %w", s, err)
	}
	if !applied {
		return nil, fmt.Errorf("step %d: the update was not applied: the backend found a non-finite value", s)
	}
	sd.opt.Advance()
	if err := sd.rr.Sync(); err != nil {
		return nil, fmt.Errorf("step %d: %w", s, err)
	}
	for i, p := range params {
		for j, v := range p.Data() {
			before[i][j] = v - before[i][j]
		}
	}
	return before, nil
}

// compare checks that got and want are finite and within Tolerance.
func (c *comparer) compare(s int, name string, got, want []float32) error {
	if len(got) != len(want) {
		return fmt.Errorf("step %d: %s has %d values, want %d", s, name, len(got), len(want))
	}
	var d2, w2 float64
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("step %d: %s[%d] is %v on the CPU reference", s, name, i, w)
		}
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return fmt.Errorf("step %d: %s[%d] is %v (CPU reference %v)", s, name, i, g, w)
		}
		d2 += (g - w) * (g - w)
		w2 += w * w
	}
	if d2 == 0 {
		return nil
	}
	e := math.Sqrt(d2 / w2)
	if e > c.worst.Worst || math.IsNaN(e) {
		c.worst = Report{Worst: e, What: fmt.Sprintf("step %d: %s", s, name)}
	}
	if !(e <= c.limit) {
		return fmt.Errorf("step %d: %s differs from the CPU reference by %.3g (relative 2-norm, tolerance %g)", s, name, e, c.limit)
	}
	return nil
}
