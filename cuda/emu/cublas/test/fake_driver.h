// A stand-in for the emulated driver, enough to test libcublas's code
// without it: the vgemu_* interface and the few driver calls cublas.cc
// makes. Device memory is host memory the test registers (or that
// cuMemAlloc_v2 mallocs); kernels run at once on the calling thread.
#ifndef VG_FAKE_DRIVER_H
#define VG_FAKE_DRIVER_H

#include <cuda.h>

#include <string>

namespace fake {

// Settings the test changes between checks.
extern bool ctx_current;        // cuCtxGetCurrent reports a context
extern int cc_major;            // compute capability major of the device
extern bool capturing;          // cuMemAlloc_v2 fails as during a capture
extern CUresult enqueue_result; // what vgemu_enqueue returns (not run unless success)
extern int threads;             // workers of vgemu_parallel_for (1: serial)

// What the library did.
extern int enqueued;            // host kernels queued
extern int allocs, frees;       // cuMemAlloc_v2 / cuMemFree_v2 calls that succeeded
extern size_t last_alloc_bytes;
extern int faults;              // vgemu_kernel_fault calls
extern CUresult last_fault;
extern std::string last_fault_msg, last_kernel;

// register_range makes [p, p+bytes) a live device allocation.
void register_range(const void* p, size_t bytes);
void unregister_range(const void* p);
void clear_ranges();

}  // namespace fake

#endif  // VG_FAKE_DRIVER_H
