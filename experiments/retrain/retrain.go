package retrain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/eval/drift"
	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/registry"
)

// Options configure one retraining.
type Options struct {
	// Champion is the served directory (a link to a release, or a run
	// directory, adopted as the first release).
	Champion string
	// Load, when set, builds the challenger's config from these sets (a
	// config file given on the command line); default: the champion's own
	// config.json with Sets. Either way it must describe the champion's
	// model.
	Load func(sets []string) (experiments.Config, error)
	// Sets override the champion's config for the challenger and for
	// scoring both: at least the new data window (data.path=..., or
	// another synthetic seed). Keys under model. are refused (the two
	// models must be comparable on the same inputs).
	Sets []string
	// Out is the challenger's run directory; default
	// <champion>.releases/<name>-<UTC date>, so that a second run on the
	// same night resumes it instead of training again.
	Out string
	// Metric is the metrics.json key both are compared by (e.g. model.auc).
	Metric   string
	Minimize bool
	// Margin is how much better the challenger must be (in the metric's units).
	Margin float64
	Drift  DriftConfig
	// Registry records the challenger's run and the decision; nil: none.
	Registry *registry.Registry
	Log      *slog.Logger
	Progress io.Writer
	// Now stamps the default Out (default time.Now).
	Now func() time.Time
}

// DriftConfig sets the drift tests (zero values: the defaults).
type DriftConfig struct {
	PSI     drift.PSIConfig // 10 bins, warn 0.1, alarm 0.25
	KSAlpha float64         // 0.01; KS results warn, never block
}

// Decision is a retraining's outcome.
type Decision string

const (
	Promoted Decision = "promoted" // the challenger serves now
	Kept     Decision = "kept"     // the champion stays
)

// Report is what a retraining measured and decided.
type Report struct {
	Decision        Decision      `json:"decision"`
	Reason          string        `json:"reason"`
	ChampionDir     string        `json:"champion"`   // the champion's release
	ChallengerDir   string        `json:"challenger"` // the challenger's run directory
	Metric          string        `json:"metric"`
	ChampionValue   float64       `json:"champion_value"`   // on the new window's test data
	ChallengerValue float64       `json:"challenger_value"` // on the same data
	Margin          float64       `json:"margin"`
	Drift           []DriftResult `json:"drift"`
	Seconds         float64       `json:"seconds"`
}

// Run retrains, decides and (when the challenger wins) promotes.
func Run(ctx context.Context, o Options) (Report, error) {
	start := time.Now()
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Metric == "" {
		return Report{}, errors.New("retrain: no metric to compare by (e.g. model.auc)")
	}
	for _, s := range o.Sets {
		if strings.HasPrefix(strings.TrimSpace(s), "model.") {
			return Report{}, fmt.Errorf("retrain: %q changes the model; a challenger is the champion's model on new data", s)
		}
	}
	champ, err := Current(o.Champion)
	if err != nil {
		return Report{}, fmt.Errorf("retrain: champion: %w", err)
	}
	raw, err := os.ReadFile(filepath.Join(champ, "config.json"))
	if err != nil {
		return Report{}, fmt.Errorf("retrain: champion %s: %w", champ, err)
	}
	load := o.Load
	if load == nil {
		load = func(sets []string) (experiments.Config, error) { return experiments.Parse(raw, sets) }
	}
	cfg, err := load(o.Sets)
	if err != nil {
		return Report{}, fmt.Errorf("retrain: the challenger's config with %v: %w", o.Sets, err)
	}
	old, err := experiments.Parse(raw, nil)
	if err != nil {
		return Report{}, err
	}
	if o.Out == "" {
		o.Out = filepath.Join(releasesDir(o.Champion), fmt.Sprintf("%s-%s", cfg.Name, o.Now().UTC().Format("20060102")))
	}
	rep := Report{ChampionDir: champ, ChallengerDir: o.Out, Metric: o.Metric, Margin: o.Margin}
	if abs, _ := filepath.Abs(o.Out); abs == champ {
		rep.Decision, rep.Reason = Kept, "the challenger of this window already serves"
		return rep, nil
	}
	o.Log.Info("retrain: challenger", "out", o.Out, "sets", strings.Join(o.Sets, " "))
	if _, err := experiments.Run(ctx, cfg, experiments.RunOptions{Out: o.Out, Log: o.Log, Progress: o.Progress,
		Registry: o.Registry, Kind: registry.KindRetrain}); err != nil {
		return rep, fmt.Errorf("retrain: challenger: %w", err)
	}
	champOut := filepath.Join(o.Out, "champion")
	o.Log.Info("retrain: scoring the champion on the new window", "champion", champ, "out", champOut)
	if _, err := experiments.EvaluateOn(ctx, champ, cfg, experiments.RunOptions{Out: champOut, Log: o.Log}); err != nil {
		return rep, fmt.Errorf("retrain: champion on the new data: %w", err)
	}
	if rep.ChampionValue, err = metric(champOut, o.Metric); err != nil {
		return rep, err
	}
	if rep.ChallengerValue, err = metric(o.Out, o.Metric); err != nil {
		return rep, err
	}
	if rep.Drift, err = driftTests(ctx, old, cfg, champ, champOut, o); err != nil {
		return rep, err
	}
	rep.Decision, rep.Reason = decide(rep, o.Minimize)
	if rep.Decision == Promoted {
		if err := adopt(o.Champion); err != nil {
			return rep, fmt.Errorf("retrain: %w", err)
		}
		if err := swap(o.Champion, o.Out); err != nil {
			return rep, fmt.Errorf("retrain: promote: %w", err)
		}
		if err := stamp(o.Out); err != nil {
			return rep, err
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	b, _ := json.MarshalIndent(rep, "", "  ")
	if err := os.WriteFile(filepath.Join(o.Out, "retrain.json"), append(b, '\n'), 0o644); err != nil {
		return rep, err
	}
	return rep, record(ctx, o, rep)
}

// decide promotes when the challenger beats the champion by the margin
// and no drift test alarms.
func decide(r Report, minimize bool) (Decision, string) {
	for _, d := range r.Drift {
		if d.Level == drift.LevelAlarm {
			return Kept, fmt.Sprintf("drift alarm on %s (%s %.3f)", d.Feature, d.Test, d.Value)
		}
	}
	gain := r.ChallengerValue - r.ChampionValue
	if minimize {
		gain = -gain
	}
	if math.IsNaN(gain) || gain < r.Margin {
		return Kept, fmt.Sprintf("the challenger's %s %.4f does not beat the champion's %.4f by %g", r.Metric, r.ChallengerValue, r.ChampionValue, r.Margin)
	}
	return Promoted, fmt.Sprintf("the challenger's %s %.4f beats the champion's %.4f by %.4f (margin %g), no drift alarm",
		r.Metric, r.ChallengerValue, r.ChampionValue, gain, r.Margin)
}

// metric reads key from dir/metrics.json.
func metric(dir, key string) (float64, error) {
	b, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if err != nil {
		return 0, err
	}
	m, err := registry.FlattenMetrics(b)
	if err != nil {
		return 0, err
	}
	v, ok := m[key]
	if !ok {
		return 0, fmt.Errorf("retrain: %s/metrics.json has no number %q", dir, key)
	}
	return v, nil
}

// record writes the decision to the registry.
func record(ctx context.Context, o Options, r Report) error {
	if o.Registry == nil {
		return nil
	}
	served, _ := filepath.Abs(o.Champion)
	action := registry.ActionKeep
	if r.Decision == Promoted {
		action = registry.ActionPromote
	}
	var runID int64
	if runs, err := o.Registry.ListRuns(ctx, registry.Filter{Kind: registry.KindRetrain, Limit: 1, Desc: true}); err == nil && len(runs) > 0 {
		if abs, _ := filepath.Abs(r.ChallengerDir); runs[0].OutDir == abs {
			runID = runs[0].ID
		}
	}
	_, err := o.Registry.RecordPromotion(ctx, registry.Promotion{ModelDir: served, RunID: runID, Action: action, Reason: r.Reason})
	return err
}
