package embed

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Vectors is a table of word vectors, as read from a .vec file.
type Vectors struct {
	dim   int
	words []string
	data  []float32 // row i = data[i*dim : (i+1)*dim]
	norms []float64 // Euclidean norm of each row
	ids   map[string]int
}

// Neighbor is a word and its cosine similarity with a query vector.
type Neighbor struct {
	Word   string
	Cosine float64
}

// add appends a word (not yet present) and a copy of its vector.
func (v *Vectors) add(word string, vec []float32) {
	v.ids[word] = len(v.words)
	v.words = append(v.words, word)
	v.data = append(v.data, vec...)
	v.norms = append(v.norms, norm(vec))
}

// Len is the number of words.
func (v *Vectors) Len() int { return len(v.words) }

// Dim is the vector dimension.
func (v *Vectors) Dim() int { return v.dim }

// Words returns the words in table order (a copy).
func (v *Vectors) Words() []string { return append([]string(nil), v.words...) }

// Vector returns a copy of word's vector and whether word is present.
func (v *Vectors) Vector(word string) ([]float32, bool) {
	i, ok := v.ids[word]
	if !ok {
		return nil, false
	}
	return append([]float32(nil), v.row(i)...), true
}

func (v *Vectors) row(i int) []float32 { return v.data[i*v.dim : (i+1)*v.dim] }

// Nearest returns up to k words by decreasing cosine similarity with q
// (ties in table order). Words with a zero vector are skipped; the result
// is empty when k <= 0, q is zero or q's length is not Dim.
func (v *Vectors) Nearest(q []float32, k int) []Neighbor {
	qn := norm(q)
	if k <= 0 || len(q) != v.dim || qn == 0 {
		return nil
	}
	out := make([]Neighbor, 0, len(v.words))
	for i, w := range v.words {
		if v.norms[i] == 0 {
			continue
		}
		var s float64
		for j, x := range v.row(i) {
			s += float64(x) * float64(q[j])
		}
		out = append(out, Neighbor{w, s / (v.norms[i] * qn)})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Cosine > out[b].Cosine })
	return out[:min(k, len(out))]
}

// Cosine returns the cosine similarity of a and b, 0 when either is zero
// or their lengths differ.
func Cosine(a, b []float32) float64 {
	na, nb := norm(a), norm(b)
	if len(a) != len(b) || na == 0 || nb == 0 {
		return 0
	}
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s / (na * nb)
}

func norm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// NewVectors builds a table from words and their vectors (copied). Words must
// be unique and non-empty without whitespace, and vectors of one length.
func NewVectors(words []string, vecs [][]float32) (*Vectors, error) {
	if len(words) != len(vecs) {
		return nil, fmt.Errorf("embed: %d words but %d vectors", len(words), len(vecs))
	}
	v := &Vectors{ids: make(map[string]int, len(words))}
	for i, w := range words {
		if i == 0 {
			v.dim = len(vecs[0])
		}
		if len(vecs[i]) != v.dim {
			return nil, fmt.Errorf("embed: vector of %q has %d values, want %d", w, len(vecs[i]), v.dim)
		}
		if w == "" || strings.ContainsAny(w, " \t\n\r") {
			return nil, fmt.Errorf("embed: word %q is empty or holds whitespace", w)
		}
		if _, dup := v.ids[w]; dup {
			return nil, fmt.Errorf("embed: word %q appears twice", w)
		}
		v.add(w, vecs[i])
	}
	return v, nil
}
