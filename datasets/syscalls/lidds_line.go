package syscalls

import (
	"bytes"
	"strconv"
)

// Field layout of LID-DS event lines; the direction is the first ">" or
// "<" field at index dirIndex or later (process names may hold spaces).
//
//	2021: timestamp_ns user_id process_id process_name thread_id syscall_name direction args...
//	2019: event_number HH:MM:SS.nnnnnnnnn cpu user_id process_name thread_id direction syscall_name args...
const (
	dirIndex  = 6
	maxFields = 64
)

// span is a field's byte range in a line.
type span struct{ lo, hi int }

// interner shares the strings of repeated syscall and process names.
type interner map[string]string

func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// lineFields returns the fields of line up to and including the direction
// and the byte offset after it; dir is -1 when there is none.
func lineFields(line []byte, buf []span) (fields []span, dir, end int) {
	fields = buf[:0]
	i := 0
	for len(fields) < maxFields {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i == len(line) {
			break
		}
		j := i
		for j < len(line) && !isBlank(line[j]) {
			j++
		}
		fields = append(fields, span{i, j})
		if len(fields) > dirIndex && j-i == 1 && (line[i] == '>' || line[i] == '<') {
			return fields, len(fields) - 1, j
		}
		i = j
	}
	return fields, -1, len(line)
}

func direction(c byte) Direction {
	if c == '>' {
		return DirEnter
	}
	return DirExit
}

// lineParser parses the event lines of one LID-DS recording.
type lineParser struct {
	file   string
	names  interner
	fields []span
	day    int64 // 2019: days added after the time of day wrapped
	last   int64 // 2019: previous time of day
	seen   bool
}

func newLineParser(file string) *lineParser {
	return &lineParser{file: file, names: interner{}, fields: make([]span, 0, 16)}
}

// parse2021 parses one LID-DS 2021 line.
func (p *lineParser) parse2021(line []byte, n int) (Call, error) {
	f, d, end := lineFields(line, p.fields)
	p.fields = f
	if d < 0 {
		return Call{}, p.short(line, n, "timestamp_ns user_id process_id process_name thread_id syscall_name direction")
	}
	c := Call{Num: -1, Dir: direction(line[f[d].lo])}
	var ok bool
	get := func(i int) []byte { return line[f[i].lo:f[i].hi] }
	if c.Time, ok = parseInt64(get(0)); !ok || c.Time < 0 {
		return Call{}, parseErr(p.file, n, "timestamp %q is not a non-negative integer", get(0))
	}
	if c.UID, ok = parseUint32(get(1)); !ok {
		return Call{}, parseErr(p.file, n, "user id %q is not a number", get(1))
	}
	if c.PID, ok = parseID(get(2)); !ok {
		return Call{}, parseErr(p.file, n, "process id %q is not a number", get(2))
	}
	c.Process = p.names.get(line[f[3].lo:f[d-3].hi])
	if c.TID, ok = parseID(get(d - 2)); !ok {
		return Call{}, parseErr(p.file, n, "thread id %q is not a number", get(d-2))
	}
	c.Name = p.names.get(get(d - 1))
	setArgs(&c, line[end:])
	return c, nil
}

// parse2019 parses one LID-DS 2019 line; times of day that go back by
// more than 12 hours are taken to have passed midnight.
func (p *lineParser) parse2019(line []byte, n int) (Call, error) {
	f, d, end := lineFields(line, p.fields)
	p.fields = f
	if d < 0 {
		return Call{}, p.short(line, n, "event_number time cpu user_id process_name thread_id direction syscall_name")
	}
	name, rest := nextField(line[end:])
	if len(name) == 0 {
		return Call{}, parseErr(p.file, n, "missing syscall name after the direction")
	}
	c := Call{Num: -1, Dir: direction(line[f[d].lo])}
	get := func(i int) []byte { return line[f[i].lo:f[i].hi] }
	if _, ok := parseInt64(get(0)); !ok {
		return Call{}, parseErr(p.file, n, "event number %q is not an integer", get(0))
	}
	tod, ok := parseTimeOfDay(get(1))
	if !ok {
		return Call{}, parseErr(p.file, n, "time %q is not HH:MM:SS.nnnnnnnnn", get(1))
	}
	if p.seen && tod < p.last-dayNs/2 {
		p.day++
	}
	p.seen, p.last = true, tod
	c.Time = p.day*dayNs + tod
	cpu, ok := parseID(get(2))
	if !ok || cpu > 1<<15-1 {
		return Call{}, parseErr(p.file, n, "cpu %q is not a number", get(2))
	}
	c.CPU = int16(cpu)
	if c.UID, ok = parseUint32(get(3)); !ok {
		return Call{}, parseErr(p.file, n, "user id %q is not a number", get(3))
	}
	c.Process = p.names.get(line[f[4].lo:f[d-2].hi])
	if c.TID, ok = parseID(get(d - 1)); !ok {
		return Call{}, parseErr(p.file, n, "thread id %q is not a number", get(d-1))
	}
	c.Name = p.names.get(name)
	setArgs(&c, rest)
	return c, nil
}

// short reports a line without a direction field.
func (p *lineParser) short(line []byte, n int, want string) error {
	if len(bytes.TrimSpace(line)) == 0 {
		return parseErr(p.file, n, "empty line")
	}
	return parseErr(p.file, n, "truncated line %.60q: want %s args...", line, want)
}

const dayNs = 24 * 3600 * 1_000_000_000

// setArgs records the length, count and return value of the arguments.
func setArgs(c *Call, args []byte) {
	args = bytes.TrimLeft(bytes.TrimRight(args, " \t"), " \t")
	c.ArgLen = int32(min(len(args), 1<<31-1))
	nargs := 0
	for len(args) > 0 {
		var tok []byte
		tok, args = nextField(args)
		k := bytes.IndexByte(tok, '=')
		if k <= 0 {
			continue
		}
		nargs++
		if !c.HasRet && string(tok[:k]) == "res" {
			c.Ret, c.HasRet = parseRet(tok[k+1:])
		}
	}
	c.NArgs = int16(min(nargs, 1<<15-1))
}

// parseRet reads a return value such as "0", "-110(ETIMEDOUT)",
// "2(<f>/var/log/x)" or the hexadecimal address "7F5246360000".
func parseRet(v []byte) (int64, bool) {
	if i := bytes.IndexByte(v, '('); i >= 0 {
		v = v[:i]
	}
	if r, ok := parseInt64(v); ok {
		return r, true
	}
	if len(v) == 0 || len(v) > 16 {
		return 0, false
	}
	u, err := strconv.ParseUint(string(v), 16, 64)
	if err != nil {
		return 0, false
	}
	return int64(u), true
}

// parseInt64 parses an optionally signed decimal integer.
func parseInt64(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, b = b[0] == '-', b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
		if v < 0 {
			return 0, false
		}
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseID parses a non-negative decimal that fits an int32.
func parseID(b []byte) (int32, bool) { return parseSyscallNum(b) }

// parseUint32 parses a non-negative decimal that fits a uint32.
func parseUint32(b []byte) (uint32, bool) {
	v, ok := parseInt64(b)
	if !ok || v < 0 || v > 1<<32-1 || b[0] == '-' || b[0] == '+' {
		return 0, false
	}
	return uint32(v), true
}

// parseTimeOfDay parses HH:MM:SS with an optional fraction of up to nine
// digits into nanoseconds since midnight.
func parseTimeOfDay(b []byte) (int64, bool) {
	if len(b) < 8 || b[2] != ':' || b[5] != ':' {
		return 0, false
	}
	var hms [3]int64
	for i := range hms {
		v, ok := parseSyscallNum(b[3*i : 3*i+2])
		if !ok {
			return 0, false
		}
		hms[i] = int64(v)
	}
	if hms[0] > 23 || hms[1] > 59 || hms[2] > 60 {
		return 0, false
	}
	var frac int64
	if rest := b[8:]; len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return 0, false
		}
		v, ok := parseSyscallNum(rest[1:])
		if !ok {
			return 0, false
		}
		frac = int64(v)
		for range 10 - len(rest) {
			frac *= 10
		}
	}
	return ((hms[0]*60+hms[1])*60+hms[2])*1_000_000_000 + frac, true
}
