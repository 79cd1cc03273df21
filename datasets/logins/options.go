package logins

import "fmt"

// Options are the settings common to all readers.
type Options struct {
	// Name names the source in errors; "input" when empty.
	Name string
	// Lenient skips bad records, counting them in Stats.Skipped, instead of
	// stopping at the first one with a *ParseError.
	Lenient bool
}

// state carries a reader's options and statistics.
type state struct {
	name    string
	lenient bool
	st      *Stats
}

func newState(o Options) *state {
	name := o.Name
	if name == "" {
		name = "input"
	}
	return &state{name: name, lenient: o.Lenient, st: &Stats{Skipped: map[Reason]int{}}}
}

// bad handles a bad record: in lenient mode it counts it and returns nil,
// otherwise it returns the *ParseError.
func (s *state) bad(line int, reason Reason, format string, args ...any) error {
	if s.lenient {
		s.st.Skipped[reason]++
		return nil
	}
	return &ParseError{Name: s.name, Line: line, Reason: reason, Msg: fmt.Sprintf(format, args...)}
}

// fail builds an error that stops reading whatever the mode.
func (s *state) fail(line int, format string, args ...any) error {
	return &ParseError{Name: s.name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// pair validates an entity and address into ev; it returns false with the
// error from bad (nil when lenient) if either is invalid.
func (s *state) pair(ev *Event, entity, ip string) (bool, error) {
	if entity == "" {
		return false, s.bad(ev.Line, ReasonEmptyEntity, "empty entity")
	}
	a, reason, msg := parseIPv4(ip)
	if msg != "" {
		return false, s.bad(ev.Line, reason, "%s", msg)
	}
	ev.Entity, ev.IP = entity, a
	return true, nil
}
