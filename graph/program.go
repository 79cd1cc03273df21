package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"

	G "gorgonia.org/gorgonia"
)

// Executor runs a compiled graph once per call. The CPU executor is gorgonia's
// tape machine; the CUDA build supplies a device program.
type Executor interface {
	RunAll() error
	Reset()
	Close() error
}

// Runner is what a model needs of a compiled graph: run it, then read the
// loss and, for training graphs, the gradient of every parameter. *Program
// runs it on gorgonia's tape machine; cuda/exec runs a lowered copy of the
// same graph on one of its backends.
type Runner interface {
	// Run refills the noise inputs from rng (nil when the graph has none)
	// and executes the graph once.
	Run(rng *rand.Rand) error
	// Loss returns the loss value of the last run.
	Loss() (float64, error)
	// Grads returns the gradient data of every parameter after the last
	// run, aligned with Params; read them before the next Run.
	Grads() ([][]float32, error)
	// Params returns the parameters the graph reads.
	Params() []*Param
	// Graph returns the underlying gorgonia graph.
	Graph() *G.ExprGraph
	// Close releases the executor.
	Close() error
}

// RunnerFactory runs a compiled program some other way than its tape
// machine; outputs are nodes (besides the loss) whose values the caller
// reads after each Run with Float32s. A nil RunnerFactory means the
// program itself.
type RunnerFactory func(p *Program, outputs ...*G.Node) (Runner, error)

var _ Runner = (*Program)(nil)

// Program is a compiled graph: run it, then read the loss, outputs and, for
// programs compiled with gradients, the gradient of every used parameter.
type Program struct {
	b          *Builder
	loss       *G.Node
	params     []*Param
	paramNodes []*G.Node
	grads      []*G.Node
	inputGrads []*G.Node
	exec       Executor
}

// Compile builds a program over b's graph. With withGrad the gradient of loss
// (a scalar node) with respect to every parameter used by the graph is added;
// gorgonia allows this once per graph, so build one Builder per program.
func Compile(b *Builder, loss *G.Node, withGrad bool) (*Program, error) {
	return compile(b, loss, withGrad, b.Used())
}

// CompileWRT is Compile with gradients with respect to the parameters wrt
// only (each used by the graph): the other parameters are read but not
// differentiated, as one update of adversarial training needs (a
// generator's loss reads the discriminator's weights without changing
// them). Params and Grads then cover wrt alone.
func CompileWRT(b *Builder, loss *G.Node, wrt []*Param) (*Program, error) {
	for _, prm := range wrt {
		if _, err := b.ParamNode(prm); err != nil {
			return nil, fmt.Errorf("graph: compile: %w", err)
		}
	}
	return compile(b, loss, true, wrt)
}

func compile(b *Builder, loss *G.Node, withGrad bool, params []*Param) (*Program, error) {
	if loss == nil {
		return nil, fmt.Errorf("graph: compile: nil loss node")
	}
	p := &Program{b: b, loss: loss, params: params}
	for _, prm := range p.params {
		p.paramNodes = append(p.paramNodes, b.nodes[prm])
	}
	var opts []G.VMOpt
	if withGrad {
		if !loss.IsScalar() {
			return nil, fmt.Errorf("graph: compile: loss %q has shape %v, want a scalar", loss.Name(), loss.Shape())
		}
		wrt := append(slices.Clone(p.paramNodes), b.diff...)
		grads, err := G.Grad(loss, wrt...)
		if err != nil {
			return nil, fmt.Errorf("graph: compile: gradients: %w", err)
		}
		p.grads, p.inputGrads = grads[:len(p.paramNodes)], grads[len(p.paramNodes):]
		opts = append(opts, G.BindDualValues(p.paramNodes...))
	}
	p.exec = G.NewTapeMachine(b.G, opts...)
	return p, nil
}

// Run refills the noise inputs from rng (which may be nil when the graph has
// none) and executes the graph once.
func (p *Program) Run(rng *rand.Rand) error {
	for _, nz := range p.b.noise {
		data, err := Float32s(nz.Node)
		if err != nil {
			return err
		}
		if rng == nil {
			return fmt.Errorf("graph: run: noise input %q needs an RNG", nz.Node.Name())
		}
		nz.Fill(rng, data)
	}
	if err := p.zeroGrads(); err != nil {
		return err
	}
	defer p.exec.Reset()
	if err := p.exec.RunAll(); err != nil {
		return fmt.Errorf("graph: run: %w", err)
	}
	return nil
}

// zeroGrads clears the parameters' gradient buffers: gorgonia's tape machine
// adds each run's gradient onto the buffer bound by BindDualValues.
func (p *Program) zeroGrads() error {
	if p.grads == nil {
		return nil
	}
	for _, n := range p.paramNodes {
		g, err := n.Grad()
		if err != nil || g == nil {
			continue // not yet bound: the first run allocates it zeroed
		}
		d, ok := g.Data().([]float32)
		if !ok {
			return fmt.Errorf("graph: gradient of %q holds %T", n.Name(), g.Data())
		}
		clear(d)
	}
	return nil
}

// Loss returns the loss value of the last run.
func (p *Program) Loss() (float64, error) {
	d, err := Float32s(p.loss)
	if err != nil {
		return 0, err
	}
	if len(d) != 1 {
		return 0, fmt.Errorf("graph: loss %q holds %d values", p.loss.Name(), len(d))
	}
	return float64(d[0]), nil
}

// Params returns the parameters this program reads, aligned with Grads.
func (p *Program) Params() []*Param { return p.params }

// Grads returns the gradient data of every parameter after the last run,
// aligned with Params. The slices alias the executor's buffers: read them
// before the next Run.
func (p *Program) Grads() ([][]float32, error) {
	if p.grads == nil {
		return nil, fmt.Errorf("graph: program was compiled without gradients")
	}
	out := make([][]float32, len(p.paramNodes))
	for i, n := range p.paramNodes {
		g, err := n.Grad()
		if err != nil {
			return nil, fmt.Errorf("graph: gradient of %q: %w", n.Name(), err)
		}
		d, ok := g.Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("graph: gradient of %q holds %T", n.Name(), g.Data())
		}
		out[i] = d
	}
	return out, nil
}

// InputGrads returns the nodes holding the gradient of every DiffInput of
// the builder, in creation order (nil without gradients). A runner that is
// not the program itself computes them when they are among its outputs.
func (p *Program) InputGrads() []*G.Node { return p.inputGrads }

// Graph returns the underlying gorgonia graph (for lowering and summaries).
func (p *Program) Graph() *G.ExprGraph { return p.b.G }

// LossNode returns the loss node the program was compiled for.
func (p *Program) LossNode() *G.Node { return p.loss }

// ParamNodes returns the node of every parameter in this graph, aligned
// with Params.
func (p *Program) ParamNodes() []*G.Node { return p.paramNodes }

// HasGrads reports whether the program was compiled with gradients.
func (p *Program) HasGrads() bool { return p.grads != nil }

// Noise returns the noise inputs that Run refills, in the order it fills
// them.
func (p *Program) Noise() []Noise { return p.b.noise }

// Close releases the executor.
func (p *Program) Close() error { return p.exec.Close() }

// Probe is a tiny training graph that checks a backend numerically
// (cuda/selftest): built on a runner factory, it is run with the inputs
// Fill draws and its loss, gradients and updates are compared across
// backends.
type Probe struct {
	Name string
	// Build compiles the probe's train graph on factory and returns its
	// runner, a function filling its inputs from rng, and a closer.
	Build func(factory RunnerFactory) (run Runner, fill func(rng *rand.Rand) error, err error)
}
