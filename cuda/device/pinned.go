//go:build gpu

package device

/*
#include <cuda.h>

// vg_host_alloc returns page-locked memory of n bytes (flags 0: pinned for
// the current context, which is the device's primary context).
static void* vg_host_alloc(size_t n, CUresult* r) {
	void* p = 0;
	*r = cuMemHostAlloc(&p, n, 0);
	return p;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	"gorgonia.org/cu"
)

// HostBuffer is page-locked (pinned) host memory of Len 4-byte elements,
// outside the Go heap, viewed as []float32 or []int32. Copies between it
// and device memory (UploadAsync, DownloadAsync) are truly asynchronous
// and may be captured into a Graph. Pinned memory is a scarce system
// resource: allocate a few staging buffers and reuse them.
type HostBuffer struct {
	d *Device
	p unsafe.Pointer
	n int
}

// NewHostBuffer allocates n elements of page-locked host memory
// (cuMemHostAlloc); Close frees it. The contents are undefined. Like
// NewArena it waits for captures in flight (see Device.exclusive).
func (d *Device) NewHostBuffer(n int) (*HostBuffer, error) {
	if n <= 0 || n > maxN {
		return nil, fmt.Errorf("device: host buffer of %d elements", n)
	}
	h := &HostBuffer{d: d, n: n}
	err := d.exclusive("cuMemHostAlloc", func() error {
		bytes := n * ElemSize
		var r C.CUresult
		h.p = C.vg_host_alloc(C.size_t(bytes), &r)
		if err := driverErr(fmt.Sprintf("cuMemHostAlloc(%d bytes)", bytes), r); err != nil {
			h.p = nil
			return err
		}
		if h.p == nil {
			return fmt.Errorf("cuMemHostAlloc(%d bytes): no memory returned", bytes)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Len is the number of elements (0 once closed).
func (h *HostBuffer) Len() int {
	if h.p == nil {
		return 0
	}
	return h.n
}

// Floats returns the memory as float32s (nil once closed). The slice must
// not be used after Close.
func (h *HostBuffer) Floats() []float32 {
	if h.p == nil {
		return nil
	}
	return unsafe.Slice((*float32)(h.p), h.n)
}

// Int32s returns the memory as int32s (nil once closed), the same bytes as
// Floats.
func (h *HostBuffer) Int32s() []int32 {
	if h.p == nil {
		return nil
	}
	return unsafe.Slice((*int32)(h.p), h.n)
}

// Close frees the memory. No queued copy or graph may still use it:
// synchronize first. Closing twice is a no-op. Like NewHostBuffer, it waits
// for the captures in flight on other goroutines, and fails with
// ErrCapturing, leaving h open, on the capturing goroutine.
func (h *HostBuffer) Close() error {
	if h.p == nil {
		return nil
	}
	err := h.d.exclusive("cuMemFreeHost", func() error { return call("cuMemFreeHost", cu.MemFreeHost(h.p)) })
	if !errors.Is(err, ErrCapturing) {
		h.p = nil
	}
	return err
}

// rangePtr returns the address of elements [off, off+n) of h.
func (h *HostBuffer) rangePtr(name string, off, n int) (unsafe.Pointer, error) {
	if h == nil || h.p == nil {
		return nil, errors.New("device: " + name + ": host buffer is closed")
	}
	if off < 0 || n < 0 || off > h.n-n {
		return nil, fmt.Errorf("device: %s: elements [%d, %d) of a host buffer of %d", name, off, off+n, h.n)
	}
	return unsafe.Add(h.p, off*ElemSize), nil
}

// Asynchronous copies with page-locked memory. Both calls only queue the
// copy on s and return at once; the copy runs when s reaches it, in order
// with the other work on s. Until it has completed (s.Synchronize, or an
// Event recorded on s after the copy and synchronized), the host range
// must not be written (UploadAsync) or read or written (DownloadAsync),
// and h must not be closed. Captured into a Graph, the copy uses the same
// host and device addresses on every launch.

// UploadAsync queues a copy of the host elements [off, off+dst.Len) of src
// to dst on s.
func UploadAsync(s *Stream, dst Buffer, src *HostBuffer, off int) error {
	p, err := src.rangePtr("UploadAsync", off, dst.Len)
	if err != nil || dst.Len == 0 {
		return err
	}
	return s.do(func() error {
		return call("cuMemcpyHtoDAsync(pinned)", cu.MemcpyHtoDAsync(dst.Ptr, p, dst.Bytes(), s.s))
	})
}

// DownloadAsync queues a copy of src to the host elements
// [off, off+src.Len) of dst on s.
func DownloadAsync(s *Stream, dst *HostBuffer, off int, src Buffer) error {
	p, err := dst.rangePtr("DownloadAsync", off, src.Len)
	if err != nil || src.Len == 0 {
		return err
	}
	return s.do(func() error {
		return call("cuMemcpyDtoHAsync(pinned)", cu.MemcpyDtoHAsync(p, src.Ptr, src.Bytes(), s.s))
	})
}
