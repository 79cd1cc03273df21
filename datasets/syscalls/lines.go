package syscalls

import (
	"errors"
	"io"

	"github.com/vigil-ml/vigil/datasets/lines"
)

// maxLine bounds the length of one input line.
const maxLine = 64 << 20

// lineReader is a lines.Reader whose errors are the package's, naming
// the input.
type lineReader struct {
	r    *lines.Reader
	line int // the line next returned last
	name string
}

func newLineReader(r io.Reader, name string) *lineReader {
	return &lineReader{r: lines.NewReader(r, maxLine), name: name}
}

// next returns the next line without its line ending (valid until the
// following call), or io.EOF after the last line.
func (l *lineReader) next() ([]byte, error) {
	b, err := l.r.Next()
	l.line = l.r.Line()
	var le *lines.Error
	if errors.As(err, &le) {
		return nil, parseErr(l.name, le.Line, "%v", le.Err)
	}
	return b, err
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
