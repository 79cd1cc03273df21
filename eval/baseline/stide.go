package baseline

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Default STIDE parameters: window length 6 (Forrest et al. 1996) and
// locality frame 20 (Warrender, Forrest & Pearlmutter 1999).
const (
	DefaultSTIDEN     = 6
	DefaultSTIDEFrame = 20
)

// STIDE configures the sequence time-delay embedding detector of Forrest et
// al. (1996), "A sense of self for Unix processes", with the locality frame
// count of Warrender, Forrest & Pearlmutter (1999), "Detecting intrusions
// using system calls: alternative data models".
//
// N is the window (n-gram) length and Frame the locality frame size L, both
// in system calls; zero means the default (DefaultSTIDEN, DefaultSTIDEFrame).
type STIDE struct {
	N, Frame int
}

// Fit builds the normal database from traces, each a thread-aware stream of
// system-call ids in call order: every length-N sliding window of every
// trace, and the first k calls of every trace for each k < N, against which
// test traces shorter than N are matched (see STIDEModel.Mismatches). Empty
// traces are skipped. Errors: N or Frame negative, or no trace with a call.
func (s STIDE) Fit(traces [][]int32) (*STIDEModel, error) {
	n, frame, err := s.params()
	if err != nil {
		return nil, err
	}
	alpha := newAlphabet(traces)
	if alpha.size == 0 {
		return nil, fmt.Errorf("baseline: STIDE has no training calls")
	}
	m := &STIDEModel{n: n, frame: frame, alpha: alpha, short: make(map[string]struct{})}
	if b := max(bits.Len(uint(alpha.size-1)), 1); n <= 64 && n*b <= 64 {
		m.bits = uint(b)
		m.packed = make(map[uint64]struct{})
	} else {
		m.wide = make(map[string]struct{})
	}
	var raw []byte
	for _, t := range traces {
		rawLen := len(t) // wide keys need every call; packed ones the prefixes
		if m.packed != nil {
			rawLen = min(rawLen, n-1)
		}
		raw = appendRaw(raw[:0], t[:rawLen])
		for k := 1; k < n && k <= len(t); k++ {
			m.short[string(raw[:4*k])] = struct{}{}
		}
		m.addWindows(t, raw)
	}
	return m, nil
}

func (s STIDE) params() (n, frame int, err error) {
	n, frame = s.N, s.Frame
	if n == 0 {
		n = DefaultSTIDEN
	}
	if frame == 0 {
		frame = DefaultSTIDEFrame
	}
	if n < 0 || frame < 0 {
		return 0, 0, fmt.Errorf("baseline: STIDE N %d, Frame %d, want >= 1 (0 for the default)", s.N, s.Frame)
	}
	return n, frame, nil
}

// addWindows inserts every length-n window of t; raw is t as appendRaw bytes.
func (m *STIDEModel) addWindows(t []int32, raw []byte) {
	if len(t) < m.n {
		return
	}
	if m.packed == nil {
		for j := 0; j+m.n <= len(t); j++ {
			m.wide[string(raw[4*j:4*(j+m.n)])] = struct{}{}
		}
		return
	}
	var key uint64
	for i, id := range t {
		c, _ := m.alpha.code(id) // every training id is known
		key = (key<<m.bits | uint64(c)) & m.mask()
		if i >= m.n-1 {
			m.packed[key] = struct{}{}
		}
	}
}

// appendRaw appends ids as 4-byte little-endian words, the exact key bytes
// of unpacked windows.
func appendRaw(dst []byte, ids []int32) []byte {
	for _, id := range ids {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(id))
	}
	return dst
}
