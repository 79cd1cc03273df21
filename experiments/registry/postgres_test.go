package registry

import (
	"testing"

	"github.com/vigil-ml/vigil/experiments/registry/pgtest"
)

// TestPostgres runs the suite against PostgreSQL: VIGIL_TEST_POSTGRES,
// or a throwaway local cluster; skipped when neither is available unless
// VIGIL_REQUIRE_POSTGRES=1.
func TestPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	t.Logf("postgres: %s (local cluster: %v)", srv.DSN, srv.Local)
	runSuite(t, func(t *testing.T) string { return srv.Schema(t) })
}
