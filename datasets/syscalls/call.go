package syscalls

import "strconv"

// Direction tells whether an event is the entry into or the exit from a
// system call.
type Direction int8

// Directions of an event.
const (
	DirNone  Direction = iota // not recorded (ADFA-LD, UNM)
	DirEnter                  // ">" in LID-DS
	DirExit                   // "<" in LID-DS
)

// String returns ">" , "<" or "" as LID-DS writes the direction.
func (d Direction) String() string {
	switch d {
	case DirEnter:
		return ">"
	case DirExit:
		return "<"
	}
	return ""
}

// Call is one system-call event. Fields a format does not record are zero,
// except Num, which is -1 when only the name is known.
type Call struct {
	Time    int64     // nanoseconds: Unix time (LID-DS 2021), time since midnight of the first day (LID-DS 2019), or a synthetic clock
	Ret     int64     // return value; meaningful when HasRet
	Name    string    // syscall name, "" when only the number is known
	Process string    // process name
	Num     int32     // syscall number, -1 when only the name is known
	TID     int32     // thread id
	PID     int32     // process id (not recorded by LID-DS 2019)
	UID     uint32    // user id
	ArgLen  int32     // bytes of the argument text after the name and direction, trailing blanks excluded
	NArgs   int16     // number of key=value arguments
	CPU     int16     // CPU the event was recorded on (LID-DS 2019)
	Dir     Direction // enter, exit or not recorded
	HasRet  bool      // whether the event carried a parsable res= return value
}

// Key is the token a vocabulary uses for c: its name when known, else its
// number in decimal.
func (c Call) Key() string {
	if c.Name != "" {
		return c.Name
	}
	return strconv.Itoa(int(c.Num))
}
