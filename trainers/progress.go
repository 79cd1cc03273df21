package trainers

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/term"
)

// ProgressMode selects how Progress reports.
type ProgressMode int

const (
	// ProgressAuto draws a bar when the writer is a terminal and logs otherwise.
	ProgressAuto ProgressMode = iota
	// ProgressBar always draws the one-line bar.
	ProgressBar
	// ProgressLog always writes structured log lines.
	ProgressLog
)

// ProgressConfig configures Progress; a zero field takes its default.
type ProgressConfig struct {
	Mode     ProgressMode  // default ProgressAuto
	LogEvery int           // steps between log lines; default 100 (epoch ends are always logged)
	Interval time.Duration // least time between bar redraws; default 100ms
	Logger   *slog.Logger  // log destination; default a text handler on the writer
	Priority int           // hook priority; default 0
}

// Progress is a Hook reporting training progress. On a terminal it redraws
// one line, "epoch 2/5 [=====>     ] 37/90 loss 0.0421 12.5 steps/s ETA 4s",
// and prints a summary line per epoch; otherwise it logs with log/slog:
// a "train" record every LogEvery steps (epoch, step, total_steps, loss,
// samples_per_s), an "epoch" record per epoch (adding val_loss when there
// is a validation set, and best_epoch) and a "done" record. For a phased
// task every phase's loss is reported too, as loss_<phase> (the bar shows
// "loss_generator=0.69 loss_discriminator=1.4" in place of the loss), so
// that divergence and mode collapse show. Epochs are numbered from 1 in its
// output. Rates count this process's steps only.
type Progress struct {
	w      io.Writer
	cfg    ProgressConfig
	bar    bool
	log    *slog.Logger
	start  time.Time
	first  int // step count before the first step seen
	steps  int
	sample int
	drawn  time.Time
	dirty  bool
}

// NewProgress returns a progress hook writing to w.
func NewProgress(w io.Writer, cfg ProgressConfig) *Progress {
	if cfg.LogEvery <= 0 {
		cfg.LogEvery = 100
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 100 * time.Millisecond
	}
	p := &Progress{w: w, cfg: cfg, log: cfg.Logger}
	switch cfg.Mode {
	case ProgressBar:
		p.bar = true
	case ProgressAuto:
		p.bar = isTerminal(w)
	}
	if p.log == nil {
		p.log = slog.New(slog.NewTextHandler(w, nil))
	}
	return p
}

// isTerminal reports whether w is a file descriptor attached to a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// Priority returns the configured priority.
func (p *Progress) Priority() int { return p.cfg.Priority }

// rates returns steps and samples per second since the first step seen.
func (p *Progress) rates() (steps, samples float64) {
	sec := time.Since(p.start).Seconds()
	if sec <= 0 {
		return 0, 0
	}
	return float64(p.steps) / sec, float64(p.sample) / sec
}

// OnStep updates the bar or logs every LogEvery steps.
func (p *Progress) OnStep(s StepInfo) error {
	if p.steps == 0 {
		p.start, p.first = time.Now(), s.Step-1
	}
	p.steps = s.Step - p.first
	p.sample += s.BatchSize
	stepRate, sampleRate := p.rates()
	if !p.bar {
		if s.Step%p.cfg.LogEvery == 0 {
			attrs := []any{"epoch", s.Epoch + 1, "step", s.Step, "total_steps", s.TotalSteps, "loss", s.Loss}
			attrs = appendPhaseAttrs(attrs, s.PhaseLoss)
			p.log.Info("train", append(attrs, "samples_per_s", sampleRate)...)
		}
		return nil
	}
	now := time.Now()
	if now.Sub(p.drawn) < p.cfg.Interval && s.Step != s.TotalSteps && s.EpochStep != s.StepsPerEpoch {
		return nil
	}
	p.drawn, p.dirty = now, true
	epochs := (s.TotalSteps + s.StepsPerEpoch - 1) / s.StepsPerEpoch
	eta := "?"
	if stepRate > 0 {
		eta = (time.Duration(float64(s.TotalSteps-s.Step) / stepRate * float64(time.Second))).Round(time.Second).String()
	}
	_, err := fmt.Fprintf(p.w, "\r\x1b[Kepoch %d/%d %s %d/%d %s %.1f steps/s ETA %s",
		s.Epoch+1, epochs, bar(s.Step, s.TotalSteps, 20), s.Step, s.TotalSteps, lossText(s.Loss, s.PhaseLoss), stepRate, eta)
	return err
}

// bar renders done/total as a bracketed bar of width cells.
func bar(done, total, width int) string {
	n := width
	if total > 0 && done < total {
		n = done * width / total
	}
	if n >= width {
		return "[" + strings.Repeat("=", width) + "]"
	}
	return "[" + strings.Repeat("=", n) + ">" + strings.Repeat(" ", width-n-1) + "]"
}

// OnEpoch prints or logs the epoch summary.
func (p *Progress) OnEpoch(e EpochInfo) error {
	_, sampleRate := p.rates()
	if !p.bar {
		attrs := []any{"epoch", e.Epoch + 1, "step", e.Step, "loss", e.TrainLoss}
		attrs = appendPhaseAttrs(attrs, e.PhaseLoss)
		if e.HasVal {
			attrs = append(attrs, "val_loss", e.ValLoss, "best_epoch", e.BestEpoch+1)
		}
		attrs = append(attrs, "samples_per_s", sampleRate)
		if e.StoppedEarly {
			attrs = append(attrs, "stopped_early", true)
		}
		p.log.Info("epoch", attrs...)
		return nil
	}
	line := fmt.Sprintf("\r\x1b[Kepoch %d/%d: %s", e.Epoch+1, e.Epochs, lossText(e.TrainLoss, e.PhaseLoss))
	if e.HasVal {
		line += fmt.Sprintf(" val_loss %.4g (best %.4g at epoch %d)", e.ValLoss, e.BestValLoss, e.BestEpoch+1)
	}
	line += fmt.Sprintf(" %.1f samples/s", sampleRate)
	if e.StoppedEarly {
		line += " - early stop"
	}
	p.dirty = false
	_, err := fmt.Fprintln(p.w, line)
	return err
}

// OnEnd finishes the bar line or logs the outcome.
func (p *Progress) OnEnd(r Result) error {
	if !p.bar {
		attrs := []any{"steps", r.Steps, "epochs", r.Epochs, "stopped_early", r.StoppedEarly}
		if r.BestEpoch >= 0 {
			attrs = append(attrs, "best_val_loss", r.BestValLoss, "best_epoch", r.BestEpoch+1)
		}
		if r.LastCheckpoint != "" {
			attrs = append(attrs, "checkpoint", r.LastCheckpoint)
		}
		p.log.Info("done", attrs...)
		return nil
	}
	if p.dirty {
		p.dirty = false
		_, err := fmt.Fprintln(p.w)
		return err
	}
	return nil
}

// appendPhaseAttrs appends a log attribute loss_<phase> per phase.
func appendPhaseAttrs(attrs []any, phases []PhaseLoss) []any {
	for _, pl := range phases {
		attrs = append(attrs, "loss_"+pl.Phase, pl.Loss)
	}
	return attrs
}

// lossText renders "loss 0.0421", or with phases
// "loss_generator=0.6931 loss_discriminator=1.386".
func lossText(loss float64, phases []PhaseLoss) string {
	if len(phases) == 0 {
		return fmt.Sprintf("loss %.4g", loss)
	}
	parts := make([]string, len(phases))
	for i, pl := range phases {
		parts[i] = fmt.Sprintf("loss_%s=%.4g", pl.Phase, pl.Loss)
	}
	return strings.Join(parts, " ")
}
