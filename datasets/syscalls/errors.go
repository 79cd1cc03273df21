package syscalls

import "fmt"

// ParseError reports malformed input: the file (relative to the dataset
// root where there is one), the 1-based line (0 when the problem is not on
// one line) and what is wrong.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("syscalls: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("syscalls: %s: %s", e.File, e.Msg)
}

// parseErr builds a *ParseError with a formatted message.
func parseErr(file string, line int, format string, args ...any) error {
	return &ParseError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}
