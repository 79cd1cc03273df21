package vaegan

import (
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// each runs the eval net over windows idx in batches, calling read with
// the number of windows of each.
func (n *evalNet) each(m *Model, ex models.Examples, idx []int, read func(k int) error) error {
	for start := 0; start < len(idx); start += n.in.B {
		end := min(start+n.in.B, len(idx))
		if err := n.in.fill(m, ex, idx[start:end]); err != nil {
			return err
		}
		if err := n.Runner.Run(nil); err != nil {
			return err
		}
		if err := read(end - start); err != nil {
			return err
		}
	}
	return nil
}

// windowScores reads the last run's outputs: for each of the batch's
// first k windows, the squared reconstruction error of each call's
// embedding (its mean over the dimensions), the window's mean over its
// real calls, and 1 - D at each call (the window's 1 - D(x) at every call
// when the discriminator judges windows); per-call values are 0 at
// padding.
func (n *evalNet) windowScores(k int) (perCall [][]float64, recon []float64, fake [][]float64, err error) {
	T, B, E := n.in.T, n.in.B, n.in.E
	xr, err := graph.Float32s(n.recon)
	if err != nil {
		return nil, nil, nil, err
	}
	logits, err := graph.Float32s(n.logit)
	if err != nil {
		return nil, nil, nil, err
	}
	perWindow := len(logits) == B
	if (!perWindow && len(logits) != T*B) || len(xr) != T*B*E {
		return nil, nil, nil, fmt.Errorf("vaegan: eval outputs of %d and %d values", len(xr), len(logits))
	}
	notReal := func(l float32) float64 { return 1 - 1/(1+math.Exp(-float64(l))) }
	perCall = callErrors(xr, n.in, k)
	for i := 0; i < k; i++ {
		r := 0.0
		if n.in.real[i] > 0 {
			for _, c := range perCall[i] {
				r += c
			}
			r /= float64(n.in.real[i])
		}
		recon = append(recon, r)
		f := make([]float64, T)
		for t := range f {
			if n.in.maskBuf[(t*B+i)*E] == 0 {
				continue
			}
			if perWindow {
				f[t] = notReal(logits[i])
			} else {
				f[t] = notReal(logits[t*B+i])
			}
		}
		fake = append(fake, f)
	}
	return perCall, recon, fake, nil
}

// scorer scores windows with the eval net (and the inverter when latent
// inversion is on).
type scorer struct {
	m   *Model
	net *evalNet
	inv *inverter
}

// Score returns, per window and call t of its last T (Width T, as a
// next-call model's positions): "dr" (the DR-score (1-λ)·R + λ·(1-D(x))),
// "reconstruction" (R: the squared error of the call's reconstructed
// embedding, decoding z = μ, averaged over its dimensions) and
// "discriminator" (1 - D, D the probability that the call, or the window
// at each of its calls, is real); with latent inversion also
// "dr_inverted" and "reconstruction_inverted", decoding the inverted z.
// Padded calls score 0.
func (s *scorer) Score(ex models.Examples, idx []int) ([]models.Score, error) {
	lambda, T := s.m.Config.Lambda, s.m.Config.Steps
	dr := models.Score{Name: "dr", Width: T}
	rec := models.Score{Name: "reconstruction", Width: T}
	dis := models.Score{Name: "discriminator", Width: T}
	drInv := models.Score{Name: "dr_inverted", Width: T}
	recInv := models.Score{Name: "reconstruction_inverted", Width: T}
	start := 0
	err := s.net.each(s.m, ex, idx, func(k int) error {
		calls, _, fake, err := s.net.windowScores(k)
		if err != nil {
			return err
		}
		for i := range calls {
			for t, r := range calls[i] {
				rec.Values = append(rec.Values, r)
				dis.Values = append(dis.Values, fake[i][t])
				dr.Values = append(dr.Values, (1-lambda)*r+lambda*fake[i][t])
			}
		}
		if s.inv != nil {
			inverted, err := s.inv.invert(ex, idx[start:start+k])
			if err != nil {
				return err
			}
			for i := range inverted {
				for t, r := range inverted[i] {
					recInv.Values = append(recInv.Values, r)
					drInv.Values = append(drInv.Values, (1-lambda)*r+lambda*fake[i][t])
				}
			}
		}
		start += k
		return nil
	})
	out := []models.Score{dr, rec, dis}
	if s.inv != nil {
		out = append(out, drInv, recInv)
	}
	return out, err
}

func (s *scorer) Close() error {
	err := s.net.Runner.Close()
	if s.inv != nil {
		if e := s.inv.Close(); err == nil {
			err = e
		}
	}
	return err
}
