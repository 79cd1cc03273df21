package logins

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// csvRows reads r record by record, calling fn with each record and its
// first line. Malformed CSV goes through s.bad; fn returning false stops.
func csvRows(r io.Reader, comma rune, s *state, fn func(rec []string, line int) (bool, error)) error {
	cr := csv.NewReader(r)
	if comma != 0 {
		cr.Comma = comma
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return s.fail(0, "%v", err)
			}
			s.st.Records++
			if err := s.bad(pe.StartLine, ReasonCSV, "%v", pe.Err); err != nil {
				return err
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		s.st.Records++
		more, err := fn(rec, line)
		if err != nil || !more {
			return err
		}
	}
}

// trimField trims white space and, on the first field of a file, a byte
// order mark.
func trimField(f string) string {
	return strings.TrimSpace(strings.TrimPrefix(f, "\ufeff"))
}
