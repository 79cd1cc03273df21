package syscalls

import (
	"archive/zip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles creates files (slash paths relative to dir) with contents.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeZip creates the zip file path holding files.
func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(fh)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
}

// wantParseErr checks that err is a *ParseError naming file and line and
// containing msg.
func wantParseErr(t *testing.T, err error, file string, line int, msg string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got error %v, want a ParseError for %s:%d", err, file, line)
	}
	if pe.File != file || pe.Line != line || !strings.Contains(pe.Msg, msg) {
		t.Fatalf("got %q (file %q line %d), want file %q line %d and %q", err, pe.File, pe.Line, file, line, msg)
	}
}

// collect drains a trace sequence, stopping at the first error.
func collect(seq func(func(Trace, error) bool)) ([]Trace, error) {
	var out []Trace
	for tr, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, tr)
	}
	return out, nil
}

// realData returns the path of a shared real dataset, skipping the test
// when it is absent. SYSCALLS_DATA overrides the default location beside
// the repository.
func realData(t *testing.T, name string) string {
	t.Helper()
	root := os.Getenv("SYSCALLS_DATA")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared", "data")
	}
	p := filepath.Join(root, name)
	if st, err := os.Stat(p); err != nil || !st.IsDir() {
		t.Skipf("real data %s not found", p)
	}
	return p
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
