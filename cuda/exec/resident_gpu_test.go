//go:build gpu

package exec

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/vigil-ml/vigil/cuda/device"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
	"github.com/vigil-ml/vigil/trainers"
)

// TestGPUResidentAdamMatchesCPU runs eight Adam steps with parameters and
// moments held by the GPU and by the CPU backend from the same start (the
// GPU replays its schedule as a CUDA graph from the second step on):
// losses, parameters and moments agree within 1e-3 relative (the
// backends sum in different orders; the update itself is the same
// float64 arithmetic on both).
func TestGPUResidentAdamMatchesCPU(t *testing.T) {
	gpu := newGPU(t)
	type side struct {
		net *convvae.Net
		r   *Runner
		opt *trainers.Adam
		rng *rand.Rand
	}
	build := func(b Backend) side {
		m, err := convvae.New(tinyConfig(), rand.New(rand.NewPCG(1, 1)))
		must(t, err)
		f := Factory(func() (Backend, error) { return b, nil })
		net, err := m.BuildWith(graph.Train, 4, f)
		must(t, err)
		t.Cleanup(func() { net.Close() })
		return side{net, net.Program.(*Runner), trainers.NewAdam(trainers.AdamConfig{LR: 1e-2}), rand.New(rand.NewPCG(7, 7))}
	}
	// The test closes the GPU backend; the runner must not.
	sides := [2]side{build(unowned{gpu}), build(NewCPUBackend())}
	for step := 1; step <= 8; step++ {
		var loss [2]float64
		for k := range sides {
			fillInput(t, sides[k].net.X, rand.New(rand.NewPCG(uint64(step), 9)))
			s := sides[k]
			u, err := s.opt.NextUpdate(s.r.Params())
			must(t, err)
			applied, err := s.r.Step(s.rng, u)
			must(t, err)
			if !applied {
				t.Fatalf("step %d: not applied", step)
			}
			s.opt.Advance()
			loss[k], err = s.r.Loss()
			must(t, err)
		}
		if err := closeTo("loss", []float32{float32(loss[0])}, []float32{float32(loss[1])}, 1e-3); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
	}
	if err := sides[0].r.Executor().RecordErr; err != nil {
		t.Errorf("the schedule could not be recorded as a CUDA graph: %v", err)
	}
	// The outputs of the last step, read on request.
	for k := range sides {
		must(t, sides[k].r.ReadOutputs())
	}
	rg, err := graph.Float32s(sides[0].net.Output)
	must(t, err)
	rc, err := graph.Float32s(sides[1].net.Output)
	must(t, err)
	if err := closeTo("output after ReadOutputs", rg, rc, 1e-3); err != nil {
		t.Error(err)
	}
	for k := range sides {
		must(t, sides[k].r.Sync())
	}
	pg, pc := sides[0].r.Params(), sides[1].r.Params()
	for i := range pg {
		if err := closeTo(pg[i].Name, pg[i].Data(), pc[i].Data(), 1e-3); err != nil {
			t.Error(err)
		}
	}
	sg, sc := sides[0].opt.State(), sides[1].opt.State()
	for i := range sg.Tensors {
		if err := closeTo(sg.Tensors[i].Name, sg.Tensors[i].Data, sc.Tensors[i].Data, 1e-3); err != nil {
			t.Error(err)
		}
	}
}

// unowned is a GPU backend that its runner does not close (Close is a
// no-op); it still records graphs and binds as the GPU backend does.
type unowned struct{ *GPUBackend }

func (unowned) Close() error { return nil }

// TestGPUWorkersShareDevice trains the tiny model on several goroutines at
// once, each on its own GPU backend, as experiments' training workers do:
// each worker opens a backend (stream, cuBLAS handle and workspace, arena,
// pinned staging), trains a few resident Adam steps (recorded as a CUDA
// graph from the second on) and closes it, three times, while the others
// capture. Every recording succeeds (no allocation or free of another
// worker invalidated it) and every worker computes the same losses.
func TestGPUWorkersShareDevice(t *testing.T) {
	d := device.OpenForTest(t)
	const workers, rounds, steps = 4, 3, 4
	losses := make([][]float64, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				l, err := trainWorker(d, steps)
				if err != nil {
					errs[w] = err
					return
				}
				losses[w] = l
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for w := 1; w < workers; w++ {
		for s := range losses[w] {
			a, b := float32(losses[w][s]), float32(losses[0][s])
			if err := closeTo(fmt.Sprintf("worker %d loss %d", w, s), []float32{a}, []float32{b}, 1e-5); err != nil {
				t.Error(err)
			}
		}
	}
}

// trainWorker trains the tiny model steps resident Adam steps on a new GPU
// backend of d and closes it.
func trainWorker(d *device.Device, steps int) (losses []float64, err error) {
	m, err := convvae.New(tinyConfig(), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		return nil, err
	}
	net, err := m.BuildWith(graph.Train, 4, Factory(func() (Backend, error) { return NewGPUBackend(d) }))
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, net.Close()) }()
	r := net.Program.(*Runner)
	opt, rng := trainers.NewAdam(trainers.AdamConfig{LR: 1e-2}), rand.New(rand.NewPCG(7, 7))
	for s := range steps {
		x := make([]float32, net.X.Shape().TotalSize())
		xr := rand.New(rand.NewPCG(uint64(s), 9))
		for i := range x {
			x[i] = xr.Float32()
		}
		if err := graph.SetInput(net.X, x); err != nil {
			return nil, err
		}
		u, err := opt.NextUpdate(r.Params())
		if err != nil {
			return nil, err
		}
		applied, err := r.Step(rng, u)
		if err != nil {
			return nil, err
		}
		if !applied {
			return nil, fmt.Errorf("step %d not applied", s)
		}
		opt.Advance()
		l, err := r.Loss()
		if err != nil {
			return nil, err
		}
		losses = append(losses, l)
	}
	if err := r.Executor().RecordErr; err != nil {
		return nil, fmt.Errorf("recording failed while other workers shared the GPU: %w", err)
	}
	return losses, r.Sync()
}
