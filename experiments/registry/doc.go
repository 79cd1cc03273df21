// Package registry records vigil's experiment runs, sweep trials and
// model promotions in a SQL database, so that researchers can list,
// compare and pick the best runs, and so that many workers, on one
// machine or many, can share one registry.
//
// # DSN forms
//
// Open picks the engine from the DSN:
//
//	""                           a private in-memory SQLite database (tests, dry runs)
//	"runs/registry.db"           a SQLite file; its directory is created if missing
//	"sqlite:///abs/registry.db"  the same, as a URL ("sqlite://rel.db" is relative)
//	"postgres://user@host/db"    PostgreSQL (also "postgresql://"); the query string
//	                             takes libpq/pgx settings such as sslmode or search_path
//
// SQLite uses the pure-Go modernc.org/sqlite driver, so vigil stays cgo-free.
// Every SQLite connection runs in WAL mode with foreign keys on, a 30 s
// busy_timeout (writers in other processes wait rather than fail with
// "database is locked") and BEGIN IMMEDIATE transactions. PostgreSQL is
// reached through pgx's database/sql driver (postgres.go).
//
// # Schema
//
// One schema serves both engines: TEXT, BIGINT and DOUBLE PRECISION
// columns, auto-increment ids spelled per dialect, and queries written
// with '?' placeholders that dialect.rebind rewrites for PostgreSQL.
// Instants are fixed-width UTC text ("2006-01-02T15:04:05.000000Z"), so
// string order is time order in both engines.
//
//	schema_migrations (version, name, applied_at)
//	sweeps     (id, name, spec_json, objective, direction, status, created_at)
//	runs       (id, name, kind, sweep_id → sweeps, trial_number, config_json,
//	            config_hash, git_commit, device, host, status, started_at,
//	            ended_at, heartbeat_at, error, out_dir); UNIQUE (sweep_id, trial_number)
//	metrics    (run_id → runs, key, value); PRIMARY KEY (run_id, key)
//	curves     (run_id → runs, unit, step, epoch, key, value)
//	artifacts  (run_id → runs, name, uri); PRIMARY KEY (run_id, name)
//	promotions (id, model_dir, run_id → runs, action, reason, at)
//
// Run kinds are run, trial and retrain; statuses are pending (a trial not
// yet claimed), running, complete, failed, pruned and killed. Metric keys
// are dotted paths into metrics.json, as FlattenMetrics makes them
// ("pooled.model.auc").
//
// # Migrations
//
// Open applies the missing migrations, in one transaction, and records
// each in schema_migrations; opening an up-to-date database changes
// nothing, and one written by a newer vigil is refused with
// ErrSchemaTooNew. Concurrent openers serialize on the transaction (BEGIN
// IMMEDIATE on SQLite, plus pg_advisory_xact_lock on PostgreSQL), so a
// migration is applied once.
//
// # Liveness
//
// A worker calls Heartbeat while its run is live. A worker that is killed
// leaves its run "running"; ReapStale marks runs whose last heartbeat is
// older than a threshold as failed. Sweep workers take trials with
// ClaimTrial, which hands each pending trial to exactly one caller.
package registry
