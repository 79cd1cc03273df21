package logins

import (
	"io"
	"iter"
)

// ReadPairs streams the headerless "entity,IPv4" CSV that the SageMaker IP
// Insights algorithm takes for training and scoring: exactly two fields a
// record, quoted as encoding/csv allows, white space around fields trimmed.
// The sequence is single use; the *Stats is filled as it is iterated.
func ReadPairs(r io.Reader, opt Options) (iter.Seq2[Event, error], *Stats) {
	s := newState(opt)
	seq := func(yield func(Event, error) bool) {
		err := csvRows(r, 0, s, func(rec []string, line int) (bool, error) {
			if len(rec) != 2 {
				return true, s.bad(line, ReasonFields, "%d fields, want 2 (entity,IPv4)", len(rec))
			}
			ev := Event{Line: line}
			ok, err := s.pair(&ev, trimField(rec[0]), trimField(rec[1]))
			if !ok {
				return true, err
			}
			s.st.Events++
			return yield(ev, nil), nil
		})
		if err != nil {
			yield(Event{}, err)
		}
	}
	return seq, s.st
}
