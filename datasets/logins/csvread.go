package logins

import (
	"io"
	"iter"
	"strconv"
	"strings"
	"time"
)

// LayoutUnix as CSVOptions.TimeLayout reads times as integer seconds since
// the Unix epoch.
const LayoutUnix = "unix"

// CSVOptions configure ReadCSV.
type CSVOptions struct {
	Options
	EntityColumn string // header of the entity column; "entity" when empty
	IPColumn     string // header of the address column; "ip" when empty
	TimeColumn   string // header of the time column; none when empty
	// TimeLayout is a time.Parse layout or LayoutUnix; time.RFC3339 when
	// empty.
	TimeLayout string
	Location   *time.Location // for layouts without a zone; UTC when nil
	Comma      rune           // field separator; ',' when zero
}

// ReadCSV streams a CSV file whose first row names the columns (matched
// case-insensitively); other columns are ignored. An empty time cell gives
// a zero Time. A missing column is an error in either mode. The sequence is
// single use; the *Stats is filled as it is iterated.
func ReadCSV(r io.Reader, opt CSVOptions) (iter.Seq2[Event, error], *Stats) {
	s := newState(opt.Options)
	entCol := or(opt.EntityColumn, "entity")
	ipCol := or(opt.IPColumn, "ip")
	layout := or(opt.TimeLayout, time.RFC3339)
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	seq := func(yield func(Event, error) bool) {
		var ie, ii, it = -1, -1, -1
		header := true
		err := csvRows(r, opt.Comma, s, func(rec []string, line int) (bool, error) {
			if header {
				header = false
				s.st.Records--
				ie, ii = column(rec, entCol), column(rec, ipCol)
				for _, c := range []struct {
					name string
					i    int
				}{{entCol, ie}, {ipCol, ii}} {
					if c.i < 0 {
						return false, s.fail(line, "no column %q in header", c.name)
					}
				}
				if opt.TimeColumn != "" {
					if it = column(rec, opt.TimeColumn); it < 0 {
						return false, s.fail(line, "no column %q in header", opt.TimeColumn)
					}
				}
				return true, nil
			}
			if need := max(ie, ii, it) + 1; len(rec) < need {
				return true, s.bad(line, ReasonFields, "%d fields, want at least %d", len(rec), need)
			}
			ev := Event{Line: line}
			ok, err := s.pair(&ev, trimField(rec[ie]), trimField(rec[ii]))
			if !ok {
				return true, err
			}
			if it >= 0 {
				if cell := strings.TrimSpace(rec[it]); cell != "" {
					t, err := parseTime(cell, layout, loc)
					if err != nil {
						return true, s.bad(line, ReasonTime, "time %q does not match layout %q", cell, layout)
					}
					ev.Time = t
				}
			}
			s.st.Events++
			return yield(ev, nil), nil
		})
		if err == nil && header {
			err = s.fail(0, "no header row")
		}
		if err != nil {
			yield(Event{}, err)
		}
	}
	return seq, s.st
}

// column returns the index of name in header, or -1.
func column(header []string, name string) int {
	for i, h := range header {
		if strings.EqualFold(trimField(h), name) {
			return i
		}
	}
	return -1
}

func parseTime(cell, layout string, loc *time.Location) (time.Time, error) {
	if layout == LayoutUnix {
		sec, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return time.Time{}, err
		}
		return time.Unix(sec, 0).In(loc), nil
	}
	return time.ParseInLocation(layout, cell, loc)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
