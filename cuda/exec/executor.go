package exec

import (
	"fmt"

	"github.com/vigil-ml/vigil/cuda/program"
	G "gorgonia.org/gorgonia"
)

// Executor runs a program's schedule on a backend: New compiles it,
// reserves the arena and uploads the constants; Bind uploads the
// arguments; Run executes one step of the schedule; Read and Grad
// download results.
type Executor struct {
	S *Schedule
	B Backend
	// Eager turns off recording the schedule on a Recorder backend.
	Eager bool
	// RecordErr says why a Recorder backend runs the schedule eagerly:
	// its recording failed (nil while recording works or was not tried).
	RecordErr error
	// OnRecordErr, when set, is called with RecordErr when it is set.
	OnRecordErr func(error)

	extra  int          // values reserved after the schedule's arena (see Extra)
	runs   int          // schedule runs queued since the arena was laid out
	replay func() error // the recorded schedule
}

// Recorder is a Backend that can record the calls a function queues,
// without running them, and replay them with one call: a GPU's CUDA
// graphs. A replay uses the arena as it is then (new arguments are
// uploaded into the same buffers first). Recordings become invalid when
// Reserve grows the arena.
type Recorder interface {
	Record(run func() error) (replay func() error, err error)
}

// New compiles p (default Config) for b and uploads its constants.
func New(p *program.Program, b Backend) (*Executor, error) {
	return NewWith(p, b, Config{})
}

// NewWith is New with a Config.
func NewWith(p *program.Program, b Backend, cfg Config) (*Executor, error) {
	s, err := Compile(p, cfg)
	if err != nil {
		return nil, err
	}
	if err := b.Reserve(s.ArenaSize); err != nil {
		return nil, fmt.Errorf("exec: reserve %d floats: %w", s.ArenaSize, err)
	}
	e := &Executor{S: s, B: b}
	if err := e.uploadConsts(); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *Executor) uploadConsts() error {
	for i, v := range e.S.P.Values {
		if v.Role == program.Const && !v.Dead {
			if err := e.B.Upload(e.buf(i), v.Data); err != nil {
				return fmt.Errorf("exec: constant %q: %w", v.Node.Name(), err)
			}
		}
	}
	return nil
}

// Extra returns n values of the arena after the schedule's own, for state
// the schedule does not touch (optimizer moments, flags). Growing the
// arena may lose its content: the constants are uploaded again, the
// arguments must be bound again, and earlier Extra buffers are lost.
func (e *Executor) Extra(n int) (Buf, error) {
	if n > e.extra {
		if err := e.B.Reserve(e.S.ArenaSize + n); err != nil {
			return Buf{}, fmt.Errorf("exec: reserve %d more floats: %w", n, err)
		}
		if err := e.uploadConsts(); err != nil {
			return Buf{}, err
		}
		e.extra, e.runs, e.replay = n, 0, nil
	}
	return Buf{Off: e.S.ArenaSize, Len: n}, nil
}

func (e *Executor) buf(i int) Buf {
	v := e.S.P.Values[i]
	return Buf{Off: v.Offset, Len: v.Size}
}

// value returns the index of n's live value.
func (e *Executor) value(n *G.Node) (int, error) {
	i, ok := e.S.P.ValueOf(n)
	if !ok || e.S.P.Values[i].Dead {
		return 0, fmt.Errorf("exec: node %q has no live value", n.Name())
	}
	return i, nil
}

// Bind uploads every argument from its node's current value (parameters,
// inputs and noise; int32 inputs bitwise).
func (e *Executor) Bind() error {
	for _, v := range e.S.P.Values {
		if v.Role != program.Arg || v.Dead {
			continue
		}
		d, err := program.ArgData(v)
		if err != nil {
			return fmt.Errorf("exec: bind %w", err)
		}
		if err := e.BindData(v.Node, d); err != nil {
			return err
		}
	}
	return nil
}

// BindData uploads d as argument n's value (int32 values bitwise, see
// program.Int32Bits).
func (e *Executor) BindData(n *G.Node, d []float32) error {
	i, err := e.value(n)
	if err != nil {
		return err
	}
	if e.S.P.Values[i].Role != program.Arg {
		return fmt.Errorf("exec: bind %q: not an argument", n.Name())
	}
	if err := e.B.Upload(e.buf(i), d); err != nil {
		return fmt.Errorf("exec: bind %q: %w", n.Name(), err)
	}
	return nil
}

// Run executes the schedule once and waits for it.
func (e *Executor) Run() error {
	return bound(e.B, func() error {
		if err := e.queue(); err != nil {
			return err
		}
		return e.B.Synchronize()
	})
}

// queue queues one run of the schedule. On a Recorder backend the first
// run is queued call by call (it performs lazy set-up such as kernel
// lookups and library workspaces, which a recording must not), the
// second is recorded and replayed, later ones replay the recording; when
// recording fails the schedule keeps running call by call and RecordErr
// says why.
func (e *Executor) queue() error {
	rec, ok := e.B.(Recorder)
	if !ok || e.Eager || e.RecordErr != nil {
		return e.S.Run(e.B)
	}
	e.runs++
	if e.replay == nil {
		if e.runs == 1 {
			return e.S.Run(e.B)
		}
		replay, err := rec.Record(func() error { return e.S.Run(e.B) })
		if err != nil {
			e.RecordErr = err
			if e.OnRecordErr != nil {
				e.OnRecordErr(err)
			}
			return e.S.Run(e.B)
		}
		e.replay = replay
	}
	return e.replay()
}

// Read downloads n's value (int32 values bitwise, see program.Int32sOf).
func (e *Executor) Read(n *G.Node) ([]float32, error) {
	i, err := e.value(n)
	if err != nil {
		return nil, err
	}
	d := make([]float32, e.S.P.Values[i].Size)
	if err := e.B.Download(d, e.buf(i)); err != nil {
		return nil, fmt.Errorf("exec: read %q: %w", n.Name(), err)
	}
	return d, nil
}

// Grad downloads the gradient of param.
func (e *Executor) Grad(param *G.Node) ([]float32, error) {
	for _, g := range e.S.P.Grads {
		if g.Param == param {
			d := make([]float32, e.S.P.Values[g.Value].Size)
			if err := e.B.Download(d, e.buf(g.Value)); err != nil {
				return nil, fmt.Errorf("exec: gradient of %q: %w", param.Name(), err)
			}
			return d, nil
		}
	}
	return nil, fmt.Errorf("exec: parameter %q has no gradient", param.Name())
}
