package logins

import (
	"bufio"
	"errors"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"
)

// maxLine bounds the length of one log line.
const maxLine = 1 << 20

// SSHDOptions configure ReadSSHD.
type SSHDOptions struct {
	Options
	// Year is the year of the first classic syslog timestamp, which has
	// none; a step from December to January advances it. Zero means the
	// current year.
	Year int
	// Location is the zone of classic syslog timestamps; UTC when nil.
	Location *time.Location
	// ExpandRepeats turns "message repeated N times: [ ... ]" lines that
	// repeat a login message into N events; otherwise they are ignored.
	ExpandRepeats bool
}

// ReadSSHD streams the login events of OpenSSH sshd syslog lines:
//
//	Accepted <method> for USER from IP port N ...
//	Failed <method> for USER from IP port N ...
//	Failed <method> for invalid user USER from IP port N ...
//
// Lines start with a classic syslog timestamp ("Dec 10 06:55:46") or an
// RFC 3339 one, then the host and "sshd[pid]:" (or "sshd-session[pid]:").
// Other sshd messages and other programs' lines are counted in
// Stats.Ignored; blank lines are passed over. The sequence is single use;
// the *Stats is filled as it is iterated.
func ReadSSHD(r io.Reader, opt SSHDOptions) (iter.Seq2[Event, error], *Stats) {
	s := newState(opt.Options)
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	year := opt.Year
	if year == 0 {
		year = time.Now().In(loc).Year()
	}
	seq := func(yield func(Event, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64<<10), maxLine)
		line := 0
		prevMonth := time.Month(0)
		for sc.Scan() {
			line++
			text := strings.TrimRight(sc.Text(), "\r")
			if strings.TrimSpace(text) == "" {
				continue
			}
			s.st.Records++
			ts, msg, prog, ok := splitSyslog(text, &year, &prevMonth, loc)
			if !ok {
				if err := s.bad(line, ReasonSyntax, "not a syslog line"); err != nil {
					yield(Event{}, err)
					return
				}
				continue
			}
			repeat := 1
			if n, inner, isRep := repeated(msg); isRep {
				if !opt.ExpandRepeats {
					s.st.Ignored++
					continue
				}
				repeat, msg = n, inner
			}
			if !strings.HasPrefix(prog, "sshd") {
				s.st.Ignored++
				continue
			}
			ev, isLogin, reason, emsg := parseSSHDLogin(msg)
			if !isLogin {
				s.st.Ignored++
				continue
			}
			if emsg != "" {
				if err := s.bad(line, reason, "%s", emsg); err != nil {
					yield(Event{}, err)
					return
				}
				continue
			}
			ev.Line, ev.Time = line, ts
			for range repeat {
				s.st.Events++
				if !yield(ev, nil) {
					return
				}
			}
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				err = s.fail(line+1, "line longer than %d bytes", maxLine)
			} else {
				err = s.fail(line, "%v", err)
			}
			yield(Event{}, err)
		}
	}
	return seq, s.st
}

// splitSyslog splits a syslog line into its time, message and program
// name (without "[pid]"). year and prev track the year of timestamps that
// lack one.
func splitSyslog(text string, year *int, prev *time.Month, loc *time.Location) (ts time.Time, msg, prog string, ok bool) {
	var rest string
	if len(text) > 16 && text[15] == ' ' {
		if t, err := time.Parse(time.Stamp, text[:15]); err == nil {
			m := t.Month()
			if *prev == time.December && m == time.January {
				*year++
			}
			*prev = m
			ts = time.Date(*year, m, t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
			rest = text[16:]
		}
	}
	if rest == "" {
		first, after, found := strings.Cut(text, " ")
		if !found {
			return ts, "", "", false
		}
		t, err := time.Parse(time.RFC3339Nano, first)
		if err != nil {
			return ts, "", "", false
		}
		ts, rest = t, after
	}
	_, rest, found := strings.Cut(strings.TrimLeft(rest, " "), " ") // host
	if !found {
		return ts, "", "", false
	}
	tag, msg, found := strings.Cut(rest, ": ")
	if !found || tag == "" || strings.Contains(tag, " ") {
		return ts, "", "", false
	}
	prog, _, _ = strings.Cut(tag, "[")
	return ts, msg, prog, true
}

// repeated recognises "message repeated N times: [ MSG]".
func repeated(msg string) (n int, inner string, ok bool) {
	rest, found := strings.CutPrefix(msg, "message repeated ")
	if !found {
		return 0, "", false
	}
	num, rest, found := strings.Cut(rest, " times: [")
	if !found {
		return 0, "", false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 {
		return 0, "", false
	}
	return n, strings.TrimSuffix(strings.TrimSpace(rest), "]"), true
}

// parseSSHDLogin parses an sshd message. isLogin is false for messages
// that are not login results; emsg is set when one is malformed.
func parseSSHDLogin(msg string) (ev Event, isLogin bool, reason Reason, emsg string) {
	word, rest, _ := strings.Cut(msg, " ")
	switch word {
	case "Accepted":
		ev.Outcome = OutcomeAccepted
	case "Failed":
		ev.Outcome = OutcomeFailed
	default:
		return ev, false, "", ""
	}
	method, rest, found := strings.Cut(rest, " for ")
	if !found || method == "" || strings.Contains(method, " ") {
		return ev, false, "", ""
	}
	ev.Method = method
	if user, ok := strings.CutPrefix(rest, "invalid user "); ok {
		ev.InvalidUser, rest = true, user
	}
	// The user name may hold anything, so the address is taken after the
	// last " from ".
	i := strings.LastIndex(" "+rest, " from ")
	if i < 0 {
		return ev, true, ReasonSyntax, "login message without \"from ADDRESS\""
	}
	user := ""
	if i > 0 {
		user = rest[:i-1]
	}
	addr, tail, _ := strings.Cut(rest[i+5:], " ")
	if !strings.HasPrefix(tail, "port ") {
		return ev, true, ReasonSyntax, "login message without \"port N\""
	}
	if user == "" {
		return ev, true, ReasonEmptyEntity, "empty user name"
	}
	a, reason, m := parseIPv4(addr)
	if m != "" {
		return ev, true, reason, m
	}
	ev.Entity, ev.IP = user, a
	return ev, true, "", ""
}
