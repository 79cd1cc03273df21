package cert

import (
	"math"
	"slices"
	"time"
)

// opDay is one op's events of one user-day: count, and the seconds after
// midnight of the first and last.
type opDay struct {
	count, first, last int32
}

type dayAgg struct {
	active bool
	ops    [numOps]opDay
}

// userDays holds a user's days, dense from day number base; first and
// last are the user's first and last event days.
type userDays struct {
	base, first, last int64
	days              []dayAgg
}

// at returns the record of day number day, growing the table as needed.
func (u *userDays) at(day int64) *dayAgg {
	if u.days == nil {
		u.base, u.first, u.last = day, day, day
		u.days = make([]dayAgg, 1, 64)
	}
	if day < u.base {
		n := max(u.base-day, int64(len(u.days)/2)) // slack in front amortises out-of-order input
		grown := make([]dayAgg, int64(len(u.days))+n)
		copy(grown[n:], u.days)
		u.days, u.base = grown, u.base-n
	}
	if i := day - u.base; i >= int64(len(u.days)) {
		u.days = append(u.days, make([]dayAgg, i-int64(len(u.days))+1)...)
	}
	u.first, u.last = min(u.first, day), max(u.last, day)
	return &u.days[day-u.base]
}

// accumulator gathers the events of every file by user and day.
type accumulator struct {
	wanted [numOps]bool
	users  map[string]*userDays
}

func newAccumulator(wanted [numOps]bool) *accumulator {
	return &accumulator{wanted: wanted, users: map[string]*userDays{}}
}

func (a *accumulator) add(ev Event) error {
	u := a.users[ev.User]
	if u == nil {
		u = &userDays{}
		a.users[ev.User] = u
	}
	unix := ev.Time.Unix()
	day := floorDiv(unix, 86400)
	sec := int32(unix - day*86400)
	d := u.at(day)
	d.active = true
	if op, ok := opOf(ev); ok && a.wanted[op] {
		o := &d.ops[op]
		if o.count == 0 || sec < o.first {
			o.first = sec
		}
		if o.count == 0 || sec > o.last {
			o.last = sec
		}
		o.count++
	}
	return nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// weekdayIndex returns 0 for Monday to 6 for Sunday; day 0 (1970-01-01)
// was a Thursday.
func weekdayIndex(day int64) int64 { return (day%7 + 7 + 3) % 7 }

func isWeekend(day int64) bool { return weekdayIndex(day) >= 5 }

// rows builds the unprocessed feature rows.
func (a *accumulator) rows(ops []Op, perWeek bool, basis DayBasis, labels map[string][]Insider) []UserFeatures {
	users := make([]string, 0, len(a.users))
	for u := range a.users {
		users = append(users, u)
	}
	slices.Sort(users)
	var out []UserFeatures
	for _, name := range users {
		u := a.users[name]
		if !perWeek {
			r := u.summarise(ops, basis, u.first, u.last+1)
			r.User = name
			if ins := labels[name]; len(ins) > 0 {
				r.Insider, r.Scenario = true, ins[0].Scenario
			}
			out = append(out, r)
			continue
		}
		for w := u.first - weekdayIndex(u.first); w <= u.last; w += 7 {
			r := u.summarise(ops, basis, w, w+7)
			if r.ActiveDays == 0 {
				continue
			}
			r.User = name
			r.Week = time.Unix(w*86400, 0).UTC()
			end := r.Week.AddDate(0, 0, 7)
			for _, in := range labels[name] {
				if in.Start.Before(end) && !in.End.Before(r.Week) {
					r.Insider, r.Scenario = true, in.Scenario
					break
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// stat accumulates mean, max and min.
type stat struct {
	n             int
	sum, max, min float64
}

func (s *stat) add(v float64) {
	if s.n == 0 || v > s.max {
		s.max = v
	}
	if s.n == 0 || v < s.min {
		s.min = v
	}
	s.n++
	s.sum += v
}

// put appends mean, max and min, or ifEmpty three times when s is empty.
func (s *stat) put(vals []float64, ifEmpty float64) []float64 {
	if s.n == 0 {
		return append(vals, ifEmpty, ifEmpty, ifEmpty)
	}
	return append(vals, s.sum/float64(s.n), s.max, s.min)
}

// summarise computes the features of days [lo, hi) (day numbers).
func (u *userDays) summarise(ops []Op, basis DayBasis, lo, hi int64) UserFeatures {
	lo, hi = max(lo, u.first), min(hi, u.last+1)
	var r UserFeatures
	for d := lo; d < hi; d++ {
		if u.days[d-u.base].active {
			r.ActiveDays++
		}
	}
	r.Values = make([]float64, 0, 2*len(ops)*12)
	nan := math.NaN()
	for _, weekend := range []bool{false, true} {
		for _, op := range ops {
			var count, start, end, dur stat
			for d := lo; d < hi; d++ {
				if isWeekend(d) != weekend {
					continue
				}
				day := &u.days[d-u.base]
				if basis == ActiveDays && !day.active {
					continue
				}
				o := day.ops[op]
				count.add(float64(o.count))
				if o.count > 0 {
					s, e := float64(o.first)/3600, float64(o.last)/3600
					start.add(s)
					end.add(e)
					dur.add(e - s)
				}
			}
			r.Values = count.put(r.Values, 0)
			r.Values = start.put(r.Values, nan)
			r.Values = end.put(r.Values, nan)
			r.Values = dur.put(r.Values, nan)
		}
	}
	return r
}
