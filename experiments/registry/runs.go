package registry

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Kind says what produced a run.
type Kind string

// The run kinds.
const (
	KindRun     Kind = "run"     // a plain training run
	KindTrial   Kind = "trial"   // one trial of a sweep
	KindRetrain Kind = "retrain" // a scheduled retrain of a served model
)

// Status is a run's lifecycle state.
type Status string

// The run statuses. Pending and running are live; the rest are final.
const (
	StatusPending  Status = "pending"  // a sweep trial not yet claimed
	StatusRunning  Status = "running"  // claimed or started, heartbeating
	StatusComplete Status = "complete" // finished normally
	StatusFailed   Status = "failed"   // errored, or reaped for lack of heartbeat
	StatusPruned   Status = "pruned"   // stopped early by a sweep pruner
	StatusKilled   Status = "killed"   // stopped by a person or signal
)

func (s Status) final() bool {
	switch s {
	case StatusComplete, StatusFailed, StatusPruned, StatusKilled:
		return true
	}
	return false
}

// RunInfo is what a worker knows when a run starts.
type RunInfo struct {
	Name string
	Kind Kind // zero value: KindRun
	// SweepID is the owning sweep, 0 for none. TrialNumber is stored
	// only when SweepID is set; trial numbers are unique per sweep.
	SweepID     int64
	TrialNumber int
	ConfigJSON  json.RawMessage
	// ConfigHash identifies the config; zero value: the hex SHA-256 of
	// ConfigJSON (empty when ConfigJSON is empty).
	ConfigHash string
	Commit     string // source revision, e.g. a git commit
	Device     string // e.g. "cpu", "cuda:0"
	Host       string
	OutDir     string // the run's output directory
}

// Run is one recorded run.
type Run struct {
	ID int64
	RunInfo
	Status Status
	// StartedAt, EndedAt and HeartbeatAt are UTC; zero when unset
	// (a pending trial has none, a live run no EndedAt).
	StartedAt   time.Time
	EndedAt     time.Time
	HeartbeatAt time.Time
	Error       string
	// Metrics holds the run's scalar metrics: all of them from GetRun,
	// only the ordering key from ListRuns and Best.
	Metrics   map[string]float64
	Artifacts []Artifact // from GetRun only
}

// Artifact is a named file or object a run produced.
type Artifact struct {
	Name string
	URI  string
}

// CurvePoint is one logged value of a training curve.
type CurvePoint struct {
	// Unit names the x-axis the point was logged on: "step" or "epoch".
	Unit  string
	Step  int64
	Epoch int64
	Key   string // e.g. "train.loss"
	Value float64
}

func (info *RunInfo) normalize() error {
	if info.Kind == "" {
		info.Kind = KindRun
	}
	switch info.Kind {
	case KindRun, KindTrial, KindRetrain:
	default:
		return fmt.Errorf("registry: unknown run kind %q", info.Kind)
	}
	if info.ConfigHash == "" && len(info.ConfigJSON) > 0 {
		sum := sha256.Sum256(info.ConfigJSON)
		info.ConfigHash = hex.EncodeToString(sum[:])
	}
	return nil
}

// insertRun records info with the given status; live runs get their
// start and heartbeat stamped now.
func (r *Registry) insertRun(ctx context.Context, info RunInfo, status Status) (int64, error) {
	if err := info.normalize(); err != nil {
		return 0, err
	}
	var sweep, trial any
	if info.SweepID != 0 {
		sweep, trial = info.SweepID, info.TrialNumber
	}
	var started any
	if status == StatusRunning {
		started = r.stamp()
	}
	var id int64
	err := r.queryRow(ctx, r.db, `INSERT INTO runs (name, kind, sweep_id, trial_number, config_json,
		config_hash, git_commit, device, host, status, started_at, heartbeat_at, out_dir)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		info.Name, string(info.Kind), sweep, trial, string(info.ConfigJSON), info.ConfigHash,
		info.Commit, info.Device, info.Host, string(status), started, started, info.OutDir).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("registry: insert run %q: %w", info.Name, err)
	}
	return id, nil
}

// StartRun records a new running run and returns its id.
func (r *Registry) StartRun(ctx context.Context, info RunInfo) (int64, error) {
	return r.insertRun(ctx, info, StatusRunning)
}

// Heartbeat stamps a running run as alive. It returns ErrNotRunning
// (wrapped) when the run has finished or was reaped, so a worker can
// stop, and ErrNotFound for an unknown id.
func (r *Registry) Heartbeat(ctx context.Context, id int64) error {
	res, err := r.exec(ctx, r.db, `UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'`,
		r.stamp(), id)
	if err != nil {
		return fmt.Errorf("registry: heartbeat run %d: %w", id, err)
	}
	return r.checkLive(ctx, res, id)
}

// FinishRun ends a pending or running run with a final status and an
// error text (empty on success). It returns ErrNotRunning (wrapped) if
// the run already ended, e.g. was reaped.
func (r *Registry) FinishRun(ctx context.Context, id int64, status Status, errText string) error {
	if !status.final() {
		return fmt.Errorf("registry: finish run %d: %q is not a final status", id, status)
	}
	now := r.stamp()
	res, err := r.exec(ctx, r.db, `UPDATE runs SET status = ?, ended_at = ?, heartbeat_at = ?, error = ?
		WHERE id = ? AND status IN ('pending', 'running')`, string(status), now, now, errText, id)
	if err != nil {
		return fmt.Errorf("registry: finish run %d: %w", id, err)
	}
	return r.checkLive(ctx, res, id)
}

// checkLive turns "no row updated" into ErrNotFound or ErrNotRunning.
func (r *Registry) checkLive(ctx context.Context, res sql.Result, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("registry: run %d: %w", id, err)
	}
	if n > 0 {
		return nil
	}
	var status string
	err = r.queryRow(ctx, r.db, `SELECT status FROM runs WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("registry: run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("registry: run %d: %w", id, err)
	}
	return fmt.Errorf("registry: run %d is %s: %w", id, status, ErrNotRunning)
}

// AddMetrics stores scalar metrics for a run, replacing values already
// stored under the same keys. NaN cannot be stored (SQLite has no NaN);
// a map holding one is refused whole.
func (r *Registry) AddMetrics(ctx context.Context, id int64, metrics map[string]float64) error {
	keys := make([]string, 0, len(metrics))
	for k, v := range metrics {
		if math.IsNaN(v) {
			return fmt.Errorf("registry: run %d: metric %q is NaN", id, k)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys) // a fixed order keeps concurrent writers from deadlocking
	return r.inTx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := r.exec(ctx, tx, `INSERT INTO metrics (run_id, key, value) VALUES (?, ?, ?)
				ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value`, id, k, metrics[k]); err != nil {
				return fmt.Errorf("registry: run %d: metric %q: %w", id, k, err)
			}
		}
		return nil
	})
}

// AddCurve appends curve points to a run. NaN values are refused.
func (r *Registry) AddCurve(ctx context.Context, id int64, points []CurvePoint) error {
	for _, p := range points {
		if math.IsNaN(p.Value) {
			return fmt.Errorf("registry: run %d: curve %q at step %d is NaN", id, p.Key, p.Step)
		}
	}
	return r.inTx(ctx, func(tx *sql.Tx) error {
		for _, p := range points {
			if _, err := r.exec(ctx, tx, `INSERT INTO curves (run_id, unit, step, epoch, key, value)
				VALUES (?, ?, ?, ?, ?, ?)`, id, p.Unit, p.Step, p.Epoch, p.Key, p.Value); err != nil {
				return fmt.Errorf("registry: run %d: curve %q: %w", id, p.Key, err)
			}
		}
		return nil
	})
}

// Curve returns a run's curve points for key ("" for every key), ordered
// by key, then step, then epoch.
func (r *Registry) Curve(ctx context.Context, id int64, key string) ([]CurvePoint, error) {
	rows, err := r.query(ctx, r.db, `SELECT unit, step, epoch, key, value FROM curves
		WHERE run_id = ? AND (? = '' OR key = ?) ORDER BY key, step, epoch`, id, key, key)
	if err != nil {
		return nil, fmt.Errorf("registry: curve of run %d: %w", id, err)
	}
	defer rows.Close()
	var out []CurvePoint
	for rows.Next() {
		var p CurvePoint
		if err := rows.Scan(&p.Unit, &p.Step, &p.Epoch, &p.Key, &p.Value); err != nil {
			return nil, fmt.Errorf("registry: curve of run %d: %w", id, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddArtifact records (or re-points) a named artifact of a run.
func (r *Registry) AddArtifact(ctx context.Context, id int64, name, uri string) error {
	_, err := r.exec(ctx, r.db, `INSERT INTO artifacts (run_id, name, uri) VALUES (?, ?, ?)
		ON CONFLICT (run_id, name) DO UPDATE SET uri = excluded.uri`, id, name, uri)
	if err != nil {
		return fmt.Errorf("registry: run %d: artifact %q: %w", id, name, err)
	}
	return nil
}

// runColumns is the column list scanRun reads, on a table aliased r.
const runColumns = `r.id, r.name, r.kind, r.sweep_id, r.trial_number, r.config_json, r.config_hash,
	r.git_commit, r.device, r.host, r.status, r.started_at, r.ended_at, r.heartbeat_at, r.error, r.out_dir`

type scanner interface{ Scan(dest ...any) error }

// scanRun reads runColumns plus any extra destinations.
func scanRun(s scanner, extra ...any) (Run, error) {
	var (
		run                       Run
		kind, status, config      string
		sweep, trial              sql.NullInt64
		started, ended, heartbeat sql.NullString
	)
	dest := []any{&run.ID, &run.Name, &kind, &sweep, &trial, &config, &run.ConfigHash,
		&run.Commit, &run.Device, &run.Host, &status, &started, &ended, &heartbeat, &run.Error, &run.OutDir}
	if err := s.Scan(append(dest, extra...)...); err != nil {
		return Run{}, err
	}
	run.Kind, run.Status = Kind(kind), Status(status)
	run.SweepID, run.TrialNumber = sweep.Int64, int(trial.Int64)
	if config != "" {
		run.ConfigJSON = json.RawMessage(config)
	}
	var err error
	if run.StartedAt, err = parseTime(started); err != nil {
		return Run{}, err
	}
	if run.EndedAt, err = parseTime(ended); err != nil {
		return Run{}, err
	}
	if run.HeartbeatAt, err = parseTime(heartbeat); err != nil {
		return Run{}, err
	}
	return run, nil
}

// GetRun returns a run with all its metrics and artifacts, or
// ErrNotFound (wrapped).
func (r *Registry) GetRun(ctx context.Context, id int64) (Run, error) {
	run, err := scanRun(r.queryRow(ctx, r.db, `SELECT `+runColumns+` FROM runs r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("registry: run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Run{}, fmt.Errorf("registry: run %d: %w", id, err)
	}
	if run.Metrics, err = r.metrics(ctx, id); err != nil {
		return Run{}, err
	}
	if run.Artifacts, err = r.artifacts(ctx, id); err != nil {
		return Run{}, err
	}
	return run, nil
}

func (r *Registry) metrics(ctx context.Context, id int64) (map[string]float64, error) {
	rows, err := r.query(ctx, r.db, `SELECT key, value FROM metrics WHERE run_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("registry: metrics of run %d: %w", id, err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var k string
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("registry: metrics of run %d: %w", id, err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (r *Registry) artifacts(ctx context.Context, id int64) ([]Artifact, error) {
	rows, err := r.query(ctx, r.db, `SELECT name, uri FROM artifacts WHERE run_id = ? ORDER BY name`, id)
	if err != nil {
		return nil, fmt.Errorf("registry: artifacts of run %d: %w", id, err)
	}
	defer rows.Close()
	var out []Artifact
	for rows.Next() {
		var a Artifact
		if err := rows.Scan(&a.Name, &a.URI); err != nil {
			return nil, fmt.Errorf("registry: artifacts of run %d: %w", id, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Filter selects and orders runs. Each zero field means "any".
type Filter struct {
	Name    string // exact run name
	Kind    Kind
	Status  Status
	SweepID int64
	Since   time.Time // runs started at or after Since (never-started trials drop out)
	Limit   int       // at most Limit runs; 0: no limit
	// MetricKey orders runs by that metric, runs without it last;
	// empty orders by id (start order).
	MetricKey string
	Desc      bool // descending order (highest metric or newest first)
}

// ListRuns returns the runs f selects, in f's order. Each run's Metrics
// holds only f.MetricKey, when set and present.
func (r *Registry) ListRuns(ctx context.Context, f Filter) ([]Run, error) {
	return r.listRuns(ctx, f, false)
}

// listRuns builds the query; requireMetric drops runs without f.MetricKey.
func (r *Registry) listRuns(ctx context.Context, f Filter, requireMetric bool) ([]Run, error) {
	var (
		q    strings.Builder
		args []any
	)
	q.WriteString(`SELECT ` + runColumns)
	if f.MetricKey != "" {
		join := "LEFT JOIN"
		if requireMetric {
			join = "JOIN"
		}
		q.WriteString(`, m.value FROM runs r ` + join + ` metrics m ON m.run_id = r.id AND m.key = ?`)
		args = append(args, f.MetricKey)
	} else {
		q.WriteString(` FROM runs r`)
	}
	q.WriteString(` WHERE 1 = 1`)
	cond := func(c string, v any) {
		q.WriteString(" AND " + c)
		args = append(args, v)
	}
	if f.Name != "" {
		cond("r.name = ?", f.Name)
	}
	if f.Kind != "" {
		cond("r.kind = ?", string(f.Kind))
	}
	if f.Status != "" {
		cond("r.status = ?", string(f.Status))
	}
	if f.SweepID != 0 {
		cond("r.sweep_id = ?", f.SweepID)
	}
	if !f.Since.IsZero() {
		cond("r.started_at >= ?", formatTime(f.Since))
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	if f.MetricKey != "" {
		// "IS NULL" sorts false before true in both dialects, which
		// disagree on where NULLs go by default.
		q.WriteString(` ORDER BY (m.value IS NULL), m.value` + dir + `, r.id ASC`)
	} else {
		q.WriteString(` ORDER BY r.id` + dir)
	}
	if f.Limit > 0 {
		q.WriteString(` LIMIT ?`)
		args = append(args, f.Limit)
	}

	rows, err := r.query(ctx, r.db, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("registry: list runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var (
			run    Run
			metric sql.NullFloat64
			err    error
		)
		if f.MetricKey != "" {
			run, err = scanRun(rows, &metric)
		} else {
			run, err = scanRun(rows)
		}
		if err != nil {
			return nil, fmt.Errorf("registry: list runs: %w", err)
		}
		if metric.Valid {
			run.Metrics = map[string]float64{f.MetricKey: metric.Float64}
		}
		out = append(out, run)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("registry: list runs: %w", err)
	}
	return out, nil
}

// Best returns the run within scope with the highest (maximize) or
// lowest metricKey, ties going to the earliest run, with all its metrics.
// scope's Status defaults to complete; its MetricKey, Desc and Limit are
// ignored. It returns ErrNotFound (wrapped) when no run has the metric.
func (r *Registry) Best(ctx context.Context, scope Filter, metricKey string, maximize bool) (Run, error) {
	if metricKey == "" {
		return Run{}, errors.New("registry: best: empty metric key")
	}
	if scope.Status == "" {
		scope.Status = StatusComplete
	}
	scope.MetricKey, scope.Desc, scope.Limit = metricKey, maximize, 1
	runs, err := r.listRuns(ctx, scope, true)
	if err != nil {
		return Run{}, err
	}
	if len(runs) == 0 {
		return Run{}, fmt.Errorf("registry: best by %q: %w", metricKey, ErrNotFound)
	}
	return r.GetRun(ctx, runs[0].ID)
}

// ReapStale marks every running run whose last heartbeat is older than
// olderThan as failed, with the error "no heartbeat since <time>", and
// returns their ids in increasing order. It is how runs of killed
// workers stop showing as running.
func (r *Registry) ReapStale(ctx context.Context, olderThan time.Duration) ([]int64, error) {
	now := r.now()
	rows, err := r.query(ctx, r.db, `UPDATE runs SET status = 'failed', ended_at = ?,
		error = 'no heartbeat since ' || COALESCE(heartbeat_at, started_at, 'never')
		WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?) RETURNING id`,
		formatTime(now), formatTime(now.Add(-olderThan)))
	if err != nil {
		return nil, fmt.Errorf("registry: reap stale runs: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("registry: reap stale runs: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("registry: reap stale runs: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}
