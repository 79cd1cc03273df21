package miner

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

// smallConfig is a quick dataset: 40 programs over 40 minutes.
func smallConfig() Config {
	return Config{Programs: 40, MinerFraction: 0.1, Duration: 40 * time.Minute, SampleInterval: 30 * time.Second}
}

func seeded(a, b uint64) *rand.Rand { return rand.New(rand.NewPCG(a, b)) }

// mustGenerate generates or fails the test.
func mustGenerate(t *testing.T, cfg Config, rng *rand.Rand) *Dataset {
	t.Helper()
	d, err := Generate(cfg, rng)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// wantParseErr checks that err is a *ParseError naming name and line and
// containing msg.
func wantParseErr(t *testing.T, err error, name string, line int, msg string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want *ParseError", err, err)
	}
	if pe.Name != name || pe.Line != line || !strings.Contains(pe.Msg, msg) {
		t.Fatalf("got %s:%d %q, want %s:%d containing %q", pe.Name, pe.Line, pe.Msg, name, line, msg)
	}
}

// ip parses an address or panics.
func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// writeFile writes body to path.
func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o644) }
