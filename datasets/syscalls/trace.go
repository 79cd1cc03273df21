package syscalls

import "strconv"

// Label says whether a trace is normal behaviour or contains an attack.
type Label int8

// Labels of a trace.
const (
	Normal Label = iota
	Attack
)

// String returns "normal" or "attack".
func (l Label) String() string {
	if l == Attack {
		return "attack"
	}
	return "normal"
}

// Split is the part of a dataset a trace belongs to.
type Split string

// Splits of a dataset; SplitNone when the layout does not say.
const (
	SplitNone       Split = ""
	SplitTrain      Split = "train"
	SplitValidation Split = "validation"
	SplitTest       Split = "test"
)

// Trace is one recording: a sequence of system calls with its labels.
// Number-only formats (ADFA-LD, UNM) fill Nums and leave Calls nil, which
// keeps them at four bytes a call; formats with events fill Calls.
type Trace struct {
	ID           string  // file path relative to the dataset root (without extension for LID-DS), or a generated name
	Label        Label   // normal or attack
	Family       string  // attack family such as "Adduser", "" for normal traces
	Split        Split   // train, validation or test
	Nums         []int32 // syscall numbers of a number-only trace
	Calls        []Call  // events of a trace with event details
	ExploitStart int64   // time (on the Calls' clock) the exploit started, 0 when there is none or it is unknown
}

// Len is the number of calls.
func (t Trace) Len() int {
	if t.Calls != nil {
		return len(t.Calls)
	}
	return len(t.Nums)
}

// Keys returns the vocabulary token of every call (see Call.Key).
func (t Trace) Keys() []string {
	if t.Calls != nil {
		out := make([]string, len(t.Calls))
		for i, c := range t.Calls {
			out[i] = c.Key()
		}
		return out
	}
	out := make([]string, len(t.Nums))
	for i, n := range t.Nums {
		out[i] = strconv.Itoa(int(n))
	}
	return out
}

// Events returns the calls of t; a number-only trace is expanded into
// calls with Num set, in one thread and without times.
func (t Trace) Events() []Call {
	if t.Calls != nil {
		return t.Calls
	}
	out := make([]Call, len(t.Nums))
	for i, n := range t.Nums {
		out[i] = Call{Num: n}
	}
	return out
}

// Syscalls returns the syscall numbers of t (-1 for calls known only by
// name). A number-only trace returns its own slice.
func (t Trace) Syscalls() []int32 {
	if t.Calls == nil {
		return t.Nums
	}
	out := make([]int32, len(t.Calls))
	for i, c := range t.Calls {
		out[i] = c.Num
	}
	return out
}

// AfterExploit counts the calls at or after ExploitStart (0 when it is 0).
func (t Trace) AfterExploit() int {
	if t.ExploitStart == 0 {
		return 0
	}
	n := 0
	for _, c := range t.Calls {
		if c.Time >= t.ExploitStart {
			n++
		}
	}
	return n
}
