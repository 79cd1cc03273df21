package program

import (
	"fmt"
	"slices"
)

// Align is the alignment of every buffer, in float32 values (256 bytes).
const Align = 64

func alignUp(n int) int { return (n + Align - 1) / Align * Align }

// block is a free range of the arena.
type block struct{ off, size int }

// arena is a best-fit allocator over a growing range of float32 values.
type arena struct {
	free []block // sorted by offset, coalesced
	end  int     // high-water mark
}

func (a *arena) alloc(size int) int {
	best := -1
	for i, b := range a.free {
		if b.size >= size && (best < 0 || b.size < a.free[best].size) {
			best = i
		}
	}
	if best >= 0 {
		b := &a.free[best]
		off := b.off
		b.off += size
		b.size -= size
		if b.size == 0 {
			a.free = slices.Delete(a.free, best, best+1)
		}
		return off
	}
	// Grow: extend a free block that ends at the top, or start a new one.
	if n := len(a.free); n > 0 && a.free[n-1].off+a.free[n-1].size == a.end {
		off := a.free[n-1].off
		a.free = a.free[:n-1]
		a.end = off + size
		return off
	}
	off := a.end
	a.end += size
	return off
}

func (a *arena) release(off, size int) {
	i, _ := slices.BinarySearchFunc(a.free, off, func(b block, off int) int { return b.off - off })
	a.free = slices.Insert(a.free, i, block{off, size})
	if i+1 < len(a.free) && a.free[i].off+a.free[i].size == a.free[i+1].off {
		a.free[i].size += a.free[i+1].size
		a.free = slices.Delete(a.free, i+1, i+2)
	}
	if i > 0 && a.free[i-1].off+a.free[i-1].size == a.free[i].off {
		a.free[i-1].size += a.free[i].size
		a.free = slices.Delete(a.free, i, i+1)
	}
}

// plan assigns arena offsets: pinned buffers first, each its own, then
// temporaries by a linear scan over the instructions. An instruction's
// output is allocated before the buffers its inputs free (an output never
// overlaps an input); a temporary's buffer is released after its last
// reader, reads through views included.
func (p *Program) plan() error {
	off := 0
	for i := range p.Values {
		v := &p.Values[i]
		if v.Dead || v.View >= 0 || !v.Pinned {
			continue
		}
		v.Offset = off
		off += alignUp(v.Size)
	}
	p.PinnedSize = off

	last := map[int]int{} // temporary root -> index of its last reader
	for k, in := range p.Instrs {
		for _, v := range in.In {
			if r := p.root(v); !p.Values[r].Pinned {
				last[r] = k
			}
		}
	}
	a := arena{end: off}
	for k, in := range p.Instrs {
		out := &p.Values[in.Out]
		if out.View >= 0 {
			return fmt.Errorf("program: plan: %v writes a view", in)
		}
		if !out.Pinned {
			out.Offset = a.alloc(alignUp(out.Size))
			if _, read := last[in.Out]; !read {
				a.release(out.Offset, alignUp(out.Size))
			}
		}
		done := map[int]bool{}
		for _, v := range in.In {
			r := p.root(v)
			if rv := p.Values[r]; !rv.Pinned && last[r] == k && !done[r] {
				done[r] = true
				a.release(rv.Offset, alignUp(rv.Size))
			}
		}
	}
	p.ArenaSize = a.end
	for i := range p.Values {
		if v := &p.Values[i]; v.View >= 0 && !v.Dead {
			v.Offset = p.Values[p.root(i)].Offset
		}
	}
	return nil
}

// UnsharedSize is the arena size a plan without reuse would need: the sum
// of every live buffer's aligned size.
func (p *Program) UnsharedSize() int {
	n := 0
	for _, v := range p.Values {
		if !v.Dead && v.View < 0 {
			n += alignUp(v.Size)
		}
	}
	return n
}
