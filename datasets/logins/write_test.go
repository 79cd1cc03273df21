package logins

import (
	"bytes"
	"net/netip"
	"slices"
	"testing"
)

func TestWritePairsRoundTrip(t *testing.T) {
	in := []Event{
		{Entity: "alice", IP: netip.MustParseAddr("10.0.0.1")},
		{Entity: `o"neil, pat`, IP: netip.MustParseAddr("192.0.2.200")},
	}
	var buf bytes.Buffer
	n, err := WritePairs(&buf, slices.Values(in))
	if err != nil || n != 2 {
		t.Fatalf("wrote %d, %v", n, err)
	}
	if want := "alice,10.0.0.1\n\"o\"\"neil, pat\",192.0.2.200\n"; buf.String() != want {
		t.Fatalf("wrote %q, want %q", buf.String(), want)
	}
	seq, _ := ReadPairs(&buf, Options{})
	out, err := collect(seq)
	if err != nil || len(out) != 2 || out[1].Entity != in[1].Entity || out[1].IP != in[1].IP {
		t.Fatalf("read back %v, %v", out, err)
	}
}

func TestPairWriterRejects(t *testing.T) {
	w := NewPairWriter(&bytes.Buffer{})
	for _, e := range []Event{
		{Entity: "", IP: netip.MustParseAddr("10.0.0.1")},
		{Entity: "x", IP: netip.MustParseAddr("2001:db8::1")},
		{Entity: "x"},
	} {
		if err := w.Write(e); err == nil {
			t.Errorf("Write(%+v) accepted", e)
		}
	}
}
