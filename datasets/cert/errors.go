package cert

import "fmt"

// Reason classifies a bad row.
type Reason string

// Reasons a row is rejected.
const (
	ReasonDate   Reason = "bad-date"    // a date that does not parse
	ReasonFields Reason = "field-count" // too few or too many CSV fields
	ReasonCSV    Reason = "csv-syntax"  // malformed CSV quoting
	ReasonEmpty  Reason = "empty-field" // an empty user (or LDAP user_id)
	ReasonNumber Reason = "bad-number"  // an e-mail size, attachment count or scenario that is not a number
)

// ParseError reports a bad row or file: the file, the 1-based line (0 when
// the problem is not on one line), the Reason (empty for problems that stop
// reading in either mode, such as a missing column) and what is wrong.
type ParseError struct {
	File   string
	Line   int
	Reason Reason
	Msg    string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("cert: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("cert: %s: %s", e.File, e.Msg)
}

// Stats counts what a reader saw; it is final once the reader returns.
type Stats struct {
	Rows    int            // data rows read, the header excluded and bad rows included
	Events  int            // rows handed to the caller
	Skipped map[Reason]int // bad rows skipped in lenient mode, by reason
}

// TotalSkipped returns the number of bad rows skipped.
func (s *Stats) TotalSkipped() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}
