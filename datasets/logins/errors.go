package logins

import "fmt"

// Reason classifies a bad record.
type Reason string

// Reasons a record is rejected.
const (
	ReasonBadIP       Reason = "bad-ip"       // not an IP address
	ReasonIPv6        Reason = "ipv6"         // an IPv6 address
	ReasonEmptyEntity Reason = "empty-entity" // the entity is empty
	ReasonFields      Reason = "field-count"  // wrong number of CSV fields
	ReasonCSV         Reason = "csv-syntax"   // malformed CSV (quoting)
	ReasonTime        Reason = "bad-time"     // a time that does not parse
	ReasonSyntax      Reason = "bad-line"     // a log line of unknown shape
)

// ParseError reports a bad record: the source name, its 1-based line and
// what is wrong.
type ParseError struct {
	Name   string
	Line   int
	Reason Reason
	Msg    string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("logins: %s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return fmt.Sprintf("logins: %s: %s", e.Name, e.Msg)
}

// Stats counts what a reader saw. It is filled while the events are
// iterated and final once the iteration ends.
type Stats struct {
	Records int            // records read (CSV rows or non-blank log lines), header excluded
	Events  int            // events yielded
	Ignored int            // well-formed records that are not login events
	Skipped map[Reason]int // bad records skipped in lenient mode, by reason
}

// TotalSkipped returns the number of bad records skipped.
func (s *Stats) TotalSkipped() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}
