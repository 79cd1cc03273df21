//go:build gpu

package device

import (
	"math"
	"strings"
	"testing"
)

// newHost allocates a host buffer closed at the end of the test, once the
// test's stream has finished with it.
func (e *env) newHost(n int) *HostBuffer {
	e.t.Helper()
	h, err := e.d.NewHostBuffer(n)
	e.must(err)
	e.t.Cleanup(func() {
		if err := e.s.Synchronize(); err != nil {
			e.t.Error(err)
		}
		if err := h.Close(); err != nil {
			e.t.Error(err)
		}
	})
	return h
}

// fillHost sets every element of h to v.
func fillHost(h *HostBuffer, v float32) {
	f := h.Floats()
	for i := range f {
		f[i] = v
	}
}

func TestHostBufferRoundTrip(t *testing.T) {
	e := newEnv(t)
	const n = 1 << 16
	// Input in the first half, output in the second.
	h := e.newHost(2 * n)
	x := e.uniform(n, -2, 2)
	fillHost(h, float32(math.NaN()))
	copy(h.Floats(), x)
	ev, err := e.d.NewEvent(false)
	e.must(err)
	defer ev.Close()

	b := e.alloc(n)
	e.must(UploadAsync(e.s, b, h, 0))
	e.must(e.s.BinaryScalar("mul", b, b, 3, false))
	e.must(DownloadAsync(e.s, h, n, b))
	e.must(ev.Record(e.s))
	e.must(ev.Synchronize())

	want := make([]float32, n)
	for i, v := range x {
		want[i] = 3 * v
	}
	e.compare("pinned round trip", h.Floats()[n:], want, 0)
	e.compare("pinned input", h.Floats()[:n], x, 0)

	// int32 view of the same memory, through the device unchanged.
	idx := h.Int32s()[:8]
	for i := range idx {
		idx[i] = int32(i*7 - 20)
	}
	ib := e.alloc(8)
	e.must(UploadAsync(e.s, ib, h, 0))
	e.must(DownloadAsync(e.s, h, 8, ib))
	e.must(e.s.Synchronize())
	for i, v := range h.Int32s()[8:16] {
		if v != int32(i*7-20) {
			t.Errorf("int32 round trip [%d] = %d, want %d", i, v, i*7-20)
		}
	}
}

func TestHostBufferChecks(t *testing.T) {
	e := newEnv(t)
	for _, n := range []int{0, -1} {
		if h, err := e.d.NewHostBuffer(n); err == nil {
			h.Close()
			t.Errorf("NewHostBuffer(%d) succeeded", n)
		}
	}
	h, err := e.d.NewHostBuffer(10)
	e.must(err)
	if h.Len() != 10 || len(h.Floats()) != 10 || len(h.Int32s()) != 10 {
		t.Errorf("Len %d, %d floats, %d int32s; want 10", h.Len(), len(h.Floats()), len(h.Int32s()))
	}
	b := e.alloc(4)
	for _, off := range []int{-1, 7, 10} {
		if err := UploadAsync(e.s, b, h, off); err == nil {
			t.Errorf("UploadAsync of 4 elements at %d of 10 succeeded", off)
		}
		if err := DownloadAsync(e.s, h, off, b); err == nil {
			t.Errorf("DownloadAsync of 4 elements at %d of 10 succeeded", off)
		}
	}
	e.must(UploadAsync(e.s, b, h, 6)) // the last 4 elements
	e.must(e.s.Synchronize())
	e.must(h.Close())
	e.must(h.Close())
	if h.Len() != 0 || h.Floats() != nil || h.Int32s() != nil {
		t.Error("closed host buffer still has memory")
	}
	if err := UploadAsync(e.s, b, h, 0); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("UploadAsync from a closed host buffer: %v", err)
	}
	if err := DownloadAsync(e.s, nil, 0, b); err == nil {
		t.Error("DownloadAsync into a nil host buffer succeeded")
	}
}
