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
	"slices"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/eval/compare"
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
	// Test, when set, also requires a paired statistical test on the two
	// models' scoring of the same new-window rows to favour the
	// challenger at level Alpha: "delong" (ROC AUC), "mcnemar" (accuracy
	// of the alarms) or "bootstrap-ap" (average precision); see
	// eval/compare. Both run directories must then hold holdout.json
	// (compare.Holdout), paired by id. Empty: the margin alone decides.
	Test string
	// Alpha is the test's one-sided significance level; 0 means 0.05.
	Alpha float64
	Drift DriftConfig
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
	// Test is the paired test's outcome when Options.Test is set: its
	// name, statistic, one-sided p-value, interval and level.
	Test *compare.Result `json:"test,omitempty"`
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
	if err := o.checkTest(); err != nil {
		return Report{}, err
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
	if rep.Drift, err = inputDriftTests(ctx, old, cfg, o); err != nil {
		return rep, err
	}
	if err := assess(o, &rep, champ, champOut); err != nil {
		return rep, err
	}
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

// checkTest validates o.Test and sets o.Alpha's default.
func (o *Options) checkTest() error {
	if o.Alpha == 0 {
		o.Alpha = compare.DefaultAlpha
	}
	if o.Test == "" {
		return nil
	}
	if !slices.Contains(compare.Tests, o.Test) {
		return fmt.Errorf("retrain: unknown test %q (want %s)", o.Test, strings.Join(compare.Tests, ", "))
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return fmt.Errorf("retrain: alpha %v outside (0, 1)", o.Alpha)
	}
	return nil
}

// assess reads what the challenger's run (o.Out) and the champion's
// scoring of the new window (champOut) hold, tests the champion's outputs
// for drift against its own run (champ), runs the paired test when
// o.Test is set, and decides. rep.Drift may already hold the input drift
// tests; the output tests are appended. Nothing is trained here, so the
// decision can be tested on files written by hand.
func assess(o Options, rep *Report, champ, champOut string) error {
	if err := o.checkTest(); err != nil {
		return err
	}
	rep.Metric, rep.Margin = o.Metric, o.Margin
	var err error
	if rep.ChampionValue, err = metric(champOut, o.Metric); err != nil {
		return err
	}
	if rep.ChallengerValue, err = metric(o.Out, o.Metric); err != nil {
		return err
	}
	out, err := outputDrift(champ, champOut, o.Drift)
	if err != nil {
		return err
	}
	rep.Drift = append(rep.Drift, out...)
	if rep.Test, err = pairedTest(o, champOut); err != nil {
		return err
	}
	rep.Decision, rep.Reason = decide(*rep, o.Minimize)
	return nil
}

// pairedTest runs o.Test on the champion's and the challenger's
// holdout.json, paired by id; nil when no test is asked for.
func pairedTest(o Options, champOut string) (*compare.Result, error) {
	if o.Test == "" {
		return nil, nil
	}
	read := func(role, dir string) (compare.Holdout, error) {
		h, err := compare.ReadHoldout(filepath.Join(dir, compare.HoldoutFile))
		if err != nil {
			return h, fmt.Errorf("retrain: the %s test needs the %s's hold-out scores: %w", o.Test, role, err)
		}
		return h, nil
	}
	chall, err := read("challenger", o.Out)
	if err != nil {
		return nil, err
	}
	champ, err := read("champion", champOut)
	if err != nil {
		return nil, err
	}
	r, err := compare.Compare(o.Test, champ, chall, o.Alpha)
	if err != nil {
		return nil, fmt.Errorf("retrain: %s (%s) against %s: %w", filepath.Join(o.Out, compare.HoldoutFile),
			o.Test, filepath.Join(champOut, compare.HoldoutFile), err)
	}
	return &r, nil
}

// testNames describe the tests in reasons.
var testNames = map[string]string{
	compare.TestDeLong:      "DeLong's test of the ROC AUCs",
	compare.TestMcNemar:     "McNemar's exact test of the alarms' accuracy",
	compare.TestBootstrapAP: "the paired bootstrap of the average precision",
}

// describeTest summarizes a test's outcome for a reason.
func describeTest(t *compare.Result) string {
	over := ""
	if t.Resamples > 0 {
		over = fmt.Sprintf(" over %d resamples", t.Resamples)
	}
	return fmt.Sprintf("%s (challenger - champion %+.4f, %g%% CI [%.4f, %.4f]): one-sided p = %.3g%s",
		testNames[t.Test], t.Difference, 100*(1-t.Alpha), t.CILo, t.CIHi, t.P, over)
}

// decide promotes when the challenger beats the champion by the margin,
// the paired test (if any) finds it better at its level, and no drift
// test alarms.
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
		reason := fmt.Sprintf("the challenger's %s %.4f does not beat the champion's %.4f by %g", r.Metric, r.ChallengerValue, r.ChampionValue, r.Margin)
		if r.Test != nil {
			reason += "; " + describeTest(r.Test)
		}
		return Kept, reason
	}
	beats := fmt.Sprintf("the challenger's %s %.4f beats the champion's %.4f by %.4f (margin %g)", r.Metric, r.ChallengerValue, r.ChampionValue, gain, r.Margin)
	if r.Test != nil {
		if !(r.Test.P < r.Test.Alpha) {
			return Kept, fmt.Sprintf("%s, but not significantly: %s, not below alpha %g", beats, describeTest(r.Test), r.Test.Alpha)
		}
		return Promoted, fmt.Sprintf("%s, %s < alpha %g, no drift alarm", beats, describeTest(r.Test), r.Test.Alpha)
	}
	return Promoted, beats + ", no drift alarm"
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
