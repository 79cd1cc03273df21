package baseline

// vocabulary maps each command seen in training to an index; index len(ids)
// is the shared slot for commands never seen in training.
type vocabulary struct {
	ids map[string]int
}

// newVocabulary indexes every command in train, in order of first sight.
func newVocabulary(train [][]string) vocabulary {
	v := vocabulary{ids: make(map[string]int)}
	for _, cmds := range train {
		for _, c := range cmds {
			if _, ok := v.ids[c]; !ok {
				v.ids[c] = len(v.ids)
			}
		}
	}
	return v
}

// size is the number of slots: known commands plus the unknown slot.
func (v vocabulary) size() int { return len(v.ids) + 1 }

// index returns c's slot, the unknown slot for an unseen command.
func (v vocabulary) index(c string) int {
	if i, ok := v.ids[c]; ok {
		return i
	}
	return len(v.ids)
}

// counts returns per-slot counts of cmds.
func (v vocabulary) counts(cmds []string) []float64 {
	n := make([]float64, v.size())
	for _, c := range cmds {
		n[v.index(c)]++
	}
	return n
}
