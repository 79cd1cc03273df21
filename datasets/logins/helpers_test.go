package logins

import (
	"errors"
	"iter"
	"testing"
)

// collect drains seq, returning the events and the first error.
func collect(seq iter.Seq2[Event, error]) ([]Event, error) {
	var evs []Event
	for ev, err := range seq {
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

// wantParseError checks that err is a *ParseError with the given line,
// reason and message.
func wantParseError(t *testing.T, err error, line int, reason Reason, msg string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v, want a *ParseError", err)
	}
	if pe.Line != line || pe.Reason != reason || (msg != "" && err.Error() != msg) {
		t.Fatalf("error %q (line %d, reason %q), want line %d reason %q %q", err, pe.Line, pe.Reason, line, reason, msg)
	}
}
