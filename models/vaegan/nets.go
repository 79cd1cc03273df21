package vaegan

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	"github.com/vigil-ml/vigil/models"
	G "gorgonia.org/gorgonia"
)

// windows are a graph's inputs for B windows of T calls: the embedded
// calls, a mask that averages the squared error over the real (not
// padded) calls, row weights that average over the real windows and,
// for a discriminator that judges every call, weights that average over
// the real calls.
type windows struct {
	B, T, E int
	x       *G.Node // [T, B, E]
	mask    *G.Node // [T, B, E]: 1/(real calls · E) at real calls, else 0
	rowW    *G.Node // [B]: 1/k for the k real windows, else 0
	callW   *G.Node // [T·B]: 1/(real calls) at real calls, else 0; nil unless judged per call
	xBuf    []float32
	maskBuf []float32
	rowBuf  []float32
	callBuf []float32
	real    []int // real calls per window of the batch
}

func newWindows(b *graph.Builder, batch, steps, dim int, perCall bool) *windows {
	w := &windows{B: batch, T: steps, E: dim}
	w.x = b.Input("calls", steps, batch, dim)
	w.mask = b.Input("call_mask", steps, batch, dim)
	w.rowW = b.Input("window_weights", batch)
	w.xBuf, w.maskBuf = make([]float32, steps*batch*dim), make([]float32, steps*batch*dim)
	w.rowBuf, w.real = make([]float32, batch), make([]int, batch)
	if perCall {
		w.callW = b.Input("call_weights", steps*batch)
		w.callBuf = make([]float32, steps*batch)
	}
	return w
}

// judged are the weights of the discriminator's judgements: per call, or
// per window.
func (w *windows) judged() *G.Node {
	if w.callW != nil {
		return w.callW
	}
	return w.rowW
}

// fill embeds windows idx of ex: the last T of their T+1 ids, the calls a
// next-call model scores at the same positions (padding ids give zero
// vectors and are masked out).
func (w *windows) fill(m *Model, ex models.Examples, idx []int) error {
	k := len(idx)
	if k < 1 || k > w.B {
		return fmt.Errorf("vaegan: %d windows for a batch of %d", k, w.B)
	}
	if ex.IntSize() != w.T+1 {
		return fmt.Errorf("vaegan: windows of %d ids, the model takes %d", ex.IntSize(), w.T+1)
	}
	clear(w.xBuf)
	clear(w.maskBuf)
	clear(w.rowBuf)
	clear(w.real)
	emb, E := m.Embed.Data(), w.E
	total := 0
	for i, e := range idx {
		ids := ex.IntAt(e)
		for t := 0; t < w.T; t++ {
			id := ids[t+1]
			if id == models.Pad {
				continue
			}
			if id < 0 || int(id) >= m.Config.Vocab {
				return fmt.Errorf("vaegan: window %d: call id %d outside [0, %d)", e, id, m.Config.Vocab)
			}
			copy(w.xBuf[(t*w.B+i)*E:][:E], emb[int(id)*E:][:E])
			w.real[i]++
		}
		total += w.real[i]
		w.rowBuf[i] = 1 / float32(k)
	}
	if total == 0 {
		return fmt.Errorf("vaegan: %d windows without a call", k)
	}
	scale := 1 / float32(total*E)
	clear(w.callBuf)
	for i, e := range idx {
		ids := ex.IntAt(e)
		for t := 0; t < w.T; t++ {
			if ids[t+1] != models.Pad {
				m := w.maskBuf[(t*w.B+i)*E:][:E]
				for j := range m {
					m[j] = scale
				}
				if w.callBuf != nil {
					w.callBuf[t*w.B+i] = 1 / float32(total)
				}
			}
		}
	}
	inputs := []struct {
		n *G.Node
		d []float32
	}{{w.x, w.xBuf}, {w.mask, w.maskBuf}, {w.rowW, w.rowBuf}}
	if w.callW != nil {
		inputs = append(inputs, struct {
			n *G.Node
			d []float32
		}{w.callW, w.callBuf})
	}
	for _, in := range inputs {
		if err := graph.SetInput(in.n, in.d); err != nil {
			return err
		}
	}
	return nil
}

// encode returns μ and log σ² [B, Latent] of x [T, B, E].
func (m *Model) encode(b *graph.Builder, x *G.Node) (mu, logVar *G.Node, err error) {
	h, err := m.lastState(b, m.enc, x)
	if err != nil {
		return nil, nil, err
	}
	if mu, err = m.mu.Forward(b, h); err != nil {
		return nil, nil, err
	}
	logVar, err = m.logVar.Forward(b, h)
	return mu, logVar, err
}

// lastState runs lstm over x [T, B, In] and returns its last hidden state [B, H].
func (m *Model) lastState(b *graph.Builder, lstm *layers.LSTM, x *G.Node) (*G.Node, error) {
	h, err := lstm.Forward(b, x)
	if err != nil {
		return nil, err
	}
	last, err := G.Slice(h, G.S(x.Shape()[0]-1))
	if err != nil {
		return nil, fmt.Errorf("vaegan: last state: %w", err)
	}
	return last, nil
}

// decode returns the window [T, B, E] that z [B, Latent] decodes to: z is
// the decoder LSTM's input at every step.
func (m *Model) decode(b *graph.Builder, z *G.Node) (*G.Node, error) {
	T, B, Z := m.Config.Steps, z.Shape()[0], m.Config.Latent
	z3, err := G.Reshape(z, []int{1, B, Z})
	if err != nil {
		return nil, fmt.Errorf("vaegan: decode: %w", err)
	}
	steps := make([]*G.Node, T)
	for t := range steps {
		steps[t] = z3
	}
	zs, err := G.Concat(0, steps...)
	if err != nil {
		return nil, fmt.Errorf("vaegan: decode: %w", err)
	}
	h, err := m.dec.Forward(b, zs)
	if err != nil {
		return nil, err
	}
	flat, err := G.Reshape(h, []int{T * B, m.Config.Hidden})
	if err != nil {
		return nil, fmt.Errorf("vaegan: decode: %w", err)
	}
	y, err := m.out.Forward(b, flat)
	if err != nil {
		return nil, err
	}
	return G.Reshape(y, []int{T, B, m.Config.Embedding})
}

// logit is the discriminator's logit that x [T, B, E] is real: [B, 1]
// from the last hidden state, or [T·B, 1] (row t·B+i: call t of window i,
// judged on the calls up to it) when it judges every call.
func (m *Model) logit(b *graph.Builder, x *G.Node) (*G.Node, error) {
	if !m.Config.PerCall {
		h, err := m.lastState(b, m.disc, x)
		if err != nil {
			return nil, err
		}
		return m.judge.Forward(b, h)
	}
	h, err := m.disc.Forward(b, x)
	if err != nil {
		return nil, err
	}
	T, B := x.Shape()[0], x.Shape()[1]
	flat, err := G.Reshape(h, []int{T * B, m.Config.Hidden})
	if err != nil {
		return nil, fmt.Errorf("vaegan: discriminator: %w", err)
	}
	return m.judge.Forward(b, flat)
}

// bce is Σ_rows w·BCE(logits, target) for logits [N, 1] and a constant target.
func bce(b *graph.Builder, logits, w *G.Node, target float32) (*G.Node, error) {
	N := logits.Shape()[0]
	t := b.Input(fmt.Sprintf("target_%g_%d", target, len(b.G.AllNodes())), N, 1)
	ones := make([]float32, N)
	for i := range ones {
		ones[i] = target
	}
	if err := graph.SetInput(t, ones); err != nil {
		return nil, err
	}
	return bceTo(logits, t, w)
}

// bceTo is Σ_rows w·BCE(logits, target) for logits and targets [N, 1].
func bceTo(logits, target, w *G.Node) (*G.Node, error) {
	l, err := layers.BCEWithLogits(logits, target)
	if err != nil {
		return nil, err
	}
	return weightedSum(l, w)
}

// weightedSum is Σ_i x_i·w_i for vectors x and w.
func weightedSum(x, w *G.Node) (*G.Node, error) {
	p, err := G.HadamardProd(x, w)
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	return G.Sum(p)
}

// maskedMSE is Σ (xr - x)²·mask: the mean squared error over real calls.
func maskedMSE(xr, x, mask *G.Node) (*G.Node, error) {
	d, err := G.Sub(xr, x)
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	sq, err := G.Square(d)
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	p, err := G.HadamardProd(sq, mask)
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	return G.Sum(p)
}

// kl is Σ_rows w·(-½ Σ_z (1 + log σ² - μ² - σ²)).
func kl(mu, logVar, w *G.Node) (*G.Node, error) {
	one := G.NewConstant(float32(1))
	half := G.NewConstant(float32(-0.5))
	mu2, err := G.Square(mu)
	if err != nil {
		return nil, err
	}
	v, err := G.Exp(logVar)
	if err != nil {
		return nil, err
	}
	a, err := G.Add(logVar, one)
	if err != nil {
		return nil, err
	}
	if a, err = G.Sub(a, mu2); err != nil {
		return nil, err
	}
	if a, err = G.Sub(a, v); err != nil {
		return nil, err
	}
	s, err := G.Sum(a, 1)
	if err != nil {
		return nil, err
	}
	if s, err = G.Mul(s, half); err != nil {
		return nil, err
	}
	return weightedSum(s, w)
}

// normalFill fills a noise input with N(0, 1) draws.
func normalFill(rng *rand.Rand, dst []float32) {
	for i := range dst {
		dst[i] = float32(rng.NormFloat64())
	}
}
