package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" database/sql driver
)

// Errors callers can test for with errors.Is.
var (
	// ErrNotFound: no run, sweep or matching row.
	ErrNotFound = errors.New("registry: not found")
	// ErrNotRunning: a heartbeat or finish for a run that is no longer
	// running, e.g. one ReapStale already marked failed.
	ErrNotRunning = errors.New("registry: run is not running")
	// ErrSchemaTooNew: the database was migrated by a newer vigil.
	ErrSchemaTooNew = errors.New("registry: database schema is newer than this vigil")
)

// sqliteBusyTimeoutMS is how long a SQLite writer waits for another
// process's write lock before failing with "database is locked".
const sqliteBusyTimeoutMS = 30000

// Registry is a handle on one run registry database. It is safe for
// concurrent use; several processes may open the same database.
type Registry struct {
	db      *sql.DB
	dialect dialect
	now     func() time.Time
}

// Option configures Open.
type Option func(*Registry)

// WithClock makes the registry read the time from now instead of
// time.Now; tests use it to age heartbeats. The zero value (no option)
// is time.Now.
func WithClock(now func() time.Time) Option {
	return func(r *Registry) { r.now = now }
}

// Open opens the registry named by dsn, creating or upgrading its schema.
// See the package documentation for the DSN forms.
func Open(dsn string, opts ...Option) (*Registry, error) {
	return OpenContext(context.Background(), dsn, opts...)
}

// OpenContext is Open with a context bounding the connection and the
// schema migration.
func OpenContext(ctx context.Context, dsn string, opts ...Option) (*Registry, error) {
	r, err := connect(dsn, opts...)
	if err != nil {
		return nil, err
	}
	if err := r.migrate(ctx, SchemaVersion); err != nil {
		return nil, errors.Join(err, r.db.Close())
	}
	return r, nil
}

// connect opens the database without touching its schema.
func connect(dsn string, opts ...Option) (*Registry, error) {
	r := &Registry{now: time.Now}
	for _, o := range opts {
		o(r)
	}
	var err error
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		r.dialect = postgres
		r.db, err = openPostgres(dsn)
	default:
		r.dialect = sqlite
		r.db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// openSQLite opens a file ("path", "sqlite:///abs/path", "sqlite://rel/path")
// or, for "", a private in-memory database.
func openSQLite(dsn string) (*sql.DB, error) {
	path := strings.TrimPrefix(dsn, "sqlite://")
	params := "_busy_timeout=" + strconv.Itoa(sqliteBusyTimeoutMS) +
		"&_foreign_keys=1&_txlock=immediate"
	if path == "" {
		// One connection, kept forever: an in-memory database lives and
		// dies with its connection.
		db, err := sql.Open("sqlite", ":memory:?"+params)
		if err != nil {
			return nil, fmt.Errorf("registry: open in-memory sqlite: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetConnMaxIdleTime(0)
		db.SetConnMaxLifetime(0)
		return db, nil
	}
	if !strings.HasPrefix(path, "file:") { // leave SQLite URI filenames alone
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("registry: create directory for %s: %w", path, err)
		}
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	params += "&_journal_mode=WAL&_synchronous=NORMAL"
	db, err := sql.Open("sqlite", path+sep+params)
	if err != nil {
		return nil, fmt.Errorf("registry: open sqlite %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database handle.
func (r *Registry) Close() error { return r.db.Close() }

// dialect is the SQL flavour of the open database.
type dialect int

const (
	sqlite dialect = iota
	postgres
)

// rebind rewrites the '?' placeholders every query in this package is
// written with into the dialect's form ($1, $2, ... on PostgreSQL).
// Question marks inside single-quoted literals are left alone.
func (d dialect) rebind(q string) string {
	if d != postgres {
		return q
	}
	var b strings.Builder
	n, quoted := 0, false
	for _, c := range q {
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (r *Registry) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	return q.ExecContext(ctx, r.dialect.rebind(query), args...)
}

func (r *Registry) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, r.dialect.rebind(query), args...)
}

func (r *Registry) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, r.dialect.rebind(query), args...)
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE on SQLite) and
// commits it, or rolls back if fn fails.
func (r *Registry) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("registry: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("registry: commit: %w", err)
	}
	return nil
}

// timeLayout stores instants as fixed-width UTC text, so that string
// comparison in SQL is time comparison in both dialects.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func (r *Registry) stamp() string { return formatTime(r.now()) }

// parseTime reads a stored instant; NULL is the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("registry: bad stored time %q: %w", s.String, err)
	}
	return t, nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}
