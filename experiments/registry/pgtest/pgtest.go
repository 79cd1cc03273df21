// Package pgtest gives tests a PostgreSQL server: the one named by
// VIGIL_TEST_POSTGRES, or else a throwaway cluster started from the
// local PostgreSQL binaries and stopped when the test ends.
//
// Where neither is possible, Start skips the test, unless
// VIGIL_REQUIRE_POSTGRES=1, when it fails it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables Start reads.
const (
	// EnvDSN names an existing server, as a postgres:// URL, whose user
	// may create schemas. Each Schema call creates and drops its own.
	EnvDSN = "VIGIL_TEST_POSTGRES"
	// EnvRequire=1 turns "no server available" from a skip into a failure.
	EnvRequire = "VIGIL_REQUIRE_POSTGRES"
)

// Server is a reachable PostgreSQL server.
type Server struct {
	DSN string // postgres:// URL of the server's default database
	// Local says whether Start launched the server itself.
	Local bool
}

// Start returns a server for t, launching one if EnvDSN is unset; a
// launched server is stopped and deleted in t.Cleanup. Launching takes a
// few seconds (initdb), so start one per test binary phase and hand out
// schemas with Schema.
func Start(t testing.TB) *Server {
	t.Helper()
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatalf("pgtest: %s=%s: %v", EnvDSN, dsn, err)
		}
		if err := conn.Close(ctx); err != nil {
			t.Fatalf("pgtest: close: %v", err)
		}
		return &Server{DSN: dsn}
	}
	dsn, err := launch(t)
	if err != nil {
		msg := fmt.Sprintf("pgtest: no PostgreSQL server: %v (set %s to a postgres:// URL to use an existing one)", err, EnvDSN)
		if os.Getenv(EnvRequire) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return &Server{DSN: dsn, Local: true}
}

// Schema creates an empty schema on s, dropped in t.Cleanup, and returns
// s.DSN with search_path set to it, so that each test sees an empty
// database.
func (s *Server) Schema(t testing.TB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := "vigil_test_" + hex.EncodeToString(b[:])
	if err := s.exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.exec(`DROP SCHEMA ` + name + ` CASCADE`); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	u, err := url.Parse(s.DSN)
	if err != nil {
		t.Fatalf("pgtest: DSN is not a URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *Server) exec(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN)
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, sql)
	return errors.Join(err, conn.Close(ctx))
}

// launch starts a cluster in a fresh temporary directory and returns its
// DSN. PostgreSQL refuses to run as root, so as root it runs the server
// as the "postgres" system user through runuser.
func launch(t testing.TB) (string, error) {
	bin, err := findBinDir()
	if err != nil {
		return "", err
	}
	var prefix []string
	uid, gid := -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", fmt.Errorf("running as root and no postgres user to run the server as: %w", err)
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			return "", fmt.Errorf("running as root and no runuser: %w", err)
		}
		prefix = []string{runuser, "-u", "postgres", "--"}
		if uid, err = strconv.Atoi(u.Uid); err != nil {
			return "", err
		}
		if gid, err = strconv.Atoi(u.Gid); err != nil {
			return "", err
		}
	}

	// Not t.TempDir: its parents are private to the test's user.
	dir, err := os.MkdirTemp("", "vigil-pg-")
	if err != nil {
		return "", err
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	if uid >= 0 {
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", err
		}
	}
	data, logFile := filepath.Join(dir, "data"), filepath.Join(dir, "server.log")
	port, err := freePort()
	if err != nil {
		return "", err
	}

	run := func(name string, args ...string) error {
		argv := append(slices.Clone(prefix), append([]string{filepath.Join(bin, name)}, args...)...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w\n%s", name, err, out)
		}
		return nil
	}
	if err := run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--no-locale", "--no-sync"); err != nil {
		return "", err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -F -c full_page_writes=off"+
		" -c synchronous_commit=off -c max_connections=200", port, dir)
	if err := run("pg_ctl", "-D", data, "-l", logFile, "-w", "-t", "60", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(logFile)
		return "", fmt.Errorf("%w\nserver log:\n%s", err, log)
	}
	t.Cleanup(func() {
		if err := run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), nil
}

// findBinDir returns a directory holding both initdb and pg_ctl: that of
// initdb on PATH, else the newest /usr/lib/postgresql/*/bin, else
// /usr/local/bin. Symlinks are resolved so initdb finds its postgres.
func findBinDir() (string, error) {
	var dirs []string
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(versions, func(a, b string) int { return versionOf(b) - versionOf(a) })
	dirs = append(dirs, versions...)
	dirs = append(dirs, "/usr/local/bin")
	for _, d := range dirs {
		initdb, err := filepath.EvalSymlinks(filepath.Join(d, "initdb"))
		if err != nil {
			continue
		}
		bin := filepath.Dir(initdb)
		if _, err := os.Stat(filepath.Join(bin, "pg_ctl")); err == nil {
			return bin, nil
		}
	}
	return "", errors.New("initdb and pg_ctl not found on PATH, in /usr/lib/postgresql/*/bin or /usr/local/bin")
}

// versionOf reads N from /usr/lib/postgresql/N/bin; 0 if not a number.
func versionOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	return port, l.Close()
}
