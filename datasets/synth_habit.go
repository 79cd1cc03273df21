package datasets

import (
	"math"
	"math/rand/v2"
	"sort"
)

// habit is one person's command model: a first-order Markov chain over a
// subset of the vocabulary. From the previous command it repeats it, moves
// to one of its favourite successors, or draws from a Zipf-like preference
// over the subset.
type habit struct {
	cmds   []int     // vocabulary indices
	cum    []float64 // cumulative preference over cmds, last = 1
	next   [][]int   // favourite successors (positions in cmds) per position
	repeat float64   // probability of repeating the previous command
	follow float64   // probability of moving to a favourite successor
}

// newHabit builds a habit over the common commands (total preference
// commonShare, Zipf in a lightly perturbed shared order) and the personal
// commands (total 1-commonShare, Zipf in the given order).
func newHabit(common, personal []int, commonShare float64, p synthParams, rng *rand.Rand) *habit {
	h := &habit{repeat: p.repeat, follow: p.follow}
	h.cmds = append(append(h.cmds, common...), personal...)
	w := make([]float64, len(h.cmds))
	var cs, ps float64
	for i := range common {
		w[i] = (0.5 + rng.Float64()) / float64(i+1)
		cs += w[i]
	}
	for i := range personal {
		w[len(common)+i] = 1 / math.Pow(float64(i+1), 1.1)
		ps += w[len(common)+i]
	}
	acc := 0.0
	h.cum = make([]float64, len(w))
	for i := range w {
		if i < len(common) {
			acc += commonShare * w[i] / cs
		} else {
			acc += (1 - commonShare) * w[i] / ps
		}
		h.cum[i] = acc
	}
	h.cum[len(h.cum)-1] = 1
	h.next = make([][]int, len(h.cmds))
	for i := range h.next {
		h.next[i] = []int{h.draw(rng), h.draw(rng)}
	}
	return h
}

// draw samples a position in cmds from the preference.
func (h *habit) draw(rng *rand.Rand) int {
	u := rng.Float64()
	return min(sort.SearchFloat64s(h.cum, u), len(h.cum)-1)
}

// step returns the position following prev (prev < 0: none yet).
func (h *habit) step(prev int, rng *rand.Rand) int {
	if prev < 0 {
		return h.draw(rng)
	}
	u := rng.Float64()
	switch {
	case u < h.repeat:
		return prev
	case u < h.repeat+h.follow:
		nx := h.next[prev]
		return nx[rng.IntN(len(nx))]
	default:
		return h.draw(rng)
	}
}

// run appends n commands (as names) continuing from *state, which it
// updates.
func (h *habit) run(dst []string, n int, state *int, vocab []string, rng *rand.Rand) []string {
	for range n {
		*state = h.step(*state, rng)
		dst = append(dst, vocab[h.cmds[*state]])
	}
	return dst
}
