package syscalls

import (
	ds "github.com/vigil-ml/vigil/datasets/syscalls"
)

// trace is one trace encoded for the model: its calls' ids, cut into call
// streams (one per thread when thread-aware), with what the protocol needs.
type trace struct {
	ID      string
	Attack  bool
	Family  string
	Calls   int      // number of calls
	Streams []stream // together they hold every call once
	Times   []int64  // per call, in trace order (LID-DS), nil otherwise
	Exploit int64    // exploit start on the Times clock, 0 when none
}

// stream is a sequence of call ids and where each call sits in its trace.
type stream struct {
	IDs []int32
	Pos []int // trace positions of the calls, ascending
}

// encode turns traces into ids with vocab, splitting them into per-thread
// streams when threadAware and the trace records threads.
func encode(ts []ds.Trace, vocab *ds.Vocab, threadAware bool) []trace {
	out := make([]trace, len(ts))
	for i, t := range ts {
		ids := vocab.Encode(t)
		e := trace{ID: t.ID, Attack: t.Label == ds.Attack, Family: t.Family, Calls: len(ids), Exploit: t.ExploitStart}
		if t.Calls != nil {
			e.Times = make([]int64, len(t.Calls))
			for j, c := range t.Calls {
				e.Times[j] = c.Time
			}
		}
		if threadAware && t.Calls != nil {
			e.Streams = threadStreams(ids, ds.TIDs(t.Calls))
		} else {
			pos := make([]int, len(ids))
			for j := range pos {
				pos[j] = j
			}
			e.Streams = []stream{{IDs: ids, Pos: pos}}
		}
		out[i] = e
	}
	return out
}

// threadStreams groups ids by thread, threads in order of first call.
func threadStreams(ids, tids []int32) []stream {
	index := map[int32]int{}
	var out []stream
	for j, id := range ids {
		k, ok := index[tids[j]]
		if !ok {
			k = len(out)
			index[tids[j]] = k
			out = append(out, stream{})
		}
		out[k].IDs = append(out[k].IDs, id)
		out[k].Pos = append(out[k].Pos, j)
	}
	return out
}

// allStreams lists the id sequences of traces.
func allStreams(ts []trace) [][]int32 {
	var out [][]int32
	for _, t := range ts {
		for _, s := range t.Streams {
			out = append(out, s.IDs)
		}
	}
	return out
}
