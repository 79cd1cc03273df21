//go:build gpu

package device

/*
#include <cuda.h>
#include <stdint.h>
#include <stdlib.h>

#define VG_MAX_ARGS 32

static CUresult vg_module_load(const void* image, CUmodule* m) { return cuModuleLoadData(m, image); }

// vg_launch launches f with n parameters, the i-th read from slots[i]
// (each parameter in its own 8-byte slot; a 4-byte parameter reads the
// low half). The driver copies the values at the call, so the slots may
// be reused once it returns.
static CUresult vg_launch(CUfunction f, unsigned grid, unsigned block, unsigned shared,
                          CUstream s, uint64_t* slots, int n) {
	void* params[VG_MAX_ARGS];
	for (int i = 0; i < n && i < VG_MAX_ARGS; i++) params[i] = &slots[i];
	return cuLaunchKernel(f, grid, 1, 1, block, 1, 1, shared, s, params, NULL);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// maxArgs is the most parameters a kernel launch may pass.
const maxArgs = C.VG_MAX_ARGS

// The kernel module is loaded and launched with these direct driver calls
// rather than gorgonia.org/cu's, whose Launch allocates and frees C memory
// for the parameters on every launch.

// module is a loaded CUmodule.
type module struct{ m C.CUmodule }

// loadModule loads a fatbin, cubin or PTX image into the current context.
func loadModule(image []byte) (module, error) {
	p := C.CBytes(image) // malloc'ed: aligned, and outside the Go heap
	defer C.free(p)
	var m C.CUmodule
	if err := driverErr("cuModuleLoadData", C.vg_module_load(p, &m)); err != nil {
		return module{}, err
	}
	return module{m}, nil
}

// function looks up kernel name (the context must be current).
func (m module) function(name string) (C.CUfunction, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var f C.CUfunction
	err := driverErr(fmt.Sprintf("cuModuleGetFunction(%q)", name), C.cuModuleGetFunction(&f, m.m, cs))
	return f, err
}

// unload unloads the module (the context must be current).
func (m module) unload() error {
	if m.m == nil {
		return nil
	}
	return driverErr("cuModuleUnload", C.cuModuleUnload(m.m))
}

// Function is a kernel of the device's module.
type Function struct {
	Name string
	f    C.CUfunction
}

// launch queues f on s with the parameters in slots (the context must be
// current).
func launch(f C.CUfunction, dim Dim, s *Stream, slots []uint64) C.CUresult {
	var p *C.uint64_t
	if len(slots) > 0 {
		p = (*C.uint64_t)(unsafe.Pointer(&slots[0]))
	}
	return C.vg_launch(f, C.uint(dim.Grid), C.uint(dim.Block), C.uint(dim.Shared), s.handle(), p, C.int(len(slots)))
}
