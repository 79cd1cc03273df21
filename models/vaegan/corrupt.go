package vaegan

import (
	"math/rand/v2"
	"slices"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
)

// trainingCalls lists, in increasing order, the call ids that occur in
// windows idx of ex: the replacements a corrupted window draws from.
func trainingCalls(ex models.Examples, idx []int) []int32 {
	seen := map[int32]bool{}
	for _, i := range idx {
		for _, id := range ex.IntAt(i) {
			if id != models.Pad {
				seen[id] = true
			}
		}
	}
	ids := make([]int32, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// fillCorrupted sets the discriminator's corrupted windows: the windows
// of its last fill (windows pos of ex) with each real call replaced, with
// probability rate, by a different call of calls, and at least one call
// replaced per window, so that none of these fakes is a real window; and,
// when it judges every call, their targets.
func (n *discNet) fillCorrupted(m *Model, ex models.Examples, pos []int, calls []int32, rate float64, rng *rand.Rand) error {
	w, E := n.in, m.Config.Embedding
	copy(n.corruptBuf, w.xBuf)
	clear(n.targetBuf)
	emb := m.Embed.Data()
	var real []int
	for i, e := range pos {
		ids := ex.IntAt(e)
		real = real[:0]
		for t := 0; t < w.T; t++ {
			if ids[t+1] != models.Pad {
				real = append(real, t)
			}
		}
		first := w.T
		replace := func(t int) {
			first = min(first, t)
			id := ids[t+1]
			for range 8 { // a different call, when there is one
				if id = calls[rng.IntN(len(calls))]; id != ids[t+1] {
					break
				}
			}
			copy(n.corruptBuf[(t*w.B+i)*E:][:E], emb[int(id)*E:][:E])
		}
		done := 0
		for _, t := range real {
			if rng.Float64() < rate {
				replace(t)
				done++
			}
		}
		if done == 0 && len(real) > 0 {
			replace(real[rng.IntN(len(real))])
		}
		for t := 0; t < first && n.targetBuf != nil; t++ {
			n.targetBuf[t*w.B+i] = 1
		}
	}
	if n.corruptTarget != nil {
		if err := graph.SetInput(n.corruptTarget, n.targetBuf); err != nil {
			return err
		}
	}
	return graph.SetInput(n.corrupt, n.corruptBuf)
}
