package svm

// columnCache is LIBSVM's kernel cache: a least-recently-used set of
// columns of Q, each held for rows [0, len) only, so that a column asked for
// while the active set is shrunk costs only the active rows. Entries are
// float32, as LIBSVM's Qfloat, and sizes count entries.
type columnCache struct {
	free  int // entries that may still be allocated
	heads []cacheHead
	// lru is the sentinel of the circular list, heads[lru]; lru.next is the
	// least recently used column.
	lru int
}

type cacheHead struct {
	prev, next int
	data       []float32 // rows [0, len(data)) of the column; nil when not cached
}

// minCacheEntries is the smallest cache for l variables: two full columns,
// so that the pair of columns an SMO step uses never evicts each other.
func minCacheEntries(l int) int { return 2 * l }

// newColumnCache returns a cache for l columns of length l holding at most
// entries values (raised to minCacheEntries(l)).
func newColumnCache(l, entries int) *columnCache {
	entries = max(entries, minCacheEntries(l))
	c := &columnCache{free: entries, heads: make([]cacheHead, l+1), lru: l}
	c.heads[l].prev, c.heads[l].next = l, l
	return c
}

func (c *columnCache) unlink(h int) {
	p, n := c.heads[h].prev, c.heads[h].next
	c.heads[p].next = n
	c.heads[n].prev = p
}

// link puts h last, as the most recently used.
func (c *columnCache) link(h int) {
	last := c.heads[c.lru].prev
	c.heads[h].next = c.lru
	c.heads[h].prev = last
	c.heads[last].next = h
	c.heads[c.lru].prev = h
}

func (c *columnCache) evict(h int) {
	c.unlink(h)
	c.free += len(c.heads[h].data)
	c.heads[h].data = nil
}

// get returns column i, at least n long, and the row from which the caller
// must fill it (n or more when it was cached that far).
func (c *columnCache) get(i, n int) (col []float32, start int) {
	h := &c.heads[i]
	old := len(h.data)
	if old > 0 {
		c.unlink(i)
	}
	if more := n - old; more > 0 {
		for c.free < more {
			c.evict(c.heads[c.lru].next)
		}
		h = &c.heads[i] // evict does not move heads, but keep it obvious
		grown := make([]float32, n)
		copy(grown, h.data)
		h.data = grown
		c.free -= more
	}
	c.link(i)
	return h.data, old
}

// swap exchanges variables i and j: their columns, and rows i and j inside
// every cached column. A column that holds row min(i, j) but not
// max(i, j) cannot be swapped and is dropped, as LIBSVM does.
func (c *columnCache) swap(i, j int) {
	if i == j {
		return
	}
	if len(c.heads[i].data) > 0 {
		c.unlink(i)
	}
	if len(c.heads[j].data) > 0 {
		c.unlink(j)
	}
	c.heads[i].data, c.heads[j].data = c.heads[j].data, c.heads[i].data
	if len(c.heads[i].data) > 0 {
		c.link(i)
	}
	if len(c.heads[j].data) > 0 {
		c.link(j)
	}
	if i > j {
		i, j = j, i
	}
	for h := c.heads[c.lru].next; h != c.lru; {
		next := c.heads[h].next
		if d := c.heads[h].data; len(d) > i {
			if len(d) > j {
				d[i], d[j] = d[j], d[i]
			} else {
				c.evict(h)
			}
		}
		h = next
	}
}
