package baseline

// STIDEModel is a fitted STIDE normal database. It is read-only after Fit,
// so its methods may be called from several goroutines at once.
//
// Windows are exact: when the training alphabet of V distinct ids allows,
// a window is packed into one uint64 of N*bitlen(V-1) bits over dense codes
// (for example V <= 512 and N <= 7); otherwise its key is the 4*N bytes of
// its ids. A window holding an id never seen in training is a mismatch.
type STIDEModel struct {
	n, frame int
	alpha    alphabet
	bits     uint                // bits per code in packed keys, 0 when wide
	packed   map[uint64]struct{} // length-n windows as packed codes
	wide     map[string]struct{} // length-n windows as raw bytes
	short    map[string]struct{} // first k < n calls of each training trace
}

// N returns the window length.
func (m *STIDEModel) N() int { return m.n }

// Frame returns the locality frame size L.
func (m *STIDEModel) Frame() int { return m.frame }

// Size returns the number of distinct length-N windows in the database.
func (m *STIDEModel) Size() int { return len(m.packed) + len(m.wide) }

func (m *STIDEModel) mask() uint64 {
	if w := uint(m.n) * m.bits; w < 64 {
		return 1<<w - 1
	}
	return ^uint64(0)
}

// Mismatches returns one flag per window of trace, true when the window is
// not in the database. A trace of T >= N calls has T-N+1 windows, window j
// covering calls j..j+N-1. A trace of 1 <= T < N calls is one short window,
// the whole trace, which matches when some training trace starts with those
// T calls (a whole short training trace or the start of a longer one). An
// empty trace has no windows.
func (m *STIDEModel) Mismatches(trace []int32) []bool {
	switch {
	case len(trace) == 0:
		return nil
	case len(trace) < m.n:
		_, ok := m.short[string(appendRaw(nil, trace))]
		return []bool{!ok}
	}
	out := make([]bool, len(trace)-m.n+1)
	if m.packed == nil {
		raw := appendRaw(make([]byte, 0, 4*len(trace)), trace)
		for j := range out {
			_, ok := m.wide[string(raw[4*j:4*(j+m.n)])]
			out[j] = !ok
		}
		return out
	}
	var key uint64
	mask, known := m.mask(), 0 // known: run of seen ids ending at call i
	for i, id := range trace {
		if c, ok := m.alpha.code(id); ok {
			key = (key<<m.bits | uint64(c)) & mask
			known++
		} else {
			known = 0
		}
		if i >= m.n-1 {
			_, ok := m.packed[key]
			out[i-m.n+1] = known < m.n || !ok
		}
	}
	return out
}

// LFC returns the locality frame count of each window of trace (windows as
// in Mismatches): the number of mismatches among the last Frame windows up to
// and including it, or among all windows so far while fewer than Frame have
// been seen.
func (m *STIDEModel) LFC(trace []int32) []int {
	flags := m.Mismatches(trace)
	out := make([]int, len(flags))
	m.frameCounts(flags, func(j, count int) { out[j] = count })
	return out
}

// Score returns the trace's anomaly score, its largest locality frame count
// divided by Frame, in [0, 1]; 0 for an empty trace.
func (m *STIDEModel) Score(trace []int32) float64 {
	best := 0
	m.frameCounts(m.Mismatches(trace), func(_, count int) { best = max(best, count) })
	return float64(best) / float64(m.frame)
}

// frameCounts calls visit with each window's locality frame count.
func (m *STIDEModel) frameCounts(flags []bool, visit func(j, count int)) {
	count := 0
	for j, miss := range flags {
		if miss {
			count++
		}
		if j >= m.frame && flags[j-m.frame] {
			count--
		}
		visit(j, count)
	}
}

// CallScores returns one score per call of trace: the locality frame count
// of the window ending at that call divided by Frame. Window j of a trace of
// T >= N calls ends at call j+N-1 and a short trace's one window at its last
// call; calls at which no window ends (the first N-1) score 0.
func (m *STIDEModel) CallScores(trace []int32) []float64 {
	out := make([]float64, len(trace))
	lfc := m.LFC(trace)
	offset := len(trace) - len(lfc)
	for j, c := range lfc {
		out[j+offset] = float64(c) / float64(m.frame)
	}
	return out
}
