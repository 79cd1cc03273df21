package exec

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/cuda/kernels"
	"github.com/vigil-ml/vigil/cuda/program"
	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Runner runs a compiled graph.Program through a lowered program on a
// Backend instead of gorgonia's tape machine (which it never runs). It
// satisfies graph.Runner: each Run fills the noise inputs from the run's
// RNG (dropout masks drawn by the backend unless HostNoise), uploads the
// parameters, inputs and noise from their nodes' values, executes the
// schedule and downloads the loss, the requested outputs (written back
// into those nodes' values, so graph.Float32s keeps working) and the
// parameter gradients. A resident Step downloads the loss alone (see
// ReadOutputs).
type Runner struct {
	p       *graph.Program
	e       *Executor
	loss    *G.Node
	outputs []*G.Node // loss first
	grads   [][]float32
	gradVal []int     // lowered value of each parameter's gradient, aligned with Params
	res     *resident // the device copies of the parameters, while held

	hostNoise bool       // draw dropout masks on the host too (see HostNoise)
	draws     []maskDraw // the masks the backend draws in this run
}

// maskDraw is a dropout mask the backend draws: noise node, key, mask.
type maskDraw struct {
	node *G.Node
	key  uint64
	mask graph.Mask
}

// Option configures a Runner.
type Option func(*Runner)

// HostNoise makes a runner fill every noise input on the host with the
// graph's own Fill, as the tape machine does (bit for bit the same noise),
// and upload it. By default dropout masks (graph.Noise with a Mask) are
// drawn by the backend from one key per mask and run, taken from the
// run's RNG: no mask crosses from the host, and the draws are as
// deterministic as the RNG, but not the tape machine's.
func HostNoise() Option { return func(r *Runner) { r.hostNoise = true } }

// OnRecordErr calls f once when the schedule could not be recorded (a GPU's
// CUDA graph capture failed) and the runner goes on launching call by call:
// slower, and worth a log line.
func OnRecordErr(f func(error)) Option { return func(r *Runner) { r.e.OnRecordErr = f } }

var _ graph.Runner = (*Runner)(nil)

// NewRunner lowers p's graph with the loss and outputs as outputs (and the
// gradient of every parameter when p has them) and compiles it for b. The
// Runner owns b: Close releases it when it has a Close method, and p.
func NewRunner(p *graph.Program, b Backend, outputs ...*G.Node) (*Runner, error) {
	loss := p.LossNode()
	outs := []*G.Node{loss}
	for _, n := range outputs {
		if n != nil && n != loss {
			outs = append(outs, n)
		}
	}
	lp, err := program.Lower(p.Graph(), outs...)
	if err != nil {
		return nil, err
	}
	e, err := New(lp, b)
	if err != nil {
		return nil, err
	}
	r := &Runner{p: p, e: e, loss: loss, outputs: outs}
	if p.HasGrads() {
		for _, n := range p.ParamNodes() {
			i := -1
			for _, g := range lp.Grads {
				if g.Param == n {
					i = g.Value
				}
			}
			if i < 0 {
				return nil, fmt.Errorf("exec: runner: parameter %q has no gradient", n.Name())
			}
			r.gradVal = append(r.gradVal, i)
			r.grads = append(r.grads, make([]float32, lp.Values[i].Size))
		}
	}
	return r, nil
}

// Factory returns a graph.RunnerFactory running every program on its own
// backend from newBackend (one arena per program: programs on one backend
// would overwrite each other's).
func Factory(newBackend func() (Backend, error), opts ...Option) graph.RunnerFactory {
	return func(p *graph.Program, outputs ...*G.Node) (graph.Runner, error) {
		b, err := newBackend()
		if err != nil {
			return nil, err
		}
		r, err := NewRunner(p, b, outputs...)
		if err != nil {
			if c, ok := b.(io.Closer); ok {
				_ = c.Close()
			}
			return nil, err
		}
		for _, o := range opts {
			o(r)
		}
		return r, nil
	}
}

// CPUFactory runs every program on a fresh CPUBackend.
func CPUFactory(opts ...Option) graph.RunnerFactory {
	return Factory(func() (Backend, error) { return NewCPUBackend(), nil }, opts...)
}

// Run fills the noise inputs from rng, uploads the arguments (not the
// parameters while the runner holds them, see Step), executes the
// schedule and downloads the results.
func (r *Runner) Run(rng *rand.Rand) error {
	if err := r.fillNoise(rng); err != nil {
		return err
	}
	return bound(r.e.B, func() error {
		if err := r.bind(); err != nil {
			return err
		}
		if err := r.e.Run(); err != nil {
			return err
		}
		if err := r.ReadOutputs(); err != nil {
			return err
		}
		return r.downloadGrads()
	})
}

// ReadOutputs downloads the loss and the requested outputs of the last run
// or step into their nodes' values. Run does it itself; Step reads the
// loss alone, so call it after a Step whose outputs are wanted.
func (r *Runner) ReadOutputs() error {
	return bound(r.e.B, func() error {
		for _, n := range r.outputs {
			if err := r.readBack(n); err != nil {
				return err
			}
		}
		return nil
	})
}

// fillNoise refills every noise input from rng, in creation order: a mask
// the backend draws takes one key from rng, any other noise is filled on
// the host.
func (r *Runner) fillNoise(rng *rand.Rand) error {
	r.draws = r.draws[:0]
	for _, nz := range r.p.Noise() {
		if rng == nil {
			return fmt.Errorf("exec: run: noise input %q needs an RNG", nz.Node.Name())
		}
		if nz.Mask != nil && !r.hostNoise {
			r.draws = append(r.draws, maskDraw{node: nz.Node, key: rng.Uint64(), mask: *nz.Mask})
			continue
		}
		data, err := graph.Float32s(nz.Node)
		if err != nil {
			return err
		}
		nz.Fill(rng, data)
	}
	return nil
}

// bind uploads every argument except the parameters while the runner
// holds them and the masks the backend draws, then queues those draws.
func (r *Runner) bind() error {
	skip := make(map[*G.Node]bool, len(r.draws)+len(r.p.ParamNodes()))
	for _, d := range r.draws {
		skip[d.node] = true
	}
	if r.res != nil {
		for _, n := range r.p.ParamNodes() {
			skip[n] = true
		}
	}
	for _, v := range r.e.S.P.Values {
		if v.Role != program.Arg || v.Dead || skip[v.Node] {
			continue
		}
		d, err := program.ArgData(v)
		if err != nil {
			return fmt.Errorf("exec: bind %w", err)
		}
		if err := r.e.BindData(v.Node, d); err != nil {
			return err
		}
	}
	for _, d := range r.draws {
		i, ok := r.e.S.P.ValueOf(d.node)
		if !ok || r.e.S.P.Values[i].Dead {
			continue
		}
		b := r.e.buf(i)
		if err := r.e.B.BernoulliMask(b, b.Len, d.key, kernels.MaskThreshold(d.mask.Keep), d.mask.Scale); err != nil {
			return fmt.Errorf("exec: draw %q: %w", d.node.Name(), err)
		}
	}
	return nil
}

// downloadGrads downloads every parameter gradient and waits.
func (r *Runner) downloadGrads() error {
	for i, v := range r.gradVal {
		if err := r.e.B.Download(r.grads[i], r.e.buf(v)); err != nil {
			return fmt.Errorf("exec: gradient of %q: %w", r.p.Params()[i].Name, err)
		}
	}
	return r.e.B.Synchronize()
}

// readBack downloads n's value into the node's own value, creating it on
// the first run (the tape machine never ran, so op nodes have none).
func (r *Runner) readBack(n *G.Node) error {
	i, err := r.e.value(n)
	if err != nil {
		return err
	}
	if r.e.S.P.Values[i].DType != program.Float32 {
		return fmt.Errorf("exec: read %q: an output of %v", n.Name(), r.e.S.P.Values[i].DType)
	}
	if n.IsScalar() {
		var d [1]float32
		if err := r.e.B.Download(d[:], r.e.buf(i)); err != nil {
			return fmt.Errorf("exec: read %q: %w", n.Name(), err)
		}
		return G.UnsafeLet(n, G.NewF32(d[0]))
	}
	dense, ok := n.Value().(*tensor.Dense)
	if !ok || dense.Dtype() != tensor.Float32 || !dense.Shape().Eq(n.Shape()) {
		dense = tensor.New(tensor.WithShape(n.Shape().Clone()...), tensor.Of(tensor.Float32))
		if err := G.UnsafeLet(n, dense); err != nil {
			return fmt.Errorf("exec: output %q: %w", n.Name(), err)
		}
	}
	if err := r.e.B.Download(dense.Data().([]float32), r.e.buf(i)); err != nil {
		return fmt.Errorf("exec: read %q: %w", n.Name(), err)
	}
	return nil
}

// Loss returns the loss value of the last run.
func (r *Runner) Loss() (float64, error) {
	d, err := graph.Float32s(r.loss)
	if err != nil {
		return 0, err
	}
	if len(d) != 1 {
		return 0, fmt.Errorf("exec: loss %q holds %d values", r.loss.Name(), len(d))
	}
	return float64(d[0]), nil
}

// Grads returns the gradients of the last run, aligned with Params. The
// slices are reused by the next Run.
func (r *Runner) Grads() ([][]float32, error) {
	if !r.p.HasGrads() {
		return nil, errors.New("exec: program was compiled without gradients")
	}
	return r.grads, nil
}

// Params returns the program's parameters.
func (r *Runner) Params() []*graph.Param { return r.p.Params() }

// Graph returns the program's gorgonia graph.
func (r *Runner) Graph() *G.ExprGraph { return r.p.Graph() }

// Program returns the compiled program the runner runs.
func (r *Runner) Program() *graph.Program { return r.p }

// Executor returns the executor running the lowered program.
func (r *Runner) Executor() *Executor { return r.e }

// Close releases the backend (when it has a Close method) and the program.
func (r *Runner) Close() error {
	var err error
	if c, ok := r.e.B.(io.Closer); ok {
		err = c.Close()
	}
	if e := r.p.Close(); err == nil {
		err = e
	}
	return err
}
