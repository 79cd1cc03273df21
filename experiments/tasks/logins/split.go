package logins

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	ds "github.com/vigil-ml/vigil/datasets/logins"
)

// split is the events divided by the protocol.
type split struct {
	// period is the training period's events in their order; train and val
	// index into it (val: held out at random).
	period     []ds.Event
	train, val []int
	// test is the later events (of known entities only, if configured).
	test []ds.Event
	// byTime tells whether the boundary is a time (else file order).
	byTime   bool
	boundary time.Time
	// sampled is the events kept by data.max_events (0: all kept).
	sampled int
	// unknown counts test events dropped as of entities not trained on.
	unknown int
}

// splitEvents samples, splits by time (or order) and holds out the
// validation events; rng is the task's data stream.
func splitEvents(events []ds.Event, d DataConfig, known bool, rng *rand.Rand) (*split, error) {
	s := &split{}
	if d.MaxEvents > 0 && d.MaxEvents < len(events) {
		events = sample(events, d.MaxEvents, rng)
		s.sampled = len(events)
	}
	n := 0
	if s.byTime = hasTimes(events); s.byTime {
		s.boundary = firstDay(events).Add(time.Duration(d.TrainDays * float64(24*time.Hour)))
		for _, e := range events {
			if e.Time.Before(s.boundary) {
				s.period = append(s.period, e)
			} else {
				s.test = append(s.test, e)
			}
		}
		n = len(s.period)
	} else {
		n = int(math.Round(d.TrainFraction * float64(len(events))))
		s.period, s.test = events[:n:n], events[n:]
	}
	switch {
	case n < 2 && s.byTime:
		return nil, fmt.Errorf("data.train_days: %d events before %s, need at least 2 (one to train, one to validate)", n, s.boundary.Format(time.RFC3339))
	case n < 2:
		return nil, fmt.Errorf("data.train_fraction: %v of %d events (no times) leaves %d to train, need at least 2", d.TrainFraction, len(events), n)
	case len(s.test) == 0 && s.byTime:
		return nil, fmt.Errorf("data.train_days: no event at or after %s to test", s.boundary.Format(time.RFC3339))
	case len(s.test) == 0:
		return nil, fmt.Errorf("data.train_fraction: %v of %d events (no times) leaves none to test", d.TrainFraction, len(events))
	}
	s.train, s.val = holdOut(len(s.period), d.ValidationFraction, rng)
	if known {
		seen := map[string]bool{}
		for _, i := range s.train {
			seen[s.period[i].Entity] = true
		}
		kept := s.test[:0:0]
		for _, e := range s.test {
			if seen[e.Entity] {
				kept = append(kept, e)
			}
		}
		s.unknown = len(s.test) - len(kept)
		s.test = kept
		if len(s.test) == 0 {
			return nil, fmt.Errorf("data: none of the %d test events is of an entity seen in training (set eval.known_entities_only false to keep them)", s.unknown)
		}
	}
	return s, nil
}

// hasTimes reports whether every event has a time.
func hasTimes(events []ds.Event) bool {
	for _, e := range events {
		if e.Time.IsZero() {
			return false
		}
	}
	return len(events) > 0
}

// firstDay is the UTC midnight starting the day of the earliest event.
func firstDay(events []ds.Event) time.Time {
	t := events[0].Time
	for _, e := range events {
		if e.Time.Before(t) {
			t = e.Time
		}
	}
	return t.UTC().Truncate(24 * time.Hour)
}

// holdOut draws round(fraction·n) indices of [0, n), at least 1 and at
// most n-1, as validation; both lists are ascending.
func holdOut(n int, fraction float64, rng *rand.Rand) (train, val []int) {
	k := min(max(int(math.Round(fraction*float64(n))), 1), n-1)
	held := make([]bool, n)
	for _, i := range rng.Perm(n)[:k] {
		held[i] = true
	}
	for i := range n {
		if held[i] {
			val = append(val, i)
		} else {
			train = append(train, i)
		}
	}
	return train, val
}

// sample draws k events at random, kept in their order.
func sample(events []ds.Event, k int, rng *rand.Rand) []ds.Event {
	idx := rng.Perm(len(events))[:k]
	slices.Sort(idx)
	out := make([]ds.Event, k)
	for j, i := range idx {
		out[j] = events[i]
	}
	return out
}
