package registry

import (
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// openPostgres returns a database/sql handle on the server named by dsn,
// through pgx's database/sql driver.
func openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("registry: parse postgres DSN: %w", err)
	}
	return stdlib.OpenDB(*cfg), nil
}
