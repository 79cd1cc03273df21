package convvae

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
)

// Net is one compiled graph of the model for a fixed batch size: the train
// net samples z and has gradients; the eval net uses z = mean, no dropout.
type Net struct {
	Batch   int
	Mode    graph.Mode
	Program graph.Runner // the compiled graph, or the runner wrapping it
	X       *G.Node      // input windows [Batch, 1, Rows, Cols], values in [0, 1]
	Recon   *G.Node      // per-example reconstruction BCE [Batch] (the anomaly score)
	KL      *G.Node      // per-example weighted KL term [Batch]; train nets only
	Output  *G.Node      // reconstruction probabilities [Batch, 1, Rows, Cols]
	Loss    *G.Node      // train: mean over the batch of Recon + KL; eval: mean Recon
}

// Build constructs and compiles a net; train nets carry gradients. It runs
// on gorgonia's tape machine.
func (m *Model) Build(mode graph.Mode, batch int) (*Net, error) {
	return m.BuildWith(mode, batch, nil)
}

// BuildWith is Build with the compiled program wrapped by factory (given
// Recon and Output as outputs) when it is not nil.
func (m *Model) BuildWith(mode graph.Mode, batch int, factory graph.RunnerFactory) (*Net, error) {
	if batch <= 0 {
		return nil, fmt.Errorf("convvae: batch %d must be positive", batch)
	}
	cfg := m.Config
	b := graph.NewBuilder(m.Reg, mode)
	n := &Net{Batch: batch, Mode: mode}
	n.X = b.Input("x", batch, 1, cfg.Rows, cfg.Cols)
	h := n.X
	var err error
	for i, c := range m.encoder {
		if h, err = c.Forward(b, h); err != nil {
			return nil, err
		}
		if h, err = m.dropouts[i].Forward(b, h); err != nil {
			return nil, err
		}
	}
	if h, err = layers.Flatten(h); err != nil {
		return nil, err
	}
	if h, err = m.hidden.Forward(b, h); err != nil {
		return nil, err
	}
	mu, err := m.zMean.Forward(b, h)
	if err != nil {
		return nil, err
	}
	logVar, err := m.zLogVar.Forward(b, h)
	if err != nil {
		return nil, err
	}
	z := mu
	if mode == graph.Train {
		eps := b.NoiseInput("eps", []int{batch, cfg.Latent}, func(rng *rand.Rand, dst []float32) {
			for i := range dst {
				dst[i] = float32(rng.NormFloat64())
			}
		})
		spread := logVar
		if cfg.Sampling == "standard" {
			spread = G.Must(G.Mul(logVar, G.NewConstant(float32(0.5))))
		}
		z = G.Must(G.Add(mu, G.Must(G.HadamardProd(G.Must(G.Exp(spread)), eps))))
	}
	d, err := m.expand.Forward(b, z)
	if err != nil {
		return nil, err
	}
	last := m.encShape[len(m.encShape)-1]
	if d, err = layers.Reshape(d, batch, last.C, last.H, last.W); err != nil {
		return nil, err
	}
	for _, t := range m.decoder {
		if d, err = t.Forward(b, d); err != nil {
			return nil, err
		}
	}
	logits, err := m.output.Forward(b, d)
	if err != nil {
		return nil, err
	}
	n.Output = G.Must(G.Sigmoid(logits))
	if n.Recon, err = layers.BCEWithLogits(logits, n.X); err != nil {
		return nil, err
	}
	if mode == graph.Eval {
		// The eval loss is the mean reconstruction BCE, the anomaly score.
		// No node adds onto Recon: gorgonia's tape machine would do that add
		// in place and Recon would then read back as Recon + KL.
		n.Loss = G.Must(G.Mean(n.Recon))
	} else {
		// KL = -w * mean_j(1 + logvar - mu^2 - exp(logvar)), per example (the seed's form).
		one := G.NewConstant(float32(1))
		inner := G.Must(G.Sub(G.Must(G.Add(one, logVar)), G.Must(G.Add(G.Must(G.Square(mu)), G.Must(G.Exp(logVar))))))
		klMean := G.Must(G.Mean(inner, 1))
		n.KL = G.Must(G.Mul(klMean, G.NewConstant(float32(-cfg.KLWeight))))
		n.Loss = G.Must(G.Mean(G.Must(G.Add(n.Recon, n.KL))))
	}
	prog, err := graph.Compile(b, n.Loss, mode == graph.Train)
	if err != nil {
		return nil, err
	}
	n.Program = prog
	if factory != nil {
		if n.Program, err = factory(prog, n.Recon, n.Output); err != nil {
			_ = prog.Close()
			return nil, err
		}
	}
	return n, nil
}

// Close releases the net's executor.
func (n *Net) Close() error { return n.Program.Close() }
