//go:build gpu

package device

/*
#cgo LDFLAGS: -lcuda -ldl
#include <cuda.h>
#include <dlfcn.h>

// vg_emulator_detail returns the emulated driver's diagnostic of the last
// failed call on this thread (cuda/emu's vgemu_last_error), or NULL under a
// real driver, which has no such symbol.
static const char* vg_emulator_detail(void) {
	static const char* (*f)(void);
	static int looked;
	if (!looked) {
		f = (const char* (*)(void))dlsym(RTLD_DEFAULT, "vgemu_last_error");
		looked = 1;
	}
	return f ? f() : 0;
}
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
	return fmt.Errorf("%s: %s (%d)%s", name, desc, int(r), emulatorDetail())
}

// Emulated reports whether the driver is vigil's emulated one (cuda/emu).
func Emulated() bool { return C.vg_emulator_detail() != nil }

// emulatorDetail is ": " and the emulated driver's explanation of the last
// failed call on this OS thread, or "" (a real driver, or nothing to say).
// Call it on the thread of the failed call, right after it.
func emulatorDetail() string {
	s := C.vg_emulator_detail()
	if s == nil || *s == 0 {
		return ""
	}
	return ": emulated device: " + C.GoString(s)
}

// handle is the stream's CUstream. cu.Stream exports it (as cu's own cgo
// type, a pointer to the same opaque C struct), so it converts through
// unsafe.Pointer.
func (s *Stream) handle() C.CUstream {
	return C.CUstream(unsafe.Pointer(s.s.C()))
}
