package baseline

// tableLimit bounds the id range kept in a lookup table; ids outside
// [0, tableLimit) fall back to a map.
const tableLimit = 1 << 20

// alphabet maps the system-call ids seen in training to dense codes
// 0..size-1 in order of first sight, so that a window of n codes packs into
// n*bits.Len(size-1) bits.
type alphabet struct {
	table []int32         // table[id] = code+1, 0 when unseen; nil if ids is used
	ids   map[int32]int32 // id -> code when some id lies outside the table range
	size  int
}

func newAlphabet(traces [][]int32) alphabet {
	lo, hi, seen := int32(0), int32(0), false
	for _, t := range traces {
		for _, id := range t {
			if !seen {
				lo, hi, seen = id, id, true
			}
			lo, hi = min(lo, id), max(hi, id)
		}
	}
	var a alphabet
	if !seen {
		return a
	}
	if lo >= 0 && hi < tableLimit {
		a.table = make([]int32, int(hi)+1)
		for _, t := range traces {
			for _, id := range t {
				if a.table[id] == 0 {
					a.size++
					a.table[id] = int32(a.size)
				}
			}
		}
		return a
	}
	a.ids = make(map[int32]int32)
	for _, t := range traces {
		for _, id := range t {
			if _, ok := a.ids[id]; !ok {
				a.ids[id] = int32(a.size)
				a.size++
			}
		}
	}
	return a
}

// code returns id's dense code and whether id was seen in training.
func (a *alphabet) code(id int32) (int32, bool) {
	if a.table != nil {
		if id < 0 || int(id) >= len(a.table) || a.table[id] == 0 {
			return 0, false
		}
		return a.table[id] - 1, true
	}
	c, ok := a.ids[id]
	return c, ok
}
