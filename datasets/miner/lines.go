package miner

import (
	"errors"
	"io"

	"github.com/vigil-ml/vigil/datasets/lines"
)

// maxLine bounds the length of one input line.
const maxLine = 1 << 20

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
