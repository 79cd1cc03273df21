package vaegan

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/trainers"
)

// cyclic is n windows of T+1 ids cycling through 1..period from a random
// phase (the last of every fourth window padded), and anomalies: windows
// of uniformly random ids.
func cyclic(n, anomalies, T, period int, rng *rand.Rand) models.Examples {
	ex := models.Examples{Input: models.Input{IntShape: []int{T + 1}, Vocab: period + 3}, N: n + anomalies}
	for i := 0; i < n; i++ {
		start := rng.IntN(period)
		for t := 0; t <= T; t++ {
			v := int32((start+t)%period + 1)
			if i%4 == 3 && t >= T-1 {
				v = models.Pad
			}
			ex.Int = append(ex.Int, v)
		}
	}
	for i := 0; i < anomalies; i++ {
		for t := 0; t <= T; t++ {
			ex.Int = append(ex.Int, int32(rng.IntN(period+3)))
		}
	}
	return ex
}

func seq(a, b int) []int {
	var out []int
	for i := a; i < b; i++ {
		out = append(out, i)
	}
	return out
}

// TestGradientsMatchFiniteDifferences checks both updates' gradients of a
// tiny model against central differences of their losses (the noise of a
// fixed seed; the discriminator's update reads the generator's output),
// with a discriminator that judges windows and one that judges every call
// and sees corrupted windows.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	perWindow := Tiny()
	perCall := Tiny()
	perCall.PerCall, perCall.Corruption = true, 0.3
	for name, cfg := range map[string]Config{"window": perWindow, "calls+corruption": perCall} {
		t.Run(name, func(t *testing.T) { checkGradients(t, cfg) })
	}
}

func checkGradients(t *testing.T, cfg Config) {
	m, err := New(cfg, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	ex := cyclic(6, 2, cfg.Steps, 4, rand.New(rand.NewPCG(5, 6)))
	tk, err := newTask(m, ex, seq(0, 8), nil, 4, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tk.Close()
	idx := []int{0, 3, 6} // a padded window and an anomaly; one padded row
	for p, ph := range tk.Phases() {
		loss := func() (float64, [][]float32) {
			if p == phaseDisc { // the reconstruction it reads
				if _, _, err := tk.PhaseStep(phaseGen, idx, rand.New(rand.NewPCG(7, 7))); err != nil {
					t.Fatal(err)
				}
			}
			l, g, err := tk.PhaseStep(p, idx, rand.New(rand.NewPCG(8, 8)))
			if err != nil {
				t.Fatal(err)
			}
			return l, g
		}
		_, grads := loss()
		grads = cloneAll(grads)
		if len(grads) != len(ph.Params) {
			t.Fatalf("%s: %d gradients for %d parameters", ph.Name, len(grads), len(ph.Params))
		}
		const h = 1e-2
		for i, prm := range ph.Params {
			d := prm.Data()
			for j := 0; j < len(d); j += 1 + len(d)/6 {
				old := d[j]
				d[j] = old + h
				up, _ := loss()
				d[j] = old - h
				down, _ := loss()
				d[j] = old
				fd := (up - down) / (2 * h)
				if math.Abs(fd-float64(grads[i][j])) > 1e-3+0.05*math.Abs(fd) {
					t.Fatalf("%s: %s[%d]: gradient %v, finite difference %v", ph.Name, prm.Name, j, grads[i][j], fd)
				}
			}
		}
	}
}

func cloneAll(gs [][]float32) [][]float32 {
	out := make([][]float32, len(gs))
	for i, g := range gs {
		out[i] = slices.Clone(g)
	}
	return out
}

// TestTrainingSeparatesAnomalies trains on cyclic windows with both
// updates; random windows then score higher than held-out normal ones by
// every score, the discriminator's alone included.
func TestTrainingSeparatesAnomalies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	T := 10
	ex := cyclic(240, 40, T, 6, rng)
	m, err := New(Config{Vocab: 9, Steps: T, Embedding: 8, Hidden: 16, Latent: 4, KLWeight: 1e-3, AdversarialWeight: 0.1,
		Lambda: 0.5, GRounds: 1, DRounds: 1, W2VEpochs: 5}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := m.TrainTask(ex, seq(0, 200), seq(200, 240), 32, 64, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tk.Close()
	tr, err := trainers.NewPhased(trainers.Config{Epochs: 120, BatchSize: 32, LR: 0.01, Seed: 5}, tk.(trainers.PhasedTask))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if first, last := res.ValLoss[0], res.ValLoss[len(res.ValLoss)-1]; !(last < 0.5*first) {
		t.Fatalf("validation reconstruction error %v -> %v", first, last)
	}
	s, err := m.Scorer(64, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scores, err := s.Score(ex, seq(200, 280))
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]bool, 80)
	for i := 40; i < 80; i++ {
		labels[i] = true
	}
	for _, sc := range scores {
		if sc.Width != T || len(sc.Values) != 80*T {
			t.Fatalf("%s: %d values of width %d", sc.Name, len(sc.Values), sc.Width)
		}
		perWindow := make([]float64, 80) // the mean over the window's calls
		for i, v := range sc.Values {
			perWindow[i/T] += v / float64(T)
		}
		auc, err := eval.ROCAUC(perWindow, labels)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s AUC %.3f", sc.Name, auc)
		if auc < 0.8 {
			t.Errorf("%s: AUC %.3f of random against cyclic windows", sc.Name, auc)
		}
	}
}

// TestLatentInversionLowersTheReconstructionError: Adam on z from μ
// reconstructs the windows better than μ itself (the decoder fixed), and
// the inverted scores come beside the others.
func TestLatentInversionLowersTheReconstructionError(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	ex := cyclic(40, 8, 8, 5, rng)
	cfg := Config{Vocab: 8, Steps: 8, Embedding: 6, Hidden: 8, Latent: 3, KLWeight: 1e-2, AdversarialWeight: 0.1,
		Lambda: 0.5, GRounds: 1, DRounds: 1, W2VEpochs: 2, InversionSteps: 60, InversionLR: 0.05}
	m, err := New(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.FitEmbeddings(ex, seq(0, 40)); err != nil {
		t.Fatal(err)
	}
	s, err := m.Scorer(16, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scores, err := s.Score(ex, seq(0, 48))
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 5 || scores[3].Name != "dr_inverted" || scores[4].Name != "reconstruction_inverted" {
		t.Fatalf("%d scores", len(scores))
	}
	var plain, inverted float64
	for i := range scores[1].Values {
		plain += scores[1].Values[i]
		inverted += scores[4].Values[i]
	}
	if !(inverted < 0.9*plain) {
		t.Fatalf("mean reconstruction error %v after inversion, %v at μ", inverted/float64(len(scores[1].Values)), plain/float64(len(scores[1].Values)))
	}
}
