package forest

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach calls fn(0), …, fn(n−1) on up to workers goroutines (zero:
// GOMAXPROCS). Each call must write only its own results, so the outcome
// does not depend on the number of workers or on scheduling.
func forEach(n, workers int, fn func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}
