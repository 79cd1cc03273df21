package miner

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// maxLine bounds the length of one input line.
const maxLine = 1 << 20

// lineReader reads lines up to maxLine bytes without loading the whole
// input, counting them from 1.
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
