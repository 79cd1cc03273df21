package registry

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Action is what a promotion decision did to a served model.
type Action string

// The promotion actions.
const (
	ActionPromote  Action = "promote"  // the candidate replaced the served model
	ActionKeep     Action = "keep"     // the served model stayed
	ActionRollback Action = "rollback" // an earlier model was restored
)

// Promotion is one decision about the model served from ModelDir.
type Promotion struct {
	ID       int64
	ModelDir string
	RunID    int64 // the run that produced the candidate; 0 for none
	Action   Action
	Reason   string
	At       time.Time // UTC; zero value on RecordPromotion: now
}

// RecordPromotion stores a promotion decision and returns its id.
func (r *Registry) RecordPromotion(ctx context.Context, p Promotion) (int64, error) {
	switch p.Action {
	case ActionPromote, ActionKeep, ActionRollback:
	default:
		return 0, fmt.Errorf("registry: promotion of %s: unknown action %q", p.ModelDir, p.Action)
	}
	at := p.At
	if at.IsZero() {
		at = r.now()
	}
	var run any
	if p.RunID != 0 {
		run = p.RunID
	}
	var id int64
	err := r.queryRow(ctx, r.db, `INSERT INTO promotions (model_dir, run_id, action, reason, at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, p.ModelDir, run, string(p.Action), p.Reason, formatTime(at)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("registry: record promotion of %s: %w", p.ModelDir, err)
	}
	return id, nil
}

// Promotions returns the decisions about modelDir, oldest first.
func (r *Registry) Promotions(ctx context.Context, modelDir string) ([]Promotion, error) {
	rows, err := r.query(ctx, r.db, `SELECT id, model_dir, run_id, action, reason, at FROM promotions
		WHERE model_dir = ? ORDER BY at, id`, modelDir)
	if err != nil {
		return nil, fmt.Errorf("registry: promotions of %s: %w", modelDir, err)
	}
	defer rows.Close()
	var out []Promotion
	for rows.Next() {
		var (
			p      Promotion
			run    sql.NullInt64
			action string
			at     sql.NullString
		)
		if err := rows.Scan(&p.ID, &p.ModelDir, &run, &action, &p.Reason, &at); err != nil {
			return nil, fmt.Errorf("registry: promotions of %s: %w", modelDir, err)
		}
		p.RunID, p.Action = run.Int64, Action(action)
		if p.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("registry: promotions of %s: %w", modelDir, err)
	}
	return out, nil
}
