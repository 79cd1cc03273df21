package layers

import (
	"runtime"
	"sync"
)

// convScratch is one worker's packing and image buffers; w holds a packed
// filter shared by all workers of a call.
type convScratch struct {
	a, b, col, part, tail, w []float32
}

var scratchPool sync.Pool

// getScratch returns a scratch space for each of n workers.
func getScratch(n int) []*convScratch {
	s := make([]*convScratch, n)
	for i := range s {
		if v, ok := scratchPool.Get().(*convScratch); ok {
			s[i] = v
		} else {
			s[i] = new(convScratch)
		}
	}
	return s
}

func putScratch(s []*convScratch) {
	for _, v := range s {
		scratchPool.Put(v)
	}
}

// grow returns buf resized to n, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// workers is the number of goroutines used for n independent pieces of work.
func workers(n int) int { return max(1, min(n, runtime.GOMAXPROCS(0))) }

// parallelFor runs f(w, i) for i in [0, n) on nw goroutines; w in [0, nw)
// identifies the goroutine so that f can use per-goroutine scratch space.
func parallelFor(nw, n int, f func(w, i int)) {
	if nw <= 1 {
		for i := 0; i < n; i++ {
			f(0, i)
		}
		return
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for w := 0; w < nw; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// parallelChunks splits [0, n) into contiguous chunks of at least minChunk
// and runs f on them concurrently.
func parallelChunks(n, minChunk int, f func(lo, hi int)) {
	nw := max(1, min(workers(n), n/max(1, minChunk)))
	if nw == 1 {
		f(0, n)
		return
	}
	size := (n + nw - 1) / nw
	parallelFor(nw, nw, func(_, i int) {
		lo := i * size
		f(lo, min(n, lo+size))
	})
}

// elementwiseChunk is the smallest share of an elementwise op given to a goroutine.
const elementwiseChunk = 1 << 15
