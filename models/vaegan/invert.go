package vaegan

import (
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	G "gorgonia.org/gorgonia"
)

// inverter is MAD-GAN's latent inversion for a batch of windows: z starts
// at the encoder's μ and follows Adam on the reconstruction error of
// decode(z), the decoder fixed.
type inverter struct {
	m       *Model
	in      *windows
	mu      *G.Node // the encoder's μ of the windows: the start
	z       *G.Node // z [B, Latent], whose gradient the program returns
	gz      *G.Node // that gradient
	Runner  graph.Runner
	decoder *decodeNet
}

// decodeNet decodes given latents, for reading the final reconstruction
// (a graph output no op reads, which the tape machine leaves intact).
type decodeNet struct {
	z, recon *G.Node
	Runner   graph.Runner
}

func (m *Model) buildInverter(batch int, factory graph.RunnerFactory) (*inverter, error) {
	c := m.Config
	b := graph.NewBuilder(m.Reg, graph.Eval)
	v := &inverter{m: m, in: newWindows(b, batch, c.Steps, c.Embedding, false)}
	var err error
	if v.mu, _, err = m.encode(b, v.in.x); err != nil {
		return nil, err
	}
	v.z = b.DiffInput("z", batch, c.Latent)
	recon, err := m.decode(b, v.z)
	if err != nil {
		return nil, err
	}
	mse, err := maskedMSE(recon, v.in.x, v.in.mask)
	if err != nil {
		return nil, err
	}
	// The decoder's parameters are differentiated too, though unused: with
	// z alone, gorgonia's tape machine fails at run time in the decoder
	// LSTM's backward pass (a Reshape "Add failed: Shape mismatch").
	prog, err := graph.CompileWRT(b, mse, append(m.dec.Params(), m.out.Params()...))
	if err != nil {
		return nil, err
	}
	v.gz = prog.InputGrads()[0]
	if v.Runner, err = run(prog, factory, v.mu, v.gz); err != nil {
		return nil, err
	}
	d := &decodeNet{}
	db := graph.NewBuilder(m.Reg, graph.Eval)
	d.z = db.Input("z", batch, c.Latent)
	if d.recon, err = m.decode(db, d.z); err != nil {
		return nil, err
	}
	sum, err := G.Sum(d.recon)
	if err != nil {
		return nil, fmt.Errorf("vaegan: %w", err)
	}
	dprog, err := graph.Compile(db, sum, false)
	if err != nil {
		return nil, err
	}
	if d.Runner, err = run(dprog, factory, d.recon); err != nil {
		return nil, err
	}
	v.decoder = d
	return v, nil
}

// invert finds the latents of windows idx of ex and returns the squared
// reconstruction error of each window's calls (as windowScores does).
func (v *inverter) invert(ex models.Examples, idx []int) ([][]float64, error) {
	c := v.m.Config
	if err := v.in.fill(v.m, ex, idx); err != nil {
		return nil, err
	}
	set := func(z []float32) error { return graph.SetInput(v.z, z) }
	if err := set(make([]float32, v.in.B*c.Latent)); err != nil {
		return nil, err
	}
	if err := v.Runner.Run(nil); err != nil {
		return nil, err
	}
	mu, err := graph.Float32s(v.mu)
	if err != nil {
		return nil, err
	}
	z := append([]float32(nil), mu...)
	m1, m2 := make([]float64, len(z)), make([]float64, len(z))
	const b1, b2, eps = 0.9, 0.999, 1e-8
	for step := 1; step <= c.InversionSteps; step++ {
		if err := set(z); err != nil {
			return nil, err
		}
		if err := v.Runner.Run(nil); err != nil {
			return nil, err
		}
		g, err := graph.Float32s(v.gz)
		if err != nil {
			return nil, err
		}
		lr := c.InversionLR * math.Sqrt(1-math.Pow(b2, float64(step))) / (1 - math.Pow(b1, float64(step)))
		for j, gj := range g {
			m1[j] = b1*m1[j] + (1-b1)*float64(gj)
			m2[j] = b2*m2[j] + (1-b2)*float64(gj)*float64(gj)
			z[j] -= float32(lr * m1[j] / (math.Sqrt(m2[j]) + eps))
		}
	}
	d := v.decoder
	if err := graph.SetInput(d.z, z); err != nil {
		return nil, err
	}
	if err := d.Runner.Run(nil); err != nil {
		return nil, err
	}
	xr, err := graph.Float32s(d.recon)
	if err != nil {
		return nil, err
	}
	return callErrors(xr, v.in, len(idx)), nil
}

// callErrors are the squared reconstruction errors of the calls of the
// batch's first k windows, averaged over the embedding dimensions (0 at
// padding).
func callErrors(xr []float32, in *windows, k int) [][]float64 {
	T, B, E := in.T, in.B, in.E
	out := make([][]float64, k)
	for i := range out {
		out[i] = make([]float64, T)
		for t := 0; t < T; t++ {
			off := (t*B + i) * E
			if in.maskBuf[off] == 0 {
				continue
			}
			var c float64
			for j := 0; j < E; j++ {
				d := float64(xr[off+j]) - float64(in.xBuf[off+j])
				c += d * d
			}
			out[i][t] = c / float64(E)
		}
	}
	return out
}

func (v *inverter) Close() error {
	err := v.Runner.Close()
	if e := v.decoder.Runner.Close(); err == nil {
		err = e
	}
	return err
}
