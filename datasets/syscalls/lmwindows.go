package syscalls

import "fmt"

// NextCallWindows are the examples of a next-call language model: windows
// of Length ids each followed by the id to predict.
type NextCallWindows struct {
	Length  int
	Inputs  []int32 // flat, laid out [N, Length]
	Targets []int32 // [N], the id following each window
	Source  []int32 // [N], index of the sequence each window comes from
}

// N is the number of windows.
func (w NextCallWindows) N() int { return len(w.Targets) }

// Input returns window i (a view into Inputs).
func (w NextCallWindows) Input(i int) []int32 {
	return w.Inputs[i*w.Length : (i+1)*w.Length : (i+1)*w.Length]
}

// NextCallWindowCount is the number of windows MakeNextCallWindows takes
// from a sequence of n ids: windows start at 0, stride, 2*stride, .. while
// a target remains after them.
func NextCallWindowCount(n, length, stride int) int {
	if length <= 0 || stride <= 0 || n <= length {
		return 0
	}
	return (n-length-1)/stride + 1
}

// MakeNextCallWindows cuts every sequence (for example the encoded
// traces, or their thread streams) into windows of length ids starting
// every stride ids, each with the next id as target. Windows never cross
// sequences. It fails when length or stride is not positive.
func MakeNextCallWindows(seqs [][]int32, length, stride int) (NextCallWindows, error) {
	if length <= 0 || stride <= 0 {
		return NextCallWindows{}, fmt.Errorf("syscalls: window length %d and stride %d must be positive", length, stride)
	}
	total := 0
	for _, s := range seqs {
		total += NextCallWindowCount(len(s), length, stride)
	}
	w := NextCallWindows{Length: length, Inputs: make([]int32, 0, total*length),
		Targets: make([]int32, 0, total), Source: make([]int32, 0, total)}
	for si, s := range seqs {
		for k := range NextCallWindowCount(len(s), length, stride) {
			start := k * stride
			w.Inputs = append(w.Inputs, s[start:start+length]...)
			w.Targets = append(w.Targets, s[start+length])
			w.Source = append(w.Source, int32(si))
		}
	}
	return w, nil
}
