package experiments

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/eval/tensorboard"
)

// readEvents reads every event file of dir (a TensorBoard run folder).
func readEvents(t *testing.T, dir string) []tensorboard.Event {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "events.out.tfevents.*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no event file in %s (%v)", dir, err)
	}
	var all []tensorboard.Event
	for _, f := range files {
		evs, err := tensorboard.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	return all
}

// A run writes its training curves as TensorBoard scalars, a unit's
// folder holding every step's loss and each update's, and every epoch's
// means at the epoch's last step, equal to those in scores.json; the
// report's plots are images in report/.
func TestRunWritesTensorBoardEvents(t *testing.T) {
	out := t.TempDir()
	if _, err := Run(context.Background(), tinyVAEGAN(t), RunOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	u := unitLosses(t, out)[0]
	byTag := map[string][]float32{}
	steps := map[string][]int64{}
	for _, e := range readEvents(t, filepath.Join(out, "tensorboard", u.Name)) {
		for _, v := range e.Values {
			if v.HasSimple {
				byTag[v.Tag] = append(byTag[v.Tag], v.Simple)
				steps[v.Tag] = append(steps[v.Tag], e.Step)
			}
		}
	}
	if n := len(byTag["train/loss"]); n != u.Steps || len(byTag["train/loss_discriminator"]) != n {
		t.Fatalf("%d step losses and %d of the discriminator for %d steps", n, len(byTag["train/loss_discriminator"]), u.Steps)
	}
	if want := []int64{1, 2, 3}; !slices.Equal(steps["train/loss"][:3], want) {
		t.Fatalf("steps %v, want %v first", steps["train/loss"][:3], want)
	}
	for tag, want := range map[string][]float64{"epoch/train_loss": u.TrainLoss, "epoch/val_loss": u.ValLoss,
		"epoch/loss_generator": u.UpdateLoss["generator"], "epoch/loss_discriminator": u.UpdateLoss["discriminator"]} {
		got := byTag[tag]
		if len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%s: %d values, scores.json has %d", tag, len(got), len(want))
		}
		for i := range want {
			if math.Abs(float64(got[i])-want[i]) > 1e-6*math.Abs(want[i]) {
				t.Fatalf("%s epoch %d: %v, scores.json %v", tag, i+1, got[i], want[i])
			}
		}
	}
	if last := steps["epoch/train_loss"][len(u.TrainLoss)-1]; last != int64(u.Steps) {
		t.Fatalf("last epoch at step %d, the run took %d", last, u.Steps)
	}
	pngs, _ := filepath.Glob(filepath.Join(out, "*.png"))
	var images []string
	for _, e := range readEvents(t, filepath.Join(out, "tensorboard", "report")) {
		for _, v := range e.Values {
			if v.Image != nil {
				b, err := os.ReadFile(filepath.Join(out, filepath.Base(v.Tag)))
				if err != nil || !slices.Equal(b, v.Image.PNG) || v.Image.Width == 0 {
					t.Fatalf("image %s differs from the report's file (%v)", v.Tag, err)
				}
				images = append(images, v.Tag)
			}
		}
	}
	if len(pngs) == 0 || len(images) != len(pngs) {
		t.Fatalf("%d images for the report's %d plots", len(images), len(pngs))
	}
}
