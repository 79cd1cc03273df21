package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus.txt")
	var out bytes.Buffer
	args := []string{"-epoch", "1", "-bucket", "1000", "-dim", "8", "-corpus", corpus, "-vec", filepath.Join(dir, "v.vec")}
	if err := run(args, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "vigil/embed: words/sec/thread: ") || !strings.Contains(out.String(), "tokens: 750000 ") {
		t.Fatalf("output %q", out.String())
	}
	b, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 50 || len(strings.Fields(lines[0])) != 15000 {
		t.Fatalf("corpus has %d lines, first with %d words", len(lines), len(strings.Fields(lines[0])))
	}
	vec, err := os.ReadFile(filepath.Join(dir, "v.vec"))
	if err != nil || !strings.HasSuffix(strings.SplitN(string(vec), "\n", 2)[0], " 8") {
		t.Fatalf("vec file: %v", err)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing SEA directory", []string{"-sea", filepath.Join(t.TempDir(), "none")}, "masquerade_summary.txt"},
		{"bad flag", []string{"-nope"}, "nope"},
		{"bad config", []string{"-dim", "-3"}, "negative setting"},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		if err := run(tc.args, &out); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}
