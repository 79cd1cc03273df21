package cert

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ReadEvents streams the event file at path, one of kind, calling fn with
// each row in file order; nothing but the current row is held, so files
// of any size (r4.2's http.csv is about 14.5 GB) are read in constant
// memory. The first row must be a header; columns are found by name
// (case-insensitive) in any order, and columns the kind does not use are
// ignored. Required: date, user, pc, plus activity (logon, device),
// filename (file) or url (http); the other documented columns (id, to,
// cc, bcc, from, size, attachments) are read when present.
//
// The content column is parsed as CSV (quoted when it holds commas) and
// dropped. A row may carry more fields than the header only when the last
// column is content: an unquoted content with commas then spills into
// extra fields, which are dropped too. A malformed date, a wrong field
// count, bad quoting, an empty user or a bad size or attachment count is
// a *ParseError naming path and line, or with opt.Lenient a row skipped
// and counted in Stats.Skipped. An error returned by fn stops reading and
// is returned wrapped with path and line. A nil opt means the defaults.
func ReadEvents(path string, kind Kind, opt *Options, fn func(Event) error) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, fmt.Errorf("cert: %w", err)
	}
	st, err := ReadEventsFrom(f, path, kind, opt, fn)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("cert: %w", cerr)
	}
	return st, err
}

// ReadEventsFrom is ReadEvents on a reader, such as a decompressing one;
// name names the source in errors.
func ReadEventsFrom(r io.Reader, name string, kind Kind, opt *Options, fn func(Event) error) (Stats, error) {
	s := newState(name, opt)
	if !kind.valid() {
		return s.st, s.fail(0, "unknown kind %d", int(kind))
	}
	d := &decoder{s: s, kind: kind}
	err := s.rows(r, d.header, func(rec []string, line int) error {
		ev, ok, err := d.decode(rec, line)
		if !ok {
			return err
		}
		s.st.Events++
		if err := fn(ev); err != nil {
			return fmt.Errorf("cert: %s:%d: %w", name, line, err)
		}
		return nil
	})
	return s.st, err
}

// decoder turns the rows of one file into events.
type decoder struct {
	s    *state
	kind Kind
	in   interner

	id, date, user, pc, activity, filename int
	to, cc, bcc, from, size, attachments   int
	url                                    int
	width                                  int  // fields in the header
	need                                   int  // fields a row needs
	spill                                  bool // the last column is content: extra fields allowed
}

func (d *decoder) header(rec []string, line int) error {
	idx := headerIndex(rec)
	for _, c := range d.kind.required() {
		if columnOf(idx, c) < 0 {
			return d.s.fail(line, "no column %q in the header of a %s file", c, d.kind)
		}
	}
	d.id, d.date, d.user, d.pc = columnOf(idx, "id"), columnOf(idx, "date"), columnOf(idx, "user"), columnOf(idx, "pc")
	d.activity, d.filename, d.url = columnOf(idx, "activity"), columnOf(idx, "filename"), columnOf(idx, "url")
	d.to, d.cc, d.bcc, d.from = columnOf(idx, "to"), columnOf(idx, "cc"), columnOf(idx, "bcc"), columnOf(idx, "from")
	d.size, d.attachments = columnOf(idx, "size"), columnOf(idx, "attachments")
	d.width = len(rec)
	d.spill = columnOf(idx, "content") == len(rec)-1
	d.need = 1 + max(d.id, d.date, d.user, d.pc, d.activity, d.filename, d.url,
		d.to, d.cc, d.bcc, d.from, d.size, d.attachments)
	return nil
}

// decode returns the event of a row; ok is false for a bad row, with the
// error to return (nil when lenient).
func (d *decoder) decode(rec []string, line int) (ev Event, ok bool, err error) {
	s := d.s
	if len(rec) < d.need || (len(rec) > d.width && !d.spill) {
		return ev, false, s.bad(line, ReasonFields, "%d fields, want %d", len(rec), d.width)
	}
	t, good := parseDate(rec[d.date])
	if !good {
		return ev, false, s.bad(line, ReasonDate, "date %q is not MM/DD/YYYY HH:MM:SS", rec[d.date])
	}
	user := strings.TrimSpace(rec[d.user])
	if user == "" {
		return ev, false, s.bad(line, ReasonEmpty, "empty user")
	}
	ev = Event{Kind: d.kind, Line: line, Time: t, User: d.in.get(user), PC: d.in.get(strings.TrimSpace(rec[d.pc]))}
	if d.id >= 0 {
		ev.ID = strings.Clone(strings.TrimSpace(rec[d.id]))
	}
	if d.activity >= 0 {
		ev.Activity = d.in.get(strings.TrimSpace(rec[d.activity]))
	}
	switch d.kind {
	case KindFile:
		ev.Filename = strings.Clone(strings.TrimSpace(rec[d.filename]))
	case KindHTTP:
		ev.Domain = d.in.get(urlDomain(rec[d.url]))
	case KindEmail:
		return d.email(ev, rec, line)
	}
	return ev, true, nil
}

func (d *decoder) email(ev Event, rec []string, line int) (Event, bool, error) {
	s := d.s
	if d.size >= 0 {
		if c := strings.TrimSpace(rec[d.size]); c != "" {
			n, err := strconv.ParseInt(c, 10, 64)
			if err != nil || n < 0 {
				return ev, false, s.bad(line, ReasonNumber, "size %q is not a byte count", c)
			}
			ev.Size = n
		}
	}
	if d.attachments >= 0 {
		c := strings.TrimSpace(rec[d.attachments])
		if n, err := strconv.Atoi(c); err == nil && n >= 0 {
			ev.Attachments = n
		} else if c != "" && strings.IndexFunc(c, isDigitOrSign) == 0 {
			return ev, false, s.bad(line, ReasonNumber, "attachments %q is not a count", c)
		} else {
			ev.Attachments = countList(c) // later releases list the files
		}
	}
	from := ""
	if d.from >= 0 {
		from = strings.TrimSpace(rec[d.from])
		ev.From = d.in.get(from)
	}
	own := domainOf(from)
	for _, col := range []int{d.to, d.cc, d.bcc} {
		if col < 0 {
			continue
		}
		for a := range strings.SplitSeq(rec[col], ";") {
			a = strings.TrimSpace(a)
			if a == "" {
				continue
			}
			ev.Recipients++
			if !strings.EqualFold(domainOf(a), own) {
				ev.External++
			}
		}
	}
	return ev, true, nil
}

func isDigitOrSign(r rune) bool { return r == '-' || r == '+' || (r >= '0' && r <= '9') }

// countList counts the non-empty ';'-separated items of s.
func countList(s string) int {
	n := 0
	for a := range strings.SplitSeq(s, ";") {
		if strings.TrimSpace(a) != "" {
			n++
		}
	}
	return n
}

// domainOf returns the part of an address after its last '@'.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}

// urlDomain returns the lower-cased host of a URL: no scheme, user, port,
// path, query or fragment.
func urlDomain(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	if i := strings.LastIndexByte(u, ':'); i >= 0 && !strings.Contains(u[i:], "]") {
		u = u[:i]
	}
	if hasUpper(u) {
		return strings.ToLower(u)
	}
	return u
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return true
		}
	}
	return false
}
