package ocsvm

// columnCache holds whole kernel columns, float32 as LIBSVM's Qfloat,
// indexed by training row, and drops the least recently used one when
// full. Columns are never recomputed differently, so the cache size
// changes the speed only.
type columnCache struct {
	cols       [][]float32 // by row; nil when not held
	prev, next []int       // LRU list over rows; sentinel at index len(cols)
	capacity   int         // most columns held, at least 2
	held       int
}

// newColumnCache returns a cache for l columns of l entries holding at
// most entries values (but always two columns, so that the pair an SMO
// step uses never evicts each other).
func newColumnCache(l, entries int) *columnCache {
	c := &columnCache{
		cols:     make([][]float32, l),
		prev:     make([]int, l+1),
		next:     make([]int, l+1),
		capacity: max(2, entries/max(l, 1)),
	}
	c.prev[l], c.next[l] = l, l
	return c
}

func (c *columnCache) unlink(i int) {
	p, n := c.prev[i], c.next[i]
	c.next[p] = n
	c.prev[n] = p
}

// pushBack makes i the most recently used.
func (c *columnCache) pushBack(i int) {
	s := len(c.cols)
	last := c.prev[s]
	c.prev[i], c.next[i] = last, s
	c.next[last] = i
	c.prev[s] = i
}

// get returns column i, computing it with fill on a miss. A slice returned
// earlier stays valid (and unchanged) even after its column is evicted.
func (c *columnCache) get(i int, fill func(col []float32)) []float32 {
	if col := c.cols[i]; col != nil {
		c.unlink(i)
		c.pushBack(i)
		return col
	}
	if c.held == c.capacity {
		lru := c.next[len(c.cols)]
		c.unlink(lru)
		c.cols[lru] = nil
		c.held--
	}
	col := make([]float32, len(c.cols))
	fill(col)
	c.cols[i] = col
	c.pushBack(i)
	c.held++
	return col
}
