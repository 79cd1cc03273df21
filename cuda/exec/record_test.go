package exec

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
	"github.com/vigil-ml/vigil/trainers"
)

// recordingCPU records like a GPU: a recording runs nothing (the calls
// execute and their effects are undone), a replay runs the same calls.
type recordingCPU struct {
	*CPUBackend
	fail             error
	records, replays int
}

func (r *recordingCPU) Record(run func() error) (func() error, error) {
	if r.fail != nil {
		return nil, r.fail
	}
	saved := slices.Clone(r.Arena)
	err := run()
	copy(r.Arena, saved)
	if err != nil {
		return nil, err
	}
	r.records++
	return func() error { r.replays++; return run() }, nil
}

// TestRecordedSchedulesReplay trains the tiny model five resident Adam
// steps on a recording backend and on a plain one: the first run goes
// call by call, the second is recorded and replayed, the rest replay, and
// every loss and weight is bit-identical; a backend whose recording fails
// keeps running call by call with the same results and says why.
func TestRecordedSchedulesReplay(t *testing.T) {
	var told []error // what OnRecordErr was called with
	train := func(b Backend) ([]float64, []*graph.Param, *Runner) {
		m, err := convvae.New(tinyConfig(), rand.New(rand.NewPCG(1, 1)))
		must(t, err)
		tell := OnRecordErr(func(err error) { told = append(told, err) })
		net, err := m.BuildWith(graph.Train, 3, Factory(func() (Backend, error) { return b, nil }, tell))
		must(t, err)
		t.Cleanup(func() { net.Close() })
		r := net.Program.(*Runner)
		opt, rng := trainers.NewAdam(trainers.AdamConfig{LR: 1e-2}), rand.New(rand.NewPCG(7, 7))
		var losses []float64
		for step := range 5 {
			fillInput(t, net.X, rand.New(rand.NewPCG(uint64(step), 9)))
			u, err := opt.NextUpdate(r.Params())
			must(t, err)
			applied, err := r.Step(rng, u)
			must(t, err)
			if !applied {
				t.Fatalf("step %d not applied", step)
			}
			opt.Advance()
			l, err := r.Loss()
			must(t, err)
			losses = append(losses, l)
		}
		must(t, r.Sync())
		return losses, r.Params(), r
	}
	same := func(what string, la, lb []float64, pa, pb []*graph.Param) {
		t.Helper()
		if !slices.Equal(la, lb) {
			t.Fatalf("%s: losses %v and %v", what, la, lb)
		}
		for i := range pa {
			for j, v := range pa[i].Data() {
				if math.Float32bits(v) != math.Float32bits(pb[i].Data()[j]) {
					t.Fatalf("%s: %s[%d] = %v and %v", what, pa[i].Name, j, v, pb[i].Data()[j])
				}
			}
		}
	}
	lp, pp, _ := train(NewCPUBackend())
	rec := &recordingCPU{CPUBackend: NewCPUBackend()}
	lr, pr, r := train(rec)
	same("recorded", lp, lr, pp, pr)
	if rec.records != 1 || rec.replays != 4 || r.Executor().RecordErr != nil {
		t.Fatalf("%d recordings, %d replays, error %v; want 1, 4, nil", rec.records, rec.replays, r.Executor().RecordErr)
	}
	bad := &recordingCPU{CPUBackend: NewCPUBackend(), fail: errors.New("capture invalidated")}
	lb, pb, r := train(bad)
	same("failed recording", lp, lb, pp, pb)
	if bad.replays != 0 || r.Executor().RecordErr == nil {
		t.Fatalf("%d replays, error %v after a failed recording", bad.replays, r.Executor().RecordErr)
	}
	if len(told) != 1 || told[0] != r.Executor().RecordErr {
		t.Fatalf("OnRecordErr was called with %v, want once with %v", told, r.Executor().RecordErr)
	}
}
