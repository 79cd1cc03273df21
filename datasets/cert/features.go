package cert

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// DayBasis says over which days the daily counts are summarised.
type DayBasis int

const (
	// ActiveDays summarises counts over the user's active days of the
	// day type in the period: days with at least one event of the user in
	// the files read. A day at work without the op counts as 0.
	ActiveDays DayBasis = iota
	// AllDays summarises counts over every calendar day of the day type
	// from the user's first to last event day (the days of employment as
	// the data shows them) within the period; days away count as 0.
	AllDays
)

// FeatureConfig configures Features. The zero value gives the 168
// per-user columns of AllOps over active days, clipped at the 1st and 99th
// percentiles, missing values filled with column means, labelled from
// <dir>/answers/insiders.csv when it exists.
type FeatureConfig struct {
	// Ops are the operations, in column order; AllOps when nil. SeedOps
	// gives the 96 columns of SeedFeatureNames. Only the files the ops
	// need are read.
	Ops []Op
	// PerWeek gives one row per user and week (Monday to Sunday) in which
	// the user has an active day, instead of one row per user.
	PerWeek bool
	// Days is the basis of the count statistics; ActiveDays when zero.
	Days DayBasis
	// ClipPercent p clips each column to its p-th and (100-p)-th
	// percentiles across rows (linear interpolation between order
	// statistics, missing values left out), before missing values are
	// filled. 1 when zero; a negative value disables clipping; at most 50.
	ClipPercent float64
	// KeepMissing leaves missing values as NaN instead of filling them
	// with the column's mean.
	KeepMissing bool
	// Answers is the path of the answer key. When "", it is
	// <dir>/answers/insiders.csv, and rows are unlabelled if that file
	// does not exist; a path given must exist.
	Answers string
	// Read configures the readers (Lenient, MaxRowBytes, and Release for
	// the answer key); nil means the defaults.
	Read *Options
}

// UserFeatures is one row of Features.
type UserFeatures struct {
	User string
	// Week is Monday 00:00 UTC of the row's week with PerWeek; zero
	// otherwise.
	Week time.Time
	// ActiveDays counts the days of the row's period on which the user
	// has an event in the files read.
	ActiveDays int
	// Insider marks a user of the answer key (the release of
	// FeatureConfig.Read); with PerWeek, only the weeks that overlap the
	// insider's [start, end]. Scenario is its scenario, 0 if not marked.
	Insider  bool
	Scenario int
	Values   []float64 // in FeatureNames(Ops) order
}

// Features computes per-user (or per-user-week) behaviour features from a
// CERT release directory, after the insider-threat seed: for each op and
// day type (weekday Monday to Friday, weekend Saturday and Sunday), the
// mean, max and min over the period of
//
//   - count: the number of the op's events per day, over the days chosen
//     by FeatureConfig.Days (active days by default; zero when there are
//     none, so counts are never missing);
//   - start: the hour (a float, 13.5 is 13:30) of the day's first event
//     of the op, over the days with the op;
//   - end: the hour of the day's last event of the op;
//   - duration: end − start, in hours.
//
// Days are calendar days of the recorded wall clock; events after
// midnight belong to the next day. A user with no day of the op on a day
// type has its start, end and duration missing: after clipping (see
// FeatureConfig.ClipPercent) each missing value takes the mean of its
// column over the rows that have it (0 when none does). See FeatureNames
// for the column order; AllOps gives 7 × 24 = 168 columns.
//
// Each event file the ops need is streamed once; memory grows with users ×
// days of data, not with events. Rows come sorted by user, then week.
func Features(dir string, cfg FeatureConfig) ([]UserFeatures, error) {
	ops := cfg.Ops
	if ops == nil {
		ops = AllOps()
	}
	for _, op := range ops {
		if op < 0 || op >= numOps {
			return nil, fmt.Errorf("cert: unknown op %d", int(op))
		}
	}
	clip := cfg.ClipPercent
	switch {
	case clip == 0:
		clip = 1
	case clip > 50 || math.IsNaN(clip):
		return nil, fmt.Errorf("cert: ClipPercent %v above 50", cfg.ClipPercent)
	}
	labels, err := loadLabels(dir, cfg)
	if err != nil {
		return nil, err
	}
	var wanted [numOps]bool
	var kinds []Kind
	for _, op := range ops {
		wanted[op] = true
		if k := op.Kind(); !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	acc := newAccumulator(wanted)
	for _, k := range kinds {
		if _, err := ReadEvents(filepath.Join(dir, k.FileName()), k, cfg.Read, acc.add); err != nil {
			return nil, err
		}
	}
	rows := acc.rows(ops, cfg.PerWeek, cfg.Days, labels)
	if clip > 0 {
		clipColumns(rows, clip)
	}
	if !cfg.KeepMissing {
		fillMissing(rows)
	}
	return rows, nil
}

// loadLabels reads the answer key named by cfg, by user.
func loadLabels(dir string, cfg FeatureConfig) (map[string][]Insider, error) {
	path := cfg.Answers
	if path == "" {
		path = filepath.Join(dir, "answers", "insiders.csv")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	ins, err := ReadInsiders(path, cfg.Read)
	if err != nil {
		return nil, err
	}
	m := map[string][]Insider{}
	for _, in := range ins {
		m[in.User] = append(m[in.User], in)
	}
	return m, nil
}
