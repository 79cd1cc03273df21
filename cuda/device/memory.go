//go:build gpu

package device

import (
	"errors"
	"fmt"
	"unsafe"

	"gorgonia.org/cu"
)

// ElemSize is the size of every element the kernels use (float32, int32).
const ElemSize = 4

// Align is the alignment of every arena allocation, in bytes.
const Align = 256

// Buffer is a slice of device memory holding Len 4-byte elements (float32,
// or int32 for index vectors). The zero Buffer is empty.
type Buffer struct {
	Ptr cu.DevicePtr
	Len int
}

// Bytes is the size of b in bytes.
func (b Buffer) Bytes() int64 { return int64(b.Len) * ElemSize }

// Slice returns the elements [off, off+n) of b.
func (b Buffer) Slice(off, n int) Buffer {
	if off < 0 || n < 0 || off+n > b.Len {
		panic(fmt.Sprintf("device: slice [%d, %d) of a buffer of %d elements", off, off+n, b.Len))
	}
	return Buffer{Ptr: b.Ptr + cu.DevicePtr(off*ElemSize), Len: n}
}

// Arena is one device allocation carved into aligned buffers: Alloc bumps
// an offset, Reset frees everything at once. It suits a static memory plan
// (allocate every buffer of a program once) and per-step scratch space.
// An Arena is not safe for concurrent use.
type Arena struct {
	d    *Device
	base cu.DevicePtr
	size int64
	off  int64
}

// NewArena allocates bytes of device memory. It waits for the captures in
// flight on other goroutines and fails with ErrCapturing on the capturing
// one (an allocation there would invalidate its capture).
func (d *Device) NewArena(bytes int64) (*Arena, error) {
	if bytes <= 0 {
		return nil, fmt.Errorf("device: arena of %d bytes", bytes)
	}
	a := &Arena{d: d, size: bytes}
	err := d.exclusive("cuMemAlloc", func() error {
		var e error
		a.base, e = cu.MemAlloc(bytes)
		return call(fmt.Sprintf("cuMemAlloc(%d bytes)", bytes), e)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Alloc returns a buffer of n elements, aligned to Align bytes.
func (a *Arena) Alloc(n int) (Buffer, error) {
	if n < 0 {
		return Buffer{}, fmt.Errorf("device: alloc of %d elements", n)
	}
	start := (a.off + Align - 1) / Align * Align
	end := start + int64(n)*ElemSize
	if end > a.size {
		return Buffer{}, fmt.Errorf("device: arena of %d bytes full (%d used, %d more requested)", a.size, a.off, int64(n)*ElemSize)
	}
	a.off = end
	return Buffer{Ptr: a.base + cu.DevicePtr(start), Len: n}, nil
}

// At returns the buffer of n elements at byte offset off of the arena (for
// layouts planned ahead); it does not move the allocation offset.
func (a *Arena) At(off int64, n int) (Buffer, error) {
	if off < 0 || n < 0 || off%ElemSize != 0 || off+int64(n)*ElemSize > a.size {
		return Buffer{}, fmt.Errorf("device: %d elements at byte %d of an arena of %d bytes", n, off, a.size)
	}
	return Buffer{Ptr: a.base + cu.DevicePtr(off), Len: n}, nil
}

// Used returns the bytes allocated so far; Size the arena's capacity.
func (a *Arena) Used() int64 { return a.off }

// Size is the arena's capacity in bytes.
func (a *Arena) Size() int64 { return a.size }

// Mark returns the allocation offset, to Release back to later.
func (a *Arena) Mark() int64 { return a.off }

// Release frees every buffer allocated after mark.
func (a *Arena) Release(mark int64) {
	if mark >= 0 && mark <= a.off {
		a.off = mark
	}
}

// Reset frees every buffer (the memory stays allocated).
func (a *Arena) Reset() { a.off = 0 }

// Close frees the device memory; the arena's buffers become invalid. Like
// NewArena, it first waits for the captures in flight on other goroutines
// (see Stream.BeginCapture), and fails with ErrCapturing, leaving the
// arena open, on the goroutine that is capturing.
func (a *Arena) Close() error {
	if a.base == 0 {
		return nil
	}
	err := a.d.exclusive("cuMemFree", func() error { return call("cuMemFree", cu.MemFree(a.base)) })
	if errors.Is(err, ErrCapturing) {
		return err
	}
	a.base, a.size, a.off = 0, 0, 0
	return err
}

// Host <-> device copies, queued on a stream. The host side is ordinary
// (pageable) Go memory: the driver stages it, so a host-to-device copy has
// read src when the call returns and a device-to-host copy has filled dst
// when the call returns (it waits for the earlier work on the stream);
// the host slices may be reused right away. Lengths must match exactly.
// They cannot be captured into a Graph (see UploadAsync, DownloadAsync).

func hostPtr[T float32 | int32](s []T) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(s)) }

// Upload copies src to dst on s.
func Upload[T float32 | int32](s *Stream, dst Buffer, src []T) error {
	if s.endCapture != nil {
		return errCapturingGo("Upload")
	}
	if len(src) != dst.Len {
		return fmt.Errorf("device: upload of %d elements into a buffer of %d", len(src), dst.Len)
	}
	if len(src) == 0 {
		return nil
	}
	return s.do(func() error {
		return call("cuMemcpyHtoDAsync", cu.MemcpyHtoDAsync(dst.Ptr, hostPtr(src), dst.Bytes(), s.s))
	})
}

// Download copies src to dst on s.
func Download[T float32 | int32](s *Stream, dst []T, src Buffer) error {
	if s.endCapture != nil {
		return errCapturingGo("Download")
	}
	if len(dst) != src.Len {
		return fmt.Errorf("device: download of a buffer of %d elements into %d", src.Len, len(dst))
	}
	if len(dst) == 0 {
		return nil
	}
	return s.do(func() error {
		return call("cuMemcpyDtoHAsync", cu.MemcpyDtoHAsync(hostPtr(dst), src.Ptr, src.Bytes(), s.s))
	})
}

// CopyBuffer copies src to dst (same length, device to device) on s.
func CopyBuffer(s *Stream, dst, src Buffer) error {
	if dst.Len != src.Len {
		return fmt.Errorf("device: copy of %d elements into %d", src.Len, dst.Len)
	}
	if dst.Len == 0 {
		return nil
	}
	return s.do(func() error {
		return call("cuMemcpyDtoDAsync", cu.MemcpyDtoDAsync(dst.Ptr, src.Ptr, src.Bytes(), s.s))
	})
}

// Zero sets every element of b to 0 (float32 and int32 zero alike) on s.
func Zero(s *Stream, b Buffer) error {
	if b.Len == 0 {
		return nil
	}
	return s.do(func() error {
		return call("cuMemsetD32Async", cu.MemsetD32Async(b.Ptr, 0, int64(b.Len), s.s))
	})
}
