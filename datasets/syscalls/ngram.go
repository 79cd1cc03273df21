package syscalls

// NGrams returns the sliding windows of n consecutive ids, in the order
// their last call occurs. With tids (one thread id per id) the windows are
// thread-aware: each is taken from the calls of one thread, as the Ngram
// of the LID-DS library with thread_aware set; with nil tids the sequence
// is one stream. A thread with fewer than n calls gives none. The windows
// share one backing array. It returns nil when n is not positive or tids
// has another length than ids.
func NGrams(ids, tids []int32, n int) [][]int32 {
	if n <= 0 || (tids != nil && len(tids) != len(ids)) {
		return nil
	}
	if tids == nil {
		k := max(len(ids)-n+1, 0)
		out := make([][]int32, k)
		for i := range out {
			out[i] = ids[i : i+n : i+n]
		}
		return out
	}
	pos := map[int32][]int{} // per thread: positions of its last n-1 calls and the current one
	var flat []int32
	var ends []int
	for i, t := range tids {
		p := append(pos[t], i)
		if len(p) > n {
			p = p[1:]
		}
		pos[t] = p
		if len(p) == n {
			for _, j := range p {
				flat = append(flat, ids[j])
			}
			ends = append(ends, len(flat))
		}
	}
	out := make([][]int32, len(ends))
	for k, e := range ends {
		out[k] = flat[e-n : e : e]
	}
	return out
}
