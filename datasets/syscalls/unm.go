package syscalls

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// ReadUNM reads a trace file of the University of New Mexico system-call
// data (Forrest et al., "A Sense of Self for Unix Processes", 1996): lines
// "PID SYSCALL_NUMBER", processes possibly interleaved. It returns one
// number-only trace per process id in order of first appearance, with ID
// "<name>#<pid>" and the given label and split. Blank lines and trailing
// blanks are allowed; any other deviation is an error naming name and the
// line.
func ReadUNM(r io.Reader, name string, label Label, split Split) ([]Trace, error) {
	lr := newLineReader(r, name)
	index := map[int32]int{}
	var traces []Trace
	for {
		line, err := lr.next()
		if err == io.EOF {
			return traces, nil
		}
		if err != nil {
			return nil, err
		}
		pidTok, rest := nextField(line)
		if len(pidTok) == 0 {
			continue
		}
		numTok, rest := nextField(rest)
		if len(numTok) == 0 {
			return nil, parseErr(name, lr.line, "want \"PID SYSCALL_NUMBER\", got %q", line)
		}
		if extra, _ := nextField(rest); len(extra) > 0 {
			return nil, parseErr(name, lr.line, "unexpected field %q after the syscall number", extra)
		}
		pid, ok := parseID(pidTok)
		if !ok {
			return nil, parseErr(name, lr.line, "process id %q is not a number", pidTok)
		}
		num, ok := parseSyscallNum(numTok)
		if !ok {
			return nil, parseErr(name, lr.line, "token %q is not a syscall number", numTok)
		}
		i, ok := index[pid]
		if !ok {
			i = len(traces)
			index[pid] = i
			id := name + "#" + strconv.Itoa(int(pid))
			traces = append(traces, Trace{ID: id, Label: label, Split: split, Nums: []int32{}})
		}
		traces[i].Nums = append(traces[i].Nums, num)
	}
}

// ReadUNMFile reads the UNM trace file at path with ReadUNM, naming the
// traces after the file's base name.
func ReadUNMFile(path string, label Label, split Split) ([]Trace, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, parseErr(filepath.Base(path), 0, "%v", err)
	}
	defer fh.Close()
	return ReadUNM(fh, filepath.Base(path), label, split)
}
