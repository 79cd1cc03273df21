package cert

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// smallConfig is the generated directory most tests read: 30 users, 60
// days, one insider per scenario.
var smallConfig = GenConfig{Users: 30, Days: 60}

// generate writes a release for cfg with seed into a temporary directory.
func generate(t testing.TB, cfg GenConfig, seed uint64) (string, *GenReport) {
	t.Helper()
	dir := t.TempDir()
	rep, err := Generate(dir, cfg, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return dir, rep
}

// writeFile writes content to dir/name, creating folders.
func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// collect reads every event of a file.
func collect(t testing.TB, path string, kind Kind, opt *Options) ([]Event, Stats, error) {
	t.Helper()
	var evs []Event
	st, err := ReadEvents(path, kind, opt, func(ev Event) error {
		evs = append(evs, ev)
		return nil
	})
	return evs, st, err
}

// wantParseError checks that err is a *ParseError for file and line with
// the given reason.
func wantParseError(t *testing.T, err error, file string, line int, reason Reason) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v, want a *ParseError", err)
	}
	if pe.File != file || pe.Line != line || pe.Reason != reason {
		t.Fatalf("error %q (file %s line %d reason %q), want %s:%d %q", err, pe.File, pe.Line, pe.Reason, file, line, reason)
	}
}
