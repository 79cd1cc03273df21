//go:build gpu

package device

/*
#cgo LDFLAGS: -lcuda
#include <cuda.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Driver calls that gorgonia.org/cu v0.9.6 does not wrap (page-locked
// allocation, stream capture, graph launch) are made here directly. They
// are declared by the CUDA 11.8 cuda.h and exported under the same symbol
// names by every later driver.

// driverErr wraps a failed CUresult of such a call as an error naming the
// call and the CUDA error (e.g. CUDA_ERROR_STREAM_CAPTURE_INVALIDATED).
func driverErr(name string, r C.CUresult) error {
	if r == C.CUDA_SUCCESS {
		return nil
	}
	desc := "unknown CUDA error"
	var s *C.char
	if C.cuGetErrorName(r, &s) == C.CUDA_SUCCESS && s != nil {
		desc = C.GoString(s)
	}
	return fmt.Errorf("%s: %s (%d)", name, desc, int(r))
}

// handle is the stream's CUstream. cu.Stream exports it (as cu's own cgo
// type, a pointer to the same opaque C struct), so it converts through
// unsafe.Pointer.
func (s *Stream) handle() C.CUstream {
	return C.CUstream(unsafe.Pointer(s.s.C()))
}
