package embed

import "math"

// negTableSize is the size of fastText's table of negative samples.
const negTableSize = 10_000_000

// negTable draws negative samples with the distribution of fastText's
// table: word i fills ceil(c_i*negTableSize/z) entries, c_i = count^power
// and z the sum of the c_i, and a draw picks a uniform entry. Instead of
// materialising the table, draws use Walker's alias method over the entry
// counts, which gives the same probabilities in O(1) with a table of one
// entry per word.
type negTable struct {
	entries []int64   // table entries per word
	prob    []float32 // alias method: keep column i with probability prob[i]
	alias   []int32   // else take alias[i]
}

// tableEntries returns the number of table entries of each word.
func tableEntries(counts []int64, power float64) []int64 {
	z := 0.0
	for _, c := range counts {
		z += math.Pow(float64(c), power)
	}
	out := make([]int64, len(counts))
	for i, c := range counts {
		out[i] = int64(math.Ceil(math.Pow(float64(c), power) * negTableSize / z))
	}
	return out
}

// newNegTable builds the sampler for word counts and exponent power.
func newNegTable(counts []int64, power float64) *negTable {
	t := &negTable{entries: tableEntries(counts, power)}
	n := len(counts)
	var total int64
	for _, e := range t.entries {
		total += e
	}
	// Vose's alias construction on scaled probabilities p_i*n.
	scaled := make([]float64, n)
	var small, large []int32
	for i, e := range t.entries {
		scaled[i] = float64(e) * float64(n) / float64(total)
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	t.prob = make([]float32, n)
	t.alias = make([]int32, n)
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.prob[s], t.alias[s] = float32(scaled[s]), l
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) {
		t.prob[i], t.alias[i] = 1, i
	}
	return t
}

// draw maps 64 random bits to a word: the high 32 bits pick a column, the
// low 24 bits decide between it and its alias.
func (t *negTable) draw(r uint64) int32 {
	col := int32((r >> 32) * uint64(len(t.prob)) >> 32)
	u := float32(r&(1<<24-1)) * (1.0 / (1 << 24))
	if u < t.prob[col] {
		return col
	}
	return t.alias[col]
}
