package svm

// columnCache is LIBSVM's kernel cache: a least-recently-used set of
// columns of Q, each held for rows [0, len) only, so that a column asked for
// while the active set is shrunk costs only the active rows. Entries are
// float32, as LIBSVM's Qfloat, and sizes count entries.
//
// Swapping two variables exchanges their columns at once, but the rows
// inside the cached columns lazily: the swap is logged, and a column applies
// the swaps it has not seen when it is next asked for (or when the log is
// flushed into every column), one column at a time while its memory is hot,
// instead of LIBSVM's walk over every cached column at every swap. The
// columns hold the same values either way; only the moment a column that
// cannot take a swap is dropped differs, which changes what the cache holds,
// never a result.
type columnCache struct {
	free  int // entries that may still be allocated
	heads []cacheHead
	// lru is the sentinel of the circular list, heads[lru]; lru.next is the
	// least recently used column.
	lru int
	// log holds the row swaps (i < j) since the last flush; a column has
	// applied log[:synced].
	log []rowSwap
}

type cacheHead struct {
	prev, next int
	data       []float32 // rows [0, len(data)) of the column; nil when not cached
	synced     int       // the prefix of log applied to data
}

type rowSwap struct{ i, j int }

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

// sync applies the logged swaps that cached column h has not seen. A
// column that holds row i of a swap but not row j cannot take it and is
// dropped, as LIBSVM drops it.
func (c *columnCache) sync(h int) {
	hd := &c.heads[h]
	d := hd.data
	for _, s := range c.log[hd.synced:] {
		if len(d) > s.i {
			if len(d) <= s.j {
				c.evict(h)
				return
			}
			d[s.i], d[s.j] = d[s.j], d[s.i]
		}
	}
	hd.synced = len(c.log)
}

// get returns column i, at least n long, and the row from which the caller
// must fill it (n or more when it was cached that far).
func (c *columnCache) get(i, n int) (col []float32, start int) {
	h := &c.heads[i]
	if len(h.data) > 0 && h.synced < len(c.log) {
		c.sync(i)
	}
	old := len(h.data)
	if old > 0 {
		c.unlink(i)
	}
	if more := n - old; more > 0 {
		for c.free < more {
			c.evict(c.heads[c.lru].next)
		}
		grown := make([]float32, n)
		copy(grown, h.data)
		h.data = grown
		h.synced = len(c.log)
		c.free -= more
	}
	c.link(i)
	return h.data, old
}

// swap exchanges variables i and j: their columns now, and rows i and j
// inside every cached column when it is next used (see columnCache).
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
	hi, hj := &c.heads[i], &c.heads[j]
	hi.data, hj.data = hj.data, hi.data
	hi.synced, hj.synced = hj.synced, hi.synced
	if len(hi.data) > 0 {
		c.link(i)
	}
	if len(hj.data) > 0 {
		c.link(j)
	}
	if i > j {
		i, j = j, i
	}
	c.log = append(c.log, rowSwap{i, j})
	if len(c.log) >= len(c.heads) {
		c.flush()
	}
}

// flush applies the whole log to every cached column and empties it.
func (c *columnCache) flush() {
	for h := c.heads[c.lru].next; h != c.lru; {
		next := c.heads[h].next
		c.sync(h)
		c.heads[h].synced = 0
		h = next
	}
	c.log = c.log[:0]
}
