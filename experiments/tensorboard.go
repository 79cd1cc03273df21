package experiments

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/vigil-ml/vigil/eval/tensorboard"
	"github.com/vigil-ml/vigil/trainers"
)

// A run writes TensorBoard event files under <out>/tensorboard: one
// folder per unit (a TensorBoard "run") with its training curves, and
// report/ with the report's plots as images. `tensorboard --logdir
// <out>/tensorboard` shows them.
const tensorBoardDir = "tensorboard"

// newEventWriter creates an event file in <out>/tensorboard/<name>, named
// after this host, process and the creation time's nanoseconds, so that a
// resumed run or a second evaluation adds a file instead of replacing one.
func newEventWriter(out, name string) (*tensorboard.Writer, error) {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	now := time.Now()
	suffix := fmt.Sprintf("%s.%d.%09d", host, os.Getpid(), now.Nanosecond())
	return tensorboard.Create(filepath.Join(out, tensorBoardDir, name), now, suffix)
}

// curves is a trainers.Hook writing a unit's losses: every step's batch
// loss (train/loss, and train/loss_<update> for each update of an
// adversarial step), and every epoch's means (epoch/train_loss,
// epoch/loss_<update>, epoch/val_loss, epoch/best_val_loss) at the step
// the epoch ends. Events are flushed at the end of each epoch.
type curves struct{ w *tensorboard.Writer }

// Priority runs it after the progress output.
func (c curves) Priority() int { return 10 }

func (c curves) OnStep(s trainers.StepInfo) error {
	now, step := time.Now(), int64(s.Step)
	if err := c.w.Scalar("train/loss", step, s.Loss, now); err != nil {
		return err
	}
	for _, p := range s.PhaseLoss {
		if err := c.w.Scalar("train/loss_"+p.Phase, step, p.Loss, now); err != nil {
			return err
		}
	}
	return nil
}

func (c curves) OnEpoch(e trainers.EpochInfo) error {
	type scalar struct {
		tag   string
		value float64
	}
	values := []scalar{{"epoch/train_loss", e.TrainLoss}}
	for _, p := range e.PhaseLoss {
		values = append(values, scalar{"epoch/loss_" + p.Phase, p.Loss})
	}
	if e.HasVal {
		values = append(values, scalar{"epoch/val_loss", e.ValLoss})
		if e.BestEpoch >= 0 {
			values = append(values, scalar{"epoch/best_val_loss", e.BestValLoss})
		}
	}
	now := time.Now()
	for _, v := range values {
		if err := c.w.Scalar(v.tag, int64(e.Step), v.value, now); err != nil {
			return err
		}
	}
	return c.w.Flush()
}

func (c curves) OnEnd(trainers.Result) error { return c.w.Flush() }

// writeReportImages writes the report's plots (the PNG files in out) as
// images under <out>/tensorboard/report, tagged with their file names.
func writeReportImages(out string) error {
	pngs, err := filepath.Glob(filepath.Join(out, "*.png"))
	if err != nil || len(pngs) == 0 {
		return err
	}
	slices.Sort(pngs)
	w, err := newEventWriter(out, "report")
	if err != nil {
		return err
	}
	now := time.Now()
	for _, p := range pngs {
		b, err := os.ReadFile(p)
		if err == nil {
			err = w.Image("report/"+filepath.Base(p), 0, b, now)
		}
		if err != nil {
			_ = w.Close()
			return err
		}
	}
	return w.Close()
}
