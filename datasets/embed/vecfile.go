package embed

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteVec writes the vectors of the training words in fastText's .vec
// text format: a header line "N D", then one line per word, "word v1 ...
// vD", values in the shortest form that reads back to the same float32.
func (m *Model) WriteVec(w io.Writer) error { return m.Vectors().WriteVec(w) }

// WriteVec writes v in fastText's .vec text format (see Model.WriteVec).
func (v *Vectors) WriteVec(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d\n", len(v.words), v.dim)
	var buf []byte
	for i, word := range v.words {
		buf = append(buf[:0], word...)
		for _, x := range v.row(i) {
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, float64(x), 'g', -1, 32)
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("embed: writing vectors: %w", err)
	}
	return nil
}

// maxVecLine bounds the length of one line of a .vec file, in bytes.
const maxVecLine = 1 << 24

// ReadVec parses fastText's .vec text format: a header "N D" with N >= 0
// and D > 0, then N lines "word v1 ... vD" separated by spaces or tabs (a
// trailing space and CRLF line ends are accepted). Errors name the line:
// a malformed header, a wrong number of values, a value that is not a
// finite number, a duplicate word, or a vector count that differs from N.
func ReadVec(r io.Reader) (*Vectors, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxVecLine)
	line := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		line++
		return strings.TrimSuffix(sc.Text(), "\r"), true
	}
	head, ok := next()
	if !ok {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("embed: vec line 1: %w", err)
		}
		return nil, fmt.Errorf("embed: vec line 1: missing header")
	}
	n, dim, err := parseVecHeader(head)
	if err != nil {
		return nil, fmt.Errorf("embed: vec line 1: %w", err)
	}
	v := &Vectors{dim: dim, ids: map[string]int{}}
	var vec []float32 // allocated once a line has proved the dimension
	for {
		text, ok := next()
		if !ok {
			break
		}
		if len(v.words) == n {
			return nil, fmt.Errorf("embed: vec line %d: more than the %d vectors of the header", line, n)
		}
		fields := strings.Fields(text)
		if len(fields) != dim+1 {
			return nil, fmt.Errorf("embed: vec line %d: got %d values, want a word and %d values", line, len(fields), dim)
		}
		word := fields[0]
		if _, dup := v.ids[word]; dup {
			return nil, fmt.Errorf("embed: vec line %d: duplicate word %q", line, word)
		}
		if vec == nil {
			vec = make([]float32, dim)
		}
		for j, f := range fields[1:] {
			x, err := strconv.ParseFloat(f, 32)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("embed: vec line %d: value %d (%q) is not a finite number", line, j+1, f)
			}
			vec[j] = float32(x)
		}
		v.add(word, vec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("embed: vec line %d: %w", line+1, err)
	}
	if len(v.words) != n {
		return nil, fmt.Errorf("embed: vec line %d: file ends after %d vectors, header says %d", line, len(v.words), n)
	}
	return v, nil
}

// parseVecHeader parses "N D".
func parseVecHeader(s string) (n, dim int, err error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("header %q: want \"count dimension\"", s)
	}
	n, err1 := strconv.Atoi(f[0])
	dim, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || n < 0 || dim <= 0 {
		return 0, 0, fmt.Errorf("header %q: want a count >= 0 and a dimension > 0", s)
	}
	return n, dim, nil
}
