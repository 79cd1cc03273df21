package vaegan

import (
	"fmt"

	"github.com/vigil-ml/vigil/graph"
	G "gorgonia.org/gorgonia"
)

// genNet is the encoder/decoder update: reconstruction MSE + kl_weight·KL
// + adversarial_weight·BCE(D(x̂), real), differentiated with respect to
// the encoder's and decoder's parameters only.
type genNet struct {
	in     *windows
	Runner graph.Runner
	recon  *G.Node // x̂ [T, B, E], which the discriminator's update reads
}

func (m *Model) buildGen(batch int, factory graph.RunnerFactory) (*genNet, error) {
	c := m.Config
	b := graph.NewBuilder(m.Reg, graph.Train)
	n := &genNet{in: newWindows(b, batch, c.Steps, c.Embedding, c.PerCall)}
	mu, logVar, err := m.encode(b, n.in.x)
	if err != nil {
		return nil, err
	}
	eps := b.NoiseInput("eps", []int{batch, c.Latent}, normalFill)
	z, err := reparameterize(mu, logVar, eps)
	if err != nil {
		return nil, err
	}
	if n.recon, err = m.decode(b, z); err != nil {
		return nil, err
	}
	mse, err := maskedMSE(n.recon, n.in.x, n.in.mask)
	if err != nil {
		return nil, err
	}
	k, err := kl(mu, logVar, n.in.rowW)
	if err != nil {
		return nil, err
	}
	fake, err := m.logit(b, n.recon)
	if err != nil {
		return nil, err
	}
	adv, err := bce(b, fake, n.in.judged(), 1)
	if err != nil {
		return nil, err
	}
	loss, err := weighted(mse, k, c.KLWeight, adv, c.AdversarialWeight)
	if err != nil {
		return nil, err
	}
	prog, err := graph.CompileWRT(b, loss, m.GenParams())
	if err != nil {
		return nil, err
	}
	n.Runner, err = run(prog, factory, n.recon)
	return n, err
}

// discNet is the discriminator's update: BCE(D(x), real) + BCE(D(x̂),
// fake) + BCE(D(G(z)), fake) with x̂ the reconstruction of the step's
// first update (an input: no gradient reaches the generator) and z drawn
// from the prior, differentiated with respect to the discriminator only;
// with Config.Corruption, + BCE(D(x̃), fake) for x̃ the corrupted windows.
type discNet struct {
	in      *windows
	recon   *G.Node // x̂ input [T, B, E]
	corrupt *G.Node // x̃ input [T, B, E], nil without corruption
	// corruptTarget [T·B, 1], when judged per call: 1 at the calls before
	// a window's first replaced call (what the discriminator has seen there
	// is real), 0 from it on.
	corruptTarget *G.Node
	corruptBuf    []float32
	targetBuf     []float32
	Runner        graph.Runner
}

func (m *Model) buildDisc(batch int, factory graph.RunnerFactory) (*discNet, error) {
	c := m.Config
	b := graph.NewBuilder(m.Reg, graph.Train)
	n := &discNet{in: newWindows(b, batch, c.Steps, c.Embedding, c.PerCall)}
	n.recon = b.Input("reconstruction", c.Steps, batch, c.Embedding)
	z := b.NoiseInput("z_prior", []int{batch, c.Latent}, normalFill)
	gen, err := m.decode(b, z)
	if err != nil {
		return nil, err
	}
	var terms []*G.Node
	for _, x := range []struct {
		n      *G.Node
		target float32
	}{{n.in.x, 1}, {n.recon, 0}, {gen, 0}} {
		l, err := m.logit(b, x.n)
		if err != nil {
			return nil, err
		}
		t, err := bce(b, l, n.in.judged(), x.target)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if c.Corruption > 0 {
		n.corrupt = b.Input("corrupted", c.Steps, batch, c.Embedding)
		n.corruptBuf = make([]float32, c.Steps*batch*c.Embedding)
		l, err := m.logit(b, n.corrupt)
		if err != nil {
			return nil, err
		}
		var t *G.Node
		if c.PerCall {
			n.corruptTarget = b.Input("corrupted_target", c.Steps*batch, 1)
			n.targetBuf = make([]float32, c.Steps*batch)
			t, err = bceTo(l, n.corruptTarget, n.in.judged())
		} else {
			t, err = bce(b, l, n.in.judged(), 0)
		}
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	loss := terms[0]
	for _, t := range terms[1:] {
		if loss, err = G.Add(loss, t); err != nil {
			return nil, fmt.Errorf("vaegan: %w", err)
		}
	}
	prog, err := graph.CompileWRT(b, loss, m.DiscParams())
	if err != nil {
		return nil, err
	}
	n.Runner, err = run(prog, factory)
	return n, err
}

// evalNet scores windows: z = μ (no sampling), the reconstruction and the
// discriminator's logits of the window, both outputs.
type evalNet struct {
	in     *windows
	recon  *G.Node // [T, B, E]
	logit  *G.Node // [B, 1], or [T·B, 1] when judged per call
	Runner graph.Runner
}

func (m *Model) buildEval(batch int, factory graph.RunnerFactory) (*evalNet, error) {
	c := m.Config
	b := graph.NewBuilder(m.Reg, graph.Eval)
	n := &evalNet{in: newWindows(b, batch, c.Steps, c.Embedding, c.PerCall)}
	mu, _, err := m.encode(b, n.in.x)
	if err != nil {
		return nil, err
	}
	if n.recon, err = m.decode(b, mu); err != nil {
		return nil, err
	}
	if n.logit, err = m.logit(b, n.in.x); err != nil {
		return nil, err
	}
	// The outputs are read on the host, which computes the errors: an
	// in-graph error would let gorgonia's tape machine subtract in place
	// in x̂'s memory (its only reader). The program's loss is a stand-in.
	sum, err := G.Sum(n.logit)
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	prog, err := graph.Compile(b, sum, false)
	if err != nil {
		return nil, err
	}
	n.Runner, err = run(prog, factory, n.recon, n.logit)
	return n, err
}

// reparameterize is μ + exp(½ log σ²)·ε.
func reparameterize(mu, logVar, eps *G.Node) (*G.Node, error) {
	h, err := G.Mul(logVar, G.NewConstant(float32(0.5)))
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	if h, err = G.Exp(h); err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	if h, err = G.HadamardProd(h, eps); err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	return G.Add(mu, h)
}

// weighted is a + wb·b + wc·c.
func weighted(a, b *G.Node, wb float64, c *G.Node, wc float64) (*G.Node, error) {
	sb, err := G.Mul(b, G.NewConstant(float32(wb)))
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	sc, err := G.Mul(c, G.NewConstant(float32(wc)))
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	s, err := G.Add(a, sb)
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	return G.Add(s, sc)
}

// run is the program itself, or factory's runner with the given outputs.
func run(prog *graph.Program, factory graph.RunnerFactory, outputs ...*G.Node) (graph.Runner, error) {
	if factory == nil {
		return prog, nil
	}
	r, err := factory(prog, outputs...)
	if err != nil {
		_ = prog.Close()
	}
	return r, err
}
