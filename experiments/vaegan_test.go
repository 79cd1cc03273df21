package experiments

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/experiments/tasks/syscalls"
)

// tinyVAEGAN is a VAE-GAN run on synthetic traces of a second or two.
func tinyVAEGAN(t *testing.T, sets ...string) Config {
	t.Helper()
	cfg, err := Parse([]byte(`
version: 1
name: tiny_vaegan
task: syscalls
seed: 3
data:
  kind: synthetic
  synthetic: {train: 30, validation: 10, test_normal: 10, test_attack: 10, min_calls: 60, max_calls: 120}
windows: {length: 12, stride: 12, score_context: 4}
model: {kind: vaegan, embedding: 8, hidden: 12, latent: 4, d_rounds: 2}
train: {epochs: 4, batch_size: 16, lr: 0.01, clip_norm: 5, checkpoint_every: 7}
eval: {batch_size: 32}
`), sets)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestVAEGANRunResumesBitIdentically: an adversarial run reports a system
// per window score and the per-update losses, and a run interrupted after
// its first checkpoint and resumed ends with the uninterrupted run's losses
// and scores; so does one whose discriminator judges every call and sees
// corrupted windows (drawn from the trainer's checkpointed noise source).
func TestVAEGANRunResumesBitIdentically(t *testing.T) {
	t.Run("window", func(t *testing.T) {
		resumesBitIdentically(t, tinyVAEGAN(t, "model.discriminator=window", "model.corruption=0"))
	})
	t.Run("calls+corruption", func(t *testing.T) { resumesBitIdentically(t, tinyVAEGAN(t)) })
}

func resumesBitIdentically(t *testing.T, cfg Config) {
	out := t.TempDir()
	res, err := Run(context.Background(), cfg, RunOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics.(*syscalls.Metrics)
	var names []string
	for _, s := range m.Systems {
		names = append(names, s.Name)
	}
	if got := strings.Join(names[:6], ", "); got != "vaegan dr (max call), vaegan dr (mean call), vaegan reconstruction (max call), vaegan reconstruction (mean call), vaegan discriminator (max call), vaegan discriminator (mean call)" {
		t.Fatalf("systems: %s", got)
	}
	u := unitLosses(t, out)[0]
	if len(u.UpdateLoss["generator"]) != 4 || len(u.UpdateLoss["discriminator"]) != 4 {
		t.Fatalf("per-update losses %v", u.UpdateLoss)
	}
	interruptAndResume(t, cfg, out)
}

// TestVAEGANDetectsPlantedAttacks: on synthetic traces (planted attack
// sequences holding calls no normal program makes) the DR-score and the
// reconstruction error of a trace's worst call separate the attacks, above
// STIDE n = 6. MAD-GAN's discriminator alone does not (0.56 here; it can
// tell generated windows from real ones by their calls lying off the
// vocabulary's embeddings, whatever the order of real calls); judging
// every call and shown corrupted training windows as fakes (real calls in
// a wrong order), it separates them too (0.98).
func TestVAEGANDetectsPlantedAttacks(t *testing.T) {
	for _, c := range []struct {
		name   string
		model  string
		checks []string
	}{
		{"window", "{kind: vaegan, embedding: 8, hidden: 24, latent: 8, discriminator: window, corruption: 0}", []string{"dr", "reconstruction"}},
		{"calls+corruption (the defaults)", "{kind: vaegan, embedding: 8, hidden: 24, latent: 8}",
			[]string{"dr", "reconstruction", "discriminator"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse([]byte(`
version: 1
name: vaegan_synthetic
task: syscalls
seed: 2
data:
  kind: synthetic
  synthetic: {train: 60, validation: 20, test_normal: 30, test_attack: 30, min_calls: 100, max_calls: 200}
windows: {length: 16, stride: 8, score_context: 8}
model: `+c.model+`
train: {epochs: 12, batch_size: 32, lr: 0.005, patience: 0, clip_norm: 5}
eval: {batch_size: 128}
`), nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), cfg, RunOptions{Out: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			auc := map[string]float64{}
			for _, s := range res.Metrics.(*syscalls.Metrics).Systems {
				auc[s.Name] = s.AUC
			}
			stide := auc["STIDE n=6"]
			for _, score := range c.checks {
				name := "vaegan " + score + " (max call)"
				want := 0.95
				if score == "discriminator" {
					want = 0.9
				}
				if a, ok := auc[name]; !ok || a < want || a <= stide {
					t.Errorf("%s: AUC %v, want %v or more and above STIDE n=6's %v", name, a, want, stide)
				}
			}
			t.Logf("AUC: DR %.3f, reconstruction %.3f, discriminator %.3f, STIDE n=6 %.3f", auc["vaegan dr (max call)"],
				auc["vaegan reconstruction (max call)"], auc["vaegan discriminator (max call)"], stide)
		})
	}
}
