// Private interface of vigil's emulated CUDA driver (libcuda.so.1 built from
// cuda/emu/driver), used by the emulated cuBLAS (libcublas.so.13 built from
// cuda/emu/cublas). Nothing outside cuda/emu may depend on it: vigil's Go code
// talks to the emulation only through the real driver and cuBLAS APIs.
#ifndef VGEMU_H
#define VGEMU_H

#include <cuda.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// vgemu_host_kernel is work that runs on the emulated device, in stream
// order, like a kernel: args points at the copy of the argument block given
// to vgemu_enqueue (valid while the call runs). It reports faults with
// vgemu_kernel_fault and checks device ranges with vgemu_device_range.
typedef void (*vgemu_host_kernel)(const void* args);

// vgemu_enqueue queues fn on stream s (0: the legacy default stream) of the
// current context, as a kernel called name: the argument block (size bytes)
// is copied now, fn runs when the stream reaches it. During a stream capture
// it is recorded into the graph instead, exactly as cuLaunchKernel. Returns
// the CUresult that cuLaunchKernel would (no current context, invalid
// stream, a sticky error of the context, ...).
CUresult vgemu_enqueue(CUstream s, const char* name, vgemu_host_kernel fn,
                       const void* args, size_t size);

// vgemu_device_range reports whether [p, p+bytes) lies inside one live
// device allocation of the current context (1) or not (0). Call it from a
// host kernel before touching device memory.
int vgemu_device_range(CUdeviceptr p, size_t bytes);

// vgemu_kernel_fault ends the running host kernel with an error: the
// context gets the sticky error code (e.g. CUDA_ERROR_ILLEGAL_ADDRESS) that
// the stream's next synchronisation returns, and msg is kept as the
// emulator's diagnostic (vgemu_last_error) and printed on stderr. The
// caller returns from its host kernel right after.
void vgemu_kernel_fault(CUresult code, const char* msg);

// vgemu_parallel_for runs body(i, ctx) for i in [0, n) on the emulator's
// worker threads and returns when all are done. Call it only from a host
// kernel (the workers belong to the device).
void vgemu_parallel_for(int n, void (*body)(int i, void* ctx), void* ctx);

// vgemu_last_error returns the emulator's diagnostic of the last failed
// call on this thread or the last device fault ("" when none): what
// happened, where (kernel, call, address) and why. Go code finds it with
// dlsym, so that it is used only under the emulation.
const char* vgemu_last_error(void);

#ifdef __cplusplus
}
#endif

#endif // VGEMU_H
