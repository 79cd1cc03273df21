package logins

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
)

// PairWriter writes the headerless "entity,IPv4" CSV read by ReadPairs and
// by the SageMaker IP Insights algorithm.
type PairWriter struct {
	w *csv.Writer
}

// NewPairWriter returns a PairWriter on w; call Flush when done.
func NewPairWriter(w io.Writer) *PairWriter {
	return &PairWriter{w: csv.NewWriter(w)}
}

// Write writes one event; it rejects an empty entity or a non-IPv4 address.
func (p *PairWriter) Write(e Event) error {
	if e.Entity == "" {
		return fmt.Errorf("logins: event with empty entity (address %v)", e.IP)
	}
	if !e.IP.Is4() {
		return fmt.Errorf("logins: entity %q: %v is not an IPv4 address", e.Entity, e.IP)
	}
	return p.w.Write([]string{e.Entity, e.IP.String()})
}

// Flush writes buffered data and reports any write error.
func (p *PairWriter) Flush() error {
	p.w.Flush()
	return p.w.Error()
}

// WritePairs writes events to w and returns how many it wrote.
func WritePairs(w io.Writer, events iter.Seq[Event]) (int, error) {
	pw := NewPairWriter(w)
	n := 0
	for e := range events {
		if err := pw.Write(e); err != nil {
			return n, err
		}
		n++
	}
	return n, pw.Flush()
}
