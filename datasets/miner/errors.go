package miner

import "fmt"

// ParseError reports malformed input: the source (a file name, or "input"
// for a bare reader), the 1-based line (0 when the problem is not on one
// line) and what is wrong.
type ParseError struct {
	Name string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("miner: %s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return fmt.Sprintf("miner: %s: %s", e.Name, e.Msg)
}

// parseErr builds a *ParseError with a formatted message.
func parseErr(name string, line int, format string, args ...any) error {
	return &ParseError{Name: name, Line: line, Msg: fmt.Sprintf(format, args...)}
}
