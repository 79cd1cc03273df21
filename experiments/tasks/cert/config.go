// Package cert is the insider-threat task on CERT r4.2 (or data the
// generator of datasets/cert writes in its layout): one row of features
// per user (or user-week), labelled by the answer key, and the tabular
// protocol's pipelines compared on them: G-SMOTE + Biased-SVM and its
// ablations.
package cert

import (
	"errors"
	"fmt"

	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/tabular"
)

// Data is the data: section.
type Data struct {
	// Source is "generate" (a synthetic release in r4.2's layout, written
	// to a temporary folder) or "dir" (a release on disk: Dir).
	Source string `mapstructure:"source" json:"source"`
	// Dir is the release's folder: logon.csv ... http.csv, LDAP/ and
	// answers/insiders.csv.
	Dir string `mapstructure:"dir" json:"dir"`
	// Answers is the answer key's path; "" = <dir>/answers/insiders.csv.
	Answers string `mapstructure:"answers" json:"answers"`
	// The generator's size: users, days, and insiders of scenarios 1-3.
	Users     int `mapstructure:"users" json:"users"`
	Days      int `mapstructure:"days" json:"days"`
	Scenario1 int `mapstructure:"scenario1" json:"scenario1"`
	Scenario2 int `mapstructure:"scenario2" json:"scenario2"`
	Scenario3 int `mapstructure:"scenario3" json:"scenario3"`
	// DeviceUsers is the share of ordinary users who use removable drives,
	// Leavers the share who leave during the period: both make ordinary
	// users look like insiders (hard negatives).
	DeviceUsers float64 `mapstructure:"device_users" json:"device_users"`
	Leavers     float64 `mapstructure:"leavers" json:"leavers"`
	// Seed seeds the generator (0: the experiment's seed).
	Seed uint64 `mapstructure:"seed" json:"seed"`
	// Lenient skips malformed rows (counted) instead of failing on the first.
	Lenient bool `mapstructure:"lenient" json:"lenient"`
}

// Features is the features: section.
type Features struct {
	// Ops is "all" (every operation: 168 columns) or "seed" (the 96 columns
	// of the seed's subset).
	Ops string `mapstructure:"ops" json:"ops"`
	// PerWeek gives one row per user-week instead of one per user (weeks
	// overlapping an insider's activity are positive).
	PerWeek bool `mapstructure:"per_week" json:"per_week"`
	// Days is the basis of the daily counts: "active" (days with an event)
	// or "all" (every day of the period).
	Days string `mapstructure:"days" json:"days"`
	// ClipPercent clips each column to its p-th and (100-p)-th percentiles;
	// negative: no clipping.
	ClipPercent float64 `mapstructure:"clip_percent" json:"clip_percent"`
}

// sections are the task's sections with their defaults: the scale of
// r4.2 (1,000 users; 30, 30 and 10 insiders of scenarios 1-3).
func sections() map[string]any {
	m := tabular.Sections()
	m["data"] = &Data{Source: "generate", Users: 1000, Days: 120, Scenario1: 30, Scenario2: 30, Scenario3: 10, DeviceUsers: 0.25, Leavers: 0.02}
	m["features"] = &Features{Ops: "all", Days: "active", ClipPercent: 1}
	return m
}

type config struct {
	data     *Data
	features *Features
	tabular  tabular.Config
}

func decode(m map[string]any) (config, error) {
	var c config
	var err error
	if c.data, err = tasks.Section[Data](m, "data"); err != nil {
		return c, err
	}
	if c.features, err = tasks.Section[Features](m, "features"); err != nil {
		return c, err
	}
	var errs []error
	if c.tabular, err = tabular.FromSections(m); err != nil {
		errs = append(errs, err)
	}
	d := c.data
	switch d.Source {
	case "generate":
		if d.Users < 10 || d.Users > 5000 {
			errs = append(errs, fmt.Errorf("data.users: %d is not in [10, 5000]", d.Users))
		}
		if !(d.DeviceUsers >= 0 && d.DeviceUsers <= 1) || !(d.Leavers >= 0 && d.Leavers <= 1) {
			errs = append(errs, fmt.Errorf("data.device_users, data.leavers: %v, %v must be shares in [0, 1]", d.DeviceUsers, d.Leavers))
		}
		if d.Days < 42 {
			errs = append(errs, fmt.Errorf("data.days: %d is fewer than 42 (insiders need six weeks)", d.Days))
		}
		if d.Scenario1 < 0 || d.Scenario2 < 0 || d.Scenario3 < 0 || d.Scenario1+d.Scenario2+d.Scenario3 == 0 {
			errs = append(errs, errors.New("data.scenario1..3: at least one insider, none negative"))
		} else if 3*(d.Scenario1+d.Scenario2+d.Scenario3) > d.Users {
			errs = append(errs, fmt.Errorf("data: %d insiders are more than a third of %d users", d.Scenario1+d.Scenario2+d.Scenario3, d.Users))
		}
	case "dir":
		if d.Dir == "" {
			errs = append(errs, errors.New("data.dir: name the r4.2 folder (logon.csv, device.csv, file.csv, email.csv, http.csv, LDAP/, answers/)"))
		}
	default:
		errs = append(errs, fmt.Errorf("data.source: %q is not generate or dir", d.Source))
	}
	f := c.features
	if f.Ops != "all" && f.Ops != "seed" {
		errs = append(errs, fmt.Errorf("features.ops: %q is not all or seed", f.Ops))
	}
	if f.Days != "active" && f.Days != "all" {
		errs = append(errs, fmt.Errorf("features.days: %q is not active or all", f.Days))
	}
	if f.ClipPercent > 50 {
		errs = append(errs, fmt.Errorf("features.clip_percent: %v is above 50", f.ClipPercent))
	}
	return c, errors.Join(errs...)
}
