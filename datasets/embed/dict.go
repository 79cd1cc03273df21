package embed

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// dict is the training vocabulary: words with at least MinCount
// occurrences, by decreasing count (ties by first appearance), with their
// input-matrix rows and subsampling keep probabilities.
type dict struct {
	words   []string
	counts  []int64
	ids     map[string]int32
	ntokens int64     // tokens of the corpus, dropped words included
	subOff  []int32   // rows of word i: subRows[subOff[i]:subOff[i+1]]
	subRows []int32   // the word's own row i first, then its n-gram rows
	keep    []float32 // probability of keeping an occurrence of word i
}

// buildDict counts the corpus and prepares the vocabulary for cfg.
func buildDict(corpus [][]string, cfg Config) (*dict, error) {
	counts := map[string]int64{}
	var order []string
	var ntokens int64
	for _, sent := range corpus {
		for _, w := range sent {
			if w == "" {
				return nil, errors.New("embed: empty word in corpus")
			}
			if _, ok := counts[w]; !ok {
				order = append(order, w)
			}
			counts[w]++
			ntokens++
		}
	}
	d := &dict{ids: map[string]int32{}, ntokens: ntokens}
	for _, w := range order {
		if counts[w] >= int64(cfg.MinCount) {
			d.words = append(d.words, w)
		}
	}
	if len(d.words) == 0 {
		return nil, fmt.Errorf("embed: no word occurs at least %d times in %d tokens", cfg.MinCount, ntokens)
	}
	if len(d.words)+cfg.Buckets > math.MaxInt32 {
		return nil, fmt.Errorf("embed: %d words and %d buckets exceed the row index range", len(d.words), cfg.Buckets)
	}
	sort.SliceStable(d.words, func(a, b int) bool { return counts[d.words[a]] > counts[d.words[b]] })
	d.counts = make([]int64, len(d.words))
	d.keep = make([]float32, len(d.words))
	d.subOff = make([]int32, 0, len(d.words)+1)
	for i, w := range d.words {
		d.ids[w] = int32(i)
		d.counts[i] = counts[w]
		d.keep[i] = keepProb(counts[w], ntokens, cfg.Sample)
		d.subOff = append(d.subOff, int32(len(d.subRows)))
		d.subRows = append(d.subRows, int32(i))
		d.subRows = ngramRows(d.subRows, w, cfg.MinN, cfg.MaxN, len(d.words), cfg.Buckets)
	}
	d.subOff = append(d.subOff, int32(len(d.subRows)))
	return d, nil
}

// keepProb is fastText's probability of keeping an occurrence of a word of
// the given count: sqrt(t/f) + t/f with f = count/ntokens, at most 1; 1
// when t is 0 (no subsampling).
func keepProb(count, ntokens int64, t float64) float32 {
	if t <= 0 {
		return 1
	}
	f := float64(count) / float64(ntokens)
	return float32(min(1, math.Sqrt(t/f)+t/f))
}

// rows returns the input-matrix rows of word id.
func (d *dict) rows(id int32) []int32 {
	return d.subRows[d.subOff[id]:d.subOff[id+1]]
}

// encode maps the corpus to word ids, leaving out dropped words, and cuts
// it into chunks of at most maxLine tokens (fastText's MAX_LINE_SIZE).
func (d *dict) encode(corpus [][]string) [][]int32 {
	var chunks [][]int32
	for _, sent := range corpus {
		var cur []int32
		for _, w := range sent {
			id, ok := d.ids[w]
			if !ok {
				continue
			}
			if len(cur) == maxLine {
				chunks = append(chunks, cur)
				cur = nil
			}
			cur = append(cur, id)
		}
		if len(cur) > 0 {
			chunks = append(chunks, cur)
		}
	}
	return chunks
}

// maxLine is the longest run of tokens trained as one line; context
// windows do not cross line boundaries.
const maxLine = 1024
