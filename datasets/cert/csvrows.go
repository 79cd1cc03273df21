package cert

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readAhead bounds what encoding/csv buffers beyond the row it returns
// (its bufio.Reader holds 4096 bytes).
const readAhead = 4096

var errRowTooLong = errors.New("row too long")

// rowGuard hands at most limit bytes in all to the CSV reader; rows moves
// the limit forward after each row, so that no row, however it is quoted,
// makes the reader buffer more than about MaxRowBytes.
type rowGuard struct {
	r     io.Reader
	n     int64
	limit int64
}

func (g *rowGuard) Read(p []byte) (int, error) {
	if g.n >= g.limit {
		return 0, errRowTooLong
	}
	if rem := g.limit - g.n; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// rows streams the CSV records of r: the first one to header, then every
// other one to fn, each with its first line. Records are reused between calls:
// fn must copy what it keeps. CSV is RFC 4180 (encoding/csv, LazyQuotes
// off): a quoted field may hold commas, quotes doubled and line breaks; a
// bare quote in an unquoted field is a bad row (ReasonCSV). Field counts
// may vary; fn checks them.
func (s *state) rows(r io.Reader, header func(rec []string, line int) error, fn func(rec []string, line int) error) error {
	g := &rowGuard{r: r, limit: int64(s.opt.MaxRowBytes) + readAhead}
	cr := csv.NewReader(g)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	seenHeader := false
	next := 1 // the line where the next row starts, for errors without one
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if !seenHeader {
				return s.fail(0, "empty file: no header row")
			}
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				if errors.Is(err, errRowTooLong) {
					return s.fail(next, "row longer than %d bytes (an unterminated quote?)", s.opt.MaxRowBytes)
				}
				return fmt.Errorf("cert: %s: %w", s.file, err)
			}
			if !seenHeader {
				return s.fail(pe.StartLine, "header: %v", pe.Err)
			}
			s.st.Rows++
			if err := s.bad(pe.StartLine, ReasonCSV, "%v", pe.Err); err != nil {
				return err
			}
			next = pe.Line + 1
			g.limit = cr.InputOffset() + int64(s.opt.MaxRowBytes) + readAhead
			continue
		}
		line, _ := cr.FieldPos(0)
		last, _ := cr.FieldPos(len(rec) - 1)
		next = last + 1
		g.limit = cr.InputOffset() + int64(s.opt.MaxRowBytes) + readAhead
		if !seenHeader {
			seenHeader = true
			if err := header(rec, line); err != nil {
				return err
			}
			continue
		}
		s.st.Rows++
		if err := fn(rec, line); err != nil {
			return err
		}
	}
}

// headerIndex maps the lower-case, trimmed names of a header row (a byte
// order mark removed) to their positions.
func headerIndex(rec []string) map[string]int {
	m := make(map[string]int, len(rec))
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := m[h]; !dup {
			m[h] = i
		}
	}
	return m
}

// columnOf returns the position of name in idx, or -1.
func columnOf(idx map[string]int, name string) int {
	if i, ok := idx[name]; ok {
		return i
	}
	return -1
}

// interner returns one shared copy of each distinct short string it sees,
// up to maxInterned of them, so that events hold no reference to the
// reader's row buffer (which holds the content column) and repeated users,
// PCs and domains cost one allocation each.
type interner struct {
	m map[string]string
}

const maxInterned = 1 << 17

func (in *interner) get(s string) string {
	if v, ok := in.m[s]; ok {
		return v
	}
	c := strings.Clone(s)
	if in.m == nil {
		in.m = map[string]string{}
	}
	if len(in.m) < maxInterned {
		in.m[c] = c
	}
	return c
}
