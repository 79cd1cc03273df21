package datasets

import "sort"

// Vocab is the set of distinct commands of a corpus with their counts,
// ordered by decreasing count, ties by first appearance.
type Vocab struct {
	words  []string
	counts []int
	ids    map[string]int
}

// BuildVocab counts the commands of all sequences.
func BuildVocab(seqs [][]string) *Vocab {
	v := &Vocab{ids: map[string]int{}}
	for _, s := range seqs {
		for _, c := range s {
			id, ok := v.ids[c]
			if !ok {
				id = len(v.words)
				v.ids[c] = id
				v.words = append(v.words, c)
				v.counts = append(v.counts, 0)
			}
			v.counts[id]++
		}
	}
	order := make([]int, len(v.words))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return v.counts[order[a]] > v.counts[order[b]] })
	words, counts := make([]string, len(order)), make([]int, len(order))
	for newID, old := range order {
		words[newID], counts[newID] = v.words[old], v.counts[old]
		v.ids[words[newID]] = newID
	}
	v.words, v.counts = words, counts
	return v
}

// Len is the number of distinct commands.
func (v *Vocab) Len() int { return len(v.words) }

// Words returns the commands in vocabulary order (a copy).
func (v *Vocab) Words() []string { return append([]string(nil), v.words...) }

// ID returns the index of c and whether c is known.
func (v *Vocab) ID(c string) (int, bool) {
	id, ok := v.ids[c]
	return id, ok
}

// Count returns how often c occurred (0 when unknown).
func (v *Vocab) Count(c string) int {
	if id, ok := v.ids[c]; ok {
		return v.counts[id]
	}
	return 0
}

// Table returns lookup(w) for every command in vocabulary order, the table
// a Scaler is fitted on.
func (v *Vocab) Table(lookup func(string) []float32) [][]float32 {
	return Embed(v.words, lookup)
}
