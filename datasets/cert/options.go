package cert

import (
	"fmt"
	"math"
)

// DefaultMaxRowBytes is the default of Options.MaxRowBytes.
const DefaultMaxRowBytes = 1 << 20

// Release42 is the release whose rows ReadInsiders keeps by default.
const Release42 = 4.2

// Options are the settings shared by the readers. A nil *Options means the
// defaults; each field documents its zero value.
type Options struct {
	// Lenient skips bad rows (a malformed date, a wrong field count, bad
	// CSV quoting, an empty user, a bad number), counting them by Reason
	// in Stats.Skipped, instead of stopping at the first one with a
	// *ParseError. Problems with a whole file (no header, a missing
	// column, a row longer than MaxRowBytes, an I/O error) stop reading
	// in either mode.
	Lenient bool
	// MaxRowBytes bounds the bytes of one CSV row, quoted content
	// included; DefaultMaxRowBytes (1 MiB) when zero or negative. It keeps
	// an unterminated quote from pulling the rest of a 14 GB file into
	// memory.
	MaxRowBytes int
	// Release is the value of the dataset column that ReadInsiders keeps,
	// compared numerically; Release42 (4.2) when zero.
	Release float64
}

func (o *Options) resolved() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.MaxRowBytes <= 0 {
		r.MaxRowBytes = DefaultMaxRowBytes
	}
	if r.Release == 0 || math.IsNaN(r.Release) {
		r.Release = Release42
	}
	return r
}

// state carries a reader's file name, options and statistics.
type state struct {
	file string
	opt  Options
	st   Stats
}

func newState(file string, opt *Options) *state {
	return &state{file: file, opt: opt.resolved(), st: Stats{Skipped: map[Reason]int{}}}
}

// bad handles a bad row: in lenient mode it counts it and returns nil,
// otherwise it returns the *ParseError.
func (s *state) bad(line int, reason Reason, format string, args ...any) error {
	if s.opt.Lenient {
		s.st.Skipped[reason]++
		return nil
	}
	return &ParseError{File: s.file, Line: line, Reason: reason, Msg: fmt.Sprintf(format, args...)}
}

// fail builds an error that stops reading whatever the mode.
func (s *state) fail(line int, format string, args ...any) error {
	return &ParseError{File: s.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}
