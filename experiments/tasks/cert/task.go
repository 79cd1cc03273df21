package cert

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/vigil-ml/vigil/datasets/cert"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/tabular"
	"github.com/vigil-ml/vigil/models"
)

// Task is the insider-threat task; it fits its own pipelines (tabular.Fitter).
type Task struct{ tabular.Fitter }

// New returns the task.
func New() Task { return Task{Fitter: tabular.Fitter{Load: load}} }

func (Task) Name() string             { return "cert" }
func (Task) Sections() map[string]any { return sections() }
func (Task) DefaultKind() string      { return "" }
func (Task) Input(m map[string]any) (models.Input, error) {
	_, err := decode(m)
	return models.Input{}, err
}

// load reads (or generates and reads) the release and builds the table.
func load(ctx context.Context, m map[string]any, env tasks.Env) (tabular.Config, *tabular.Table, tabular.Info, error) {
	c, err := decode(m)
	if err != nil {
		return c.tabular, nil, tabular.Info{}, err
	}
	d := c.data
	dir, note := d.Dir, "CERT r4.2 from "+d.Dir
	if d.Source == "generate" {
		tmp, err := os.MkdirTemp("", "vigil-cert")
		if err != nil {
			return c.tabular, nil, tabular.Info{}, err
		}
		defer os.RemoveAll(tmp)
		seed := d.Seed
		if seed == 0 {
			seed = env.Seed
		}
		gc := cert.GenConfig{Users: d.Users, Days: d.Days, Scenario1: neg(d.Scenario1), Scenario2: neg(d.Scenario2), Scenario3: neg(d.Scenario3),
			DeviceUsers: share(d.DeviceUsers), Leavers: share(d.Leavers)}
		env.Log.Info("cert: generating", "users", d.Users, "days", d.Days, "insiders", d.Scenario1+d.Scenario2+d.Scenario3)
		rep, err := cert.Generate(tmp, gc, rand.New(rand.NewPCG(seed, 0x6365727434)))
		if err != nil {
			return c.tabular, nil, tabular.Info{}, fmt.Errorf("cert: generate: %w", err)
		}
		dir = tmp
		note = fmt.Sprintf("Synthetic data in CERT r4.2's layout (datasets/cert's generator, seed %d): %d users over %d days, %d insiders (scenarios 1-3: %d, %d, %d), %.0f%% of users with removable drives, %.0f%% leavers, %d web visits. CERT r4.2 itself is not redistributed; see the README for obtaining it.",
			seed, d.Users, d.Days, len(rep.Insiders), d.Scenario1, d.Scenario2, d.Scenario3, 100*d.DeviceUsers, 100*d.Leavers, rep.Rows[cert.KindHTTP])
	}
	if err := ctx.Err(); err != nil {
		return c.tabular, nil, tabular.Info{}, err
	}
	fc := cert.FeatureConfig{PerWeek: c.features.PerWeek, ClipPercent: c.features.ClipPercent, Answers: d.Answers,
		Read: &cert.Options{Lenient: d.Lenient}}
	if c.features.Ops == "seed" {
		fc.Ops = cert.SeedOps()
	}
	if c.features.Days == "all" {
		fc.Days = cert.AllDays
	}
	if fc.ClipPercent == 0 {
		fc.ClipPercent = -1
	}
	env.Log.Info("cert: features", "dir", dir, "per_week", fc.PerWeek, "ops", c.features.Ops)
	rows, err := cert.Features(dir, fc)
	if err != nil {
		return c.tabular, nil, tabular.Info{}, fmt.Errorf("cert: features: %w", err)
	}
	t := &tabular.Table{Features: cert.FeatureNames(fc.Ops)}
	for _, r := range rows {
		id := r.User
		if c.features.PerWeek {
			id = r.User + "@" + r.Week.Format("2006-01-02")
		}
		t.X = append(t.X, r.Values)
		t.Y = append(t.Y, r.Insider)
		t.Groups = append(t.Groups, r.User)
		t.IDs = append(t.IDs, id)
	}
	unit := "user"
	if c.features.PerWeek {
		unit = "user-week"
	}
	info := tabular.Info{Task: "cert", Title: "vigil: insider threat on CERT (" + env.Name + ")",
		Notes: []string{note, fmt.Sprintf("One row per %s: %d features (per operation, weekdays and weekends apart: daily counts and the day's first and last time and their span, each by mean, max and min), %s, missing values filled with the column mean. Folds never split a user.",
			unit, len(t.Features), clipNote(c.features.ClipPercent))},
		Published: []tabular.Published{
			{Name: "G-SMOTE + Biased-SVM", Source: "seed, CERT r4.2, 10-fold CV tuned on its test folds", Precision: 0.785, Recall: 0.843, F1: 0.813},
		}}
	return c.tabular, t, info, nil
}

// neg maps the config's 0 (none) to the generator's negative (none).
func neg(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// share maps the config's 0 (none) to the generator's negative (none).
func share(x float64) float64 {
	if x == 0 {
		return -1
	}
	return x
}

// clipNote describes the clipping of the features.
func clipNote(p float64) string {
	if p <= 0 {
		return "not clipped"
	}
	return fmt.Sprintf("each column clipped to its %g and %g percentiles", p, 100-p)
}
