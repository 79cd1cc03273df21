package syscalls

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// maxLine bounds the length of one input line.
const maxLine = 64 << 20

// lineReader reads lines of any length up to maxLine without loading the
// whole input, counting them from 1.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte
	line int
	name string
}

func newLineReader(r io.Reader, name string) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), name: name}
}

// next returns the next line without its line ending; the slice is valid
// until the following call. It returns io.EOF after the last line; a final
// line without a newline counts as a line.
func (l *lineReader) next() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		l.buf = append(l.buf, chunk...)
		if len(l.buf) > maxLine {
			return nil, parseErr(l.name, l.line+1, "line longer than %d bytes", maxLine)
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
			return nil, parseErr(l.name, l.line+1, "%v", err)
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

// isBlank reports whether c is a space or tab.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// isSpace reports whether c is ASCII white space.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n'
}

// nextField returns the first field of b delimited by ASCII white space
// and the rest after it; field is empty when b holds only white space.
func nextField(b []byte) (field, rest []byte) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	j := i
	for j < len(b) && !isSpace(b[j]) {
		j++
	}
	return b[i:j], b[j:]
}

// parseSyscallNum parses a non-negative decimal syscall number that fits
// an int32.
func parseSyscallNum(b []byte) (int32, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if v > 1<<31-1 {
		return 0, false
	}
	return int32(v), true
}
