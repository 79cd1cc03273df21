package syscalls

// FilterDirection returns the calls of direction d and those without a
// recorded direction; LID-DS models usually keep DirEnter. DirNone
// returns calls unchanged.
func FilterDirection(calls []Call, d Direction) []Call {
	if d == DirNone {
		return calls
	}
	out := make([]Call, 0, len(calls)/2+1)
	for _, c := range calls {
		if c.Dir == d || c.Dir == DirNone {
			out = append(out, c)
		}
	}
	return out
}

// TIDs returns the thread id of every call.
func TIDs(calls []Call) []int32 {
	out := make([]int32, len(calls))
	for i, c := range calls {
		out[i] = c.TID
	}
	return out
}

// ThreadStreams splits calls into one stream per thread id, in order of
// each thread's first call, keeping the order of calls within a thread.
func ThreadStreams(calls []Call) [][]Call {
	index := map[int32]int{}
	var out [][]Call
	for _, c := range calls {
		i, ok := index[c.TID]
		if !ok {
			i = len(out)
			index[c.TID] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], c)
	}
	return out
}

// ThreadChangeFlags returns 1 for every call whose thread differs from
// the previous call's, and for the first call, else 0 (the
// ThreadChangeFlag of the LID-DS library, there computed only where an
// n-gram is complete).
func ThreadChangeFlags(calls []Call) []uint8 {
	out := make([]uint8, len(calls))
	for i, c := range calls {
		if i == 0 || c.TID != calls[i-1].TID {
			out[i] = 1
		}
	}
	return out
}

// TimeDeltas returns, for every call, the nanoseconds since the previous
// call of the same thread (threadAware) or of any thread, 0 for a first
// call, as the TimeDelta of the LID-DS library (which reports
// milliseconds divided by the largest training delta; see Normalize).
func TimeDeltas(calls []Call, threadAware bool) []int64 {
	out := make([]int64, len(calls))
	last := map[int32]int64{}
	for i, c := range calls {
		var tid int32
		if threadAware {
			tid = c.TID
		}
		if t, ok := last[tid]; ok {
			out[i] = c.Time - t
		}
		last[tid] = c.Time
	}
	return out
}

// ArgLengths returns the argument-text length of every call.
func ArgLengths(calls []Call) []int32 {
	out := make([]int32, len(calls))
	for i, c := range calls {
		out[i] = c.ArgLen
	}
	return out
}

// MaxOf returns the largest of values (0 for none), the scale Normalize
// takes, fitted on training data.
func MaxOf[T int32 | int64](values []T) T {
	var m T
	for _, v := range values {
		m = max(m, v)
	}
	return m
}

// Normalize divides values by scale, giving 0 everywhere when scale is not
// positive; values above scale give results above 1.
func Normalize[T int32 | int64](values []T, scale T) []float32 {
	out := make([]float32, len(values))
	if scale <= 0 {
		return out
	}
	for i, v := range values {
		out[i] = float32(float64(v) / float64(scale))
	}
	return out
}
