package registry

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestSQLite(t *testing.T) {
	runSuite(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "registry.db") })
}

// TestSQLiteDSNForms opens each SQLite DSN form and checks the
// connection settings concurrent writers rely on.
func TestSQLiteDSNForms(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	abs := filepath.Join(dir, "nested", "abs.db")
	for _, tc := range []struct{ dsn, file string }{
		{filepath.Join(dir, "plain.db"), filepath.Join(dir, "plain.db")},
		{"sqlite://" + abs, abs}, // sqlite:///abs/path
	} {
		r := openT(t, tc.dsn)
		if _, err := os.Stat(tc.file); err != nil {
			t.Errorf("%s: %v", tc.dsn, err)
		}
		var journal string
		var busy, fk int
		must(t, r.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal))
		must(t, r.db.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy))
		must(t, r.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk))
		if journal != "wal" || busy != sqliteBusyTimeoutMS || fk != 1 {
			t.Errorf("%s: journal_mode %s, busy_timeout %d, foreign_keys %d", tc.dsn, journal, busy, fk)
		}
	}

	r := openT(t, "") // private in-memory database
	id, err := r.StartRun(ctx, RunInfo{Name: "mem"})
	must(t, err)
	if run, err := r.GetRun(ctx, id); err != nil || run.Name != "mem" {
		t.Errorf("in-memory round trip: %+v %v", run, err)
	}
}

func TestRebind(t *testing.T) {
	q := `SELECT '?' FROM t WHERE a = ? AND b IN (?, ?)`
	if got := sqlite.rebind(q); got != q {
		t.Errorf("sqlite rebind changed the query: %s", got)
	}
	if got, want := postgres.rebind(q), `SELECT '?' FROM t WHERE a = $1 AND b IN ($2, $3)`; got != want {
		t.Errorf("postgres rebind: %s, want %s", got, want)
	}
}
