// Package lines reads text input line by line without loading it whole,
// counting lines from 1 and bounding their length, for the datasets'
// streaming readers.
package lines

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Reader reads lines of up to Max bytes.
type Reader struct {
	br   *bufio.Reader
	buf  []byte
	line int
	max  int
}

// NewReader reads r, refusing lines longer than max bytes.
func NewReader(r io.Reader, max int) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// Line is the number of the line Next returned last (0 before the first).
func (l *Reader) Line() int { return l.line }

// Next returns the next line without its line ending ("\n" or "\r\n");
// the slice is valid until the following call. It returns io.EOF after
// the last line (a final line without a newline counts as a line), and
// otherwise an *Error naming the line that could not be read.
func (l *Reader) Next() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		l.buf = append(l.buf, chunk...)
		if len(l.buf) > l.max {
			return nil, &Error{Line: l.line + 1, Err: fmt.Errorf("line longer than %d bytes", l.max)}
		}
		switch {
		case err == nil:
			l.line++
			return trimEOL(l.buf), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(l.buf) == 0 {
				return nil, io.EOF
			}
			l.line++
			return trimEOL(l.buf), nil
		default:
			return nil, &Error{Line: l.line + 1, Err: err}
		}
	}
}

// Error is a line that could not be read: too long, or a read error.
type Error struct {
	Line int
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}
