package experiments

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/trainers"
)

// heartbeatEvery is how often a recorded run tells the registry it is
// alive; a run silent for much longer is reaped as failed (registry.ReapStale).
const heartbeatEvery = 30 * time.Second

// recorder keeps a run's row in the registry current: its start, a
// heartbeat, every epoch's losses as curves, and at the end its metrics,
// artefacts and status. Registry errors after the start are logged, not
// returned: a lost registry write must not cost a finished training.
type recorder struct {
	reg   *registry.Registry
	id    int64
	owned bool // the row was started here, so it is finished here
	log   *slog.Logger
	stop  context.CancelFunc
	beats sync.WaitGroup
}

// startRecord records the run's start (or adopts opts.RunID, a row the
// caller started, such as a claimed sweep trial) and starts heartbeats;
// nil when opts.Registry is nil.
func startRecord(ctx context.Context, cfg Config, opts RunOptions) (*recorder, error) {
	if opts.Registry == nil {
		return nil, nil
	}
	r := &recorder{reg: opts.Registry, id: opts.RunID, log: opts.Log}
	if r.id == 0 {
		raw, err := json.Marshal(cfg)
		if err != nil {
			return nil, err
		}
		out, _ := filepath.Abs(opts.Out)
		host, _ := os.Hostname()
		kind := opts.Kind
		if kind == "" {
			kind = registry.KindRun
		}
		if r.id, err = r.reg.StartRun(ctx, registry.RunInfo{Name: cfg.Name, Kind: kind, ConfigJSON: raw,
			Commit: BuildCommit(), Device: opts.device, Host: host, OutDir: out}); err != nil {
			return nil, err
		}
		r.owned = true
	}
	beat, stop := context.WithCancel(context.WithoutCancel(ctx))
	r.stop = stop
	r.beats.Add(1)
	go func() {
		defer r.beats.Done()
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-beat.Done():
				return
			case <-t.C:
				if err := r.reg.Heartbeat(beat, r.id); err != nil {
					r.log.Warn("registry heartbeat", "run", r.id, "err", err)
				}
			}
		}
	}()
	return r, nil
}

// epochHook records each epoch of unit as curve points keyed
// "<unit>/train_loss", "<unit>/val_loss" and "<unit>/loss_<update>".
func (r *recorder) epochHook(unit string) trainers.Hook {
	return trainers.HookFuncs{Prio: 20, Epoch: func(e trainers.EpochInfo) error {
		pts := []registry.CurvePoint{{Key: unit + "/train_loss", Value: e.TrainLoss}}
		if e.HasVal {
			pts = append(pts, registry.CurvePoint{Key: unit + "/val_loss", Value: e.ValLoss})
		}
		for _, p := range e.PhaseLoss {
			pts = append(pts, registry.CurvePoint{Key: unit + "/loss_" + p.Phase, Value: p.Loss})
		}
		for i := range pts {
			pts[i].Unit, pts[i].Step, pts[i].Epoch = "epoch", int64(e.Step), int64(e.Epoch+1)
		}
		if err := r.reg.AddCurve(context.Background(), r.id, pts); err != nil {
			r.log.Warn("registry curve", "run", r.id, "err", err)
		}
		return nil
	}}
}

// finish stops the heartbeats and records the outcome: on success the
// metrics.json figures and the artefacts of out, then (when the row was
// started here) the status: complete, killed for a cancelled run, failed
// otherwise.
func (r *recorder) finish(out string, runErr error) {
	if r == nil {
		return
	}
	r.stop()
	r.beats.Wait()
	ctx := context.Background()
	if runErr == nil {
		if b, err := os.ReadFile(filepath.Join(out, "metrics.json")); err == nil {
			m, err := registry.FlattenMetrics(b)
			if err == nil {
				err = r.reg.AddMetrics(ctx, r.id, m)
			}
			if err != nil {
				r.log.Warn("registry metrics", "run", r.id, "err", err)
			}
		}
		for _, a := range []string{"metrics.json", "report.html", "models", "tensorboard"} {
			p := filepath.Join(out, a)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			abs, _ := filepath.Abs(p)
			if err := r.reg.AddArtifact(ctx, r.id, a, abs); err != nil {
				r.log.Warn("registry artefact", "run", r.id, "err", err)
			}
		}
	}
	if !r.owned {
		return
	}
	status, text := registry.StatusComplete, ""
	switch {
	case errors.Is(runErr, context.Canceled):
		status, text = registry.StatusKilled, runErr.Error()
	case runErr != nil:
		status, text = registry.StatusFailed, runErr.Error()
	}
	if err := r.reg.FinishRun(ctx, r.id, status, text); err != nil {
		r.log.Warn("registry finish", "run", r.id, "err", err)
	}
}

// BuildCommit is the VCS revision vigil was built from ("+dirty" when
// the tree had changes), or "" when the build did not stamp one.
func BuildCommit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}
