package cert

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// Insider is one row of the answer key, answers/insiders.csv.
type Insider struct {
	Release  string // the dataset column as written, e.g. "4.2"
	Scenario int    // 1, 2 or 3 in r4.2
	Details  string // the details column: the file listing the insider's malicious rows
	User     string
	Start    time.Time // first malicious activity, wall clock in UTC
	End      time.Time // last malicious activity
}

// InsidersHeader returns the columns of answers/insiders.csv.
func InsidersHeader() []string {
	return []string{"dataset", "scenario", "details", "user", "start", "end"}
}

// ReadInsiders reads the answer key and keeps the rows of release
// opt.Release (4.2 by default), comparing the dataset column numerically
// after an optional leading "r" ("4.2", "4.20" and "r4.2" all match). The
// header must hold dataset, scenario, user, start and end; details is read
// when present. Start and end may be "MM/DD/YYYY HH:MM:SS", without
// seconds or time, or ISO 8601. Bad rows of the kept release (a bad
// scenario or date, an empty user) follow Options.Lenient; rows of other
// releases are not checked.
func ReadInsiders(path string, opt *Options) ([]Insider, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cert: %w", err)
	}
	defer f.Close()
	s := newState(path, opt)
	var ds, sc, de, us, st, en int
	var out []Insider
	err = s.rows(f, func(rec []string, line int) error {
		idx := headerIndex(rec)
		for _, c := range []string{"dataset", "scenario", "user", "start", "end"} {
			if columnOf(idx, c) < 0 {
				return s.fail(line, "no column %q in the header of an insiders file", c)
			}
		}
		ds, sc, de = columnOf(idx, "dataset"), columnOf(idx, "scenario"), columnOf(idx, "details")
		us, st, en = columnOf(idx, "user"), columnOf(idx, "start"), columnOf(idx, "end")
		return nil
	}, func(rec []string, line int) error {
		if len(rec) <= max(ds, sc, de, us, st, en) {
			return s.bad(line, ReasonFields, "%d fields, want at least %d", len(rec), max(ds, sc, de, us, st, en)+1)
		}
		rel := strings.TrimSpace(rec[ds])
		v, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimPrefix(rel, "r"), "R"), 64)
		if err != nil || math.Abs(v-s.opt.Release) > 1e-9 {
			return nil
		}
		in := Insider{Release: rel, User: strings.TrimSpace(rec[us])}
		if in.Scenario, err = strconv.Atoi(strings.TrimSpace(rec[sc])); err != nil {
			return s.bad(line, ReasonNumber, "scenario %q is not a number", rec[sc])
		}
		if in.User == "" {
			return s.bad(line, ReasonEmpty, "empty user")
		}
		var ok bool
		if in.Start, ok = parseAnswerDate(rec[st]); !ok {
			return s.bad(line, ReasonDate, "start %q is not a date", rec[st])
		}
		if in.End, ok = parseAnswerDate(rec[en]); !ok {
			return s.bad(line, ReasonDate, "end %q is not a date", rec[en])
		}
		if de >= 0 {
			in.Details = strings.TrimSpace(rec[de])
		}
		out = append(out, in)
		s.st.Events++
		return nil
	})
	return out, err
}

// writeInsiders writes the answer key in r4.2's layout.
func writeInsiders(path string, ins []Insider) error {
	rows := make([][]string, len(ins))
	for i, in := range ins {
		rows[i] = []string{in.Release, strconv.Itoa(in.Scenario), in.Details, in.User, FormatDate(in.Start), FormatDate(in.End)}
	}
	return writeCSV(path, InsidersHeader(), rows)
}
