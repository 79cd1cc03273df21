package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Direction says whether a sweep's objective is maximized or minimized.
type Direction string

// The objective directions.
const (
	Maximize Direction = "maximize"
	Minimize Direction = "minimize"
)

// SweepStatus is a sweep's lifecycle state.
type SweepStatus string

// The sweep statuses.
const (
	SweepRunning  SweepStatus = "running"
	SweepComplete SweepStatus = "complete"
	SweepFailed   SweepStatus = "failed"
	SweepKilled   SweepStatus = "killed"
)

// SweepInfo describes a sweep when it is created.
type SweepInfo struct {
	Name      string
	SpecJSON  json.RawMessage // the sweep specification as given
	Objective string          // metric key trials are ranked by, e.g. "pooled.model.auc"
	Direction Direction       // zero value: Maximize
}

// Sweep is one recorded sweep.
type Sweep struct {
	ID int64
	SweepInfo
	Status    SweepStatus
	CreatedAt time.Time // UTC
}

// CreateSweep records a running sweep and returns its id.
func (r *Registry) CreateSweep(ctx context.Context, info SweepInfo) (int64, error) {
	if info.Direction == "" {
		info.Direction = Maximize
	}
	if info.Direction != Maximize && info.Direction != Minimize {
		return 0, fmt.Errorf("registry: sweep %q: unknown direction %q", info.Name, info.Direction)
	}
	var id int64
	err := r.queryRow(ctx, r.db, `INSERT INTO sweeps (name, spec_json, objective, direction, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, info.Name, string(info.SpecJSON), info.Objective,
		string(info.Direction), string(SweepRunning), r.stamp()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("registry: create sweep %q: %w", info.Name, err)
	}
	return id, nil
}

// GetSweep returns a sweep, or ErrNotFound (wrapped).
func (r *Registry) GetSweep(ctx context.Context, id int64) (Sweep, error) {
	var (
		s                       Sweep
		spec, direction, status string
		created                 sql.NullString
	)
	err := r.queryRow(ctx, r.db, `SELECT id, name, spec_json, objective, direction, status, created_at
		FROM sweeps WHERE id = ?`, id).Scan(&s.ID, &s.Name, &spec, &s.Objective, &direction, &status, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Sweep{}, fmt.Errorf("registry: sweep %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Sweep{}, fmt.Errorf("registry: sweep %d: %w", id, err)
	}
	if spec != "" {
		s.SpecJSON = json.RawMessage(spec)
	}
	s.Direction, s.Status = Direction(direction), SweepStatus(status)
	if s.CreatedAt, err = parseTime(created); err != nil {
		return Sweep{}, err
	}
	return s, nil
}

// SetSweepStatus changes a sweep's status.
func (r *Registry) SetSweepStatus(ctx context.Context, id int64, status SweepStatus) error {
	res, err := r.exec(ctx, r.db, `UPDATE sweeps SET status = ? WHERE id = ?`, string(status), id)
	if err != nil {
		return fmt.Errorf("registry: sweep %d: set status: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("registry: sweep %d: set status: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("registry: sweep %d: %w", id, ErrNotFound)
	}
	return nil
}

// AddTrial records trial number of a sweep as pending, for a worker to
// claim with ClaimTrial. info's SweepID and TrialNumber are overridden
// and its Kind defaults to KindTrial. Adding a number twice fails.
func (r *Registry) AddTrial(ctx context.Context, sweepID int64, number int, info RunInfo) (int64, error) {
	info.SweepID, info.TrialNumber = sweepID, number
	if info.Kind == "" {
		info.Kind = KindTrial
	}
	return r.insertRun(ctx, info, StatusPending)
}

// ClaimTrial atomically moves a pending trial to running for the worker
// on host and returns its run id. Of any number of concurrent claimers,
// across processes and machines, exactly one gets claimed == true; the
// others, and claims of unknown or already-claimed trials, get false
// with a nil error.
func (r *Registry) ClaimTrial(ctx context.Context, sweepID int64, number int, host string) (id int64, claimed bool, err error) {
	now := r.stamp()
	err = r.queryRow(ctx, r.db, `UPDATE runs SET status = 'running', started_at = ?, heartbeat_at = ?, host = ?
		WHERE sweep_id = ? AND trial_number = ? AND status = 'pending' RETURNING id`,
		now, now, host, sweepID, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("registry: claim trial %d of sweep %d: %w", number, sweepID, err)
	}
	return id, true, nil
}

// SweepTrials returns a sweep's trials in trial-number order, without
// metrics.
func (r *Registry) SweepTrials(ctx context.Context, sweepID int64) ([]Run, error) {
	rows, err := r.query(ctx, r.db, `SELECT `+runColumns+` FROM runs r WHERE r.sweep_id = ?
		ORDER BY r.trial_number, r.id`, sweepID)
	if err != nil {
		return nil, fmt.Errorf("registry: trials of sweep %d: %w", sweepID, err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		run, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("registry: trials of sweep %d: %w", sweepID, err)
		}
		out = append(out, run)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("registry: trials of sweep %d: %w", sweepID, err)
	}
	return out, nil
}
