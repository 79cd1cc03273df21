package embed

import (
	"fmt"
	"sync"
)

// Model is a trained embedding: the input vectors of words and n-gram
// buckets. It is safe for concurrent use.
type Model struct {
	cfg   Config
	d     *dict
	wi    []float32
	rare  []float32 // OOVRareAverage vector
	stats Stats

	once  sync.Once
	known *Vectors // vectors of the training words, built on first use
}

// Dim is the vector dimension.
func (m *Model) Dim() int { return m.cfg.Dim }

// Config is the configuration used, defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// Stats describes the training run.
func (m *Model) Stats() Stats { return m.stats }

// Words returns the vocabulary by decreasing count (a copy).
func (m *Model) Words() []string { return append([]string(nil), m.d.words...) }

// Count returns the training count of word, 0 when it is not in the
// vocabulary.
func (m *Model) Count(word string) int {
	if id, ok := m.d.ids[word]; ok {
		return int(m.d.counts[id])
	}
	return 0
}

// Vector returns a new vector for word. A known word gets the average of
// its own input row and its n-gram rows, as fastText computes word vectors.
// An unknown word gets, under OOVSubword, the average of its n-gram rows
// (zero when it has none, as with MaxN 0) and, under OOVRareAverage, the
// average vector of the training words seen at most RareMaxCount times.
func (m *Model) Vector(word string) []float32 {
	if id, ok := m.d.ids[word]; ok {
		return m.average(m.d.rows(id))
	}
	if m.cfg.OOV == OOVRareAverage {
		return append([]float32(nil), m.rare...)
	}
	return m.average(ngramRows(nil, word, m.cfg.MinN, m.cfg.MaxN, len(m.d.words), m.cfg.Buckets))
}

// average returns the mean of the given input rows (zero for none).
func (m *Model) average(rows []int32) []float32 {
	dim := m.cfg.Dim
	v := make([]float32, dim)
	for _, r := range rows {
		ri := int(r) * dim
		add(v, m.wi[ri:ri+dim])
	}
	if len(rows) > 0 {
		scale(v, float32(1.0/float64(len(rows))))
	}
	return v
}

// initRare computes the OOVRareAverage vector.
func (m *Model) initRare() error {
	var n int
	sum := make([]float64, m.cfg.Dim)
	for id, c := range m.d.counts {
		if c > int64(m.cfg.RareMaxCount) {
			continue
		}
		for i, x := range m.average(m.d.rows(int32(id))) {
			sum[i] += float64(x)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("embed: OOV %q: no training word occurs at most %d times", OOVRareAverage, m.cfg.RareMaxCount)
	}
	m.rare = make([]float32, m.cfg.Dim)
	for i, x := range sum {
		m.rare[i] = float32(x / float64(n))
	}
	return nil
}

// Vectors returns the vectors of the training words in vocabulary order.
// The result is shared by later calls and must not be modified.
func (m *Model) Vectors() *Vectors {
	m.once.Do(func() {
		v := &Vectors{dim: m.cfg.Dim, ids: make(map[string]int, len(m.d.words))}
		for id, w := range m.d.words {
			v.add(w, m.average(m.d.rows(int32(id))))
		}
		m.known = v
	})
	return m.known
}

// Nearest returns the training word whose vector has the highest cosine
// similarity with v, and that similarity; ("", 0) when v is zero or has
// another dimension.
func (m *Model) Nearest(v []float32) (word string, cosine float64) {
	nb := m.Vectors().Nearest(v, 1)
	if len(nb) == 0 {
		return "", 0
	}
	return nb[0].Word, nb[0].Cosine
}
