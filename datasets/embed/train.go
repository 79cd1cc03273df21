package embed

import (
	"math/rand/v2"
	"sync"
	"time"
)

// Train learns embeddings of the words of corpus, one sentence per slice
// (for example one user's command history). Sentences are trained in runs
// of at most 1,024 tokens as in fastText. It fails on an invalid
// configuration, an empty word, or a corpus without any word of at least
// MinCount occurrences.
func Train(corpus [][]string, cfg Config) (*Model, error) {
	c, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	d, err := buildDict(corpus, c)
	if err != nil {
		return nil, err
	}
	s := &shared{cfg: c, d: d, chunks: d.encode(corpus)}
	var ntok int64
	for _, ch := range s.chunks {
		ntok += int64(len(ch))
	}
	s.total = int64(c.Epochs) * ntok
	nrows := len(d.words) + c.Buckets
	s.wi = make([]float32, nrows*c.Dim)
	initUniform(s.wi, float32(1/float64(c.Dim)), c.Seed, c.Threads)
	s.wo = make([]float32, len(d.words)*c.Dim)
	s.neg = newNegTable(d.counts, c.NegPower)

	workers := make([]*worker, c.Threads)
	for i := range workers {
		workers[i] = newWorker(s, i)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(i*len(s.chunks)/c.Threads, i == 0)
		}()
	}
	wg.Wait()
	st := Stats{Tokens: s.done.Load(), Duration: time.Since(start), Threads: c.Threads}
	var all lossSum
	for _, w := range workers {
		all.loss += w.total.loss
		all.examples += w.total.examples
	}
	st.Loss = all.mean()
	if c.Progress != nil {
		c.Progress(st.Tokens, s.total, workers[0].window.mean())
	}
	m := &Model{cfg: c, d: d, wi: s.wi, stats: st}
	if c.OOV == OOVRareAverage {
		if err := m.initRare(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// initBlock is the number of values drawn from one generator in
// initUniform; the result does not depend on the number of goroutines.
const initBlock = 1 << 20

// initUniform fills v with values uniform in [-bound, bound), block b from
// a PCG seeded (seed, b) with a fixed high bit, using up to threads
// goroutines.
func initUniform(v []float32, bound float32, seed uint64, threads int) {
	nblocks := (len(v) + initBlock - 1) / initBlock
	var wg sync.WaitGroup
	for t := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := t; b < nblocks; b += threads {
				rng := rand.NewPCG(seed, uint64(b)|1<<63)
				blk := v[b*initBlock : min(len(v), (b+1)*initBlock)]
				for i := range blk {
					u := float32(rng.Uint64()>>40) * (1.0 / (1 << 24))
					blk[i] = (2*u - 1) * bound
				}
			}
		}()
	}
	wg.Wait()
}
