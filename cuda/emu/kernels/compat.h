// Compiles vigil's CUDA C kernels (cuda/kernels/*.cu) for the host, unchanged,
// as the emulated device's code: every CUDA thread runs the kernel function
// with its own threadIdx, and the CUDA built-ins map onto the emulator's
// execution model (cuda/emu/driver/kernel_rt.h). Only what the kernels use
// is here; anything else fails to compile, which is the point.
#ifndef VGEMU_COMPAT_H
#define VGEMU_COMPAT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <atomic>

#include "kernel_rt.h"
#include "shared.h"

// Kernels go to their own section: the build lists the symbols there to
// register every kernel by name (no hand-kept table).
#define __global__ __attribute__((section("vgemu_kernels"), used))
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __restrict__ __restrict

#define threadIdx (vgemu::current.thread->idx)
#define blockIdx (*vgemu::current.block_idx)
#define blockDim (vgemu::current.dims->block)
#define gridDim (vgemu::current.dims->grid)
#define warpSize 32

// VG_SHARED is cuda/kernels/common.cuh's declaration of a __shared__ array;
// here each OS thread runs one block at a time, so a thread_local object is
// the block's shared memory, checked on every access.
#define VG_SHARED(type, name, n) static thread_local vgemu::Shared<type, n> name(#name)

inline void __syncthreads() { vgemu::syncthreads(); }
inline void __syncwarp(unsigned mask = 0xffffffffu) { vgemu::syncwarp(mask); }

namespace vgemu {
inline unsigned lane_id() { return current.thread->linear & 31u; }

template <typename T>
T shfl(unsigned mask, T v, int src, int width, const char* what) {
    static_assert(sizeof(T) <= 8, "shuffles move up to 8 bytes");
    uint64_t bits = 0;
    memcpy(&bits, &v, sizeof v);
    bits = warp_exchange(mask, bits, src, width, what);
    T out;
    memcpy(&out, &bits, sizeof out);
    return out;
}
} // namespace vgemu

// Warp shuffles with CUDA's semantics: lanes are numbered within segments of
// width lanes; a source outside the segment yields the caller's own value.
template <typename T>
T __shfl_sync(unsigned mask, T v, int src, int width = 32) {
    const int lane = vgemu::lane_id(), base = lane & ~(width - 1);
    return vgemu::shfl(mask, v, base + (src & (width - 1)), width, "__shfl_sync");
}
template <typename T>
T __shfl_down_sync(unsigned mask, T v, unsigned delta, int width = 32) {
    const int lane = vgemu::lane_id(), base = lane & ~(width - 1);
    const int src = lane + (int)delta;
    return vgemu::shfl(mask, v, src < base + width ? src : lane, width, "__shfl_down_sync");
}
template <typename T>
T __shfl_up_sync(unsigned mask, T v, unsigned delta, int width = 32) {
    const int lane = vgemu::lane_id(), base = lane & ~(width - 1);
    const int src = lane - (int)delta;
    return vgemu::shfl(mask, v, src >= base ? src : lane, width, "__shfl_up_sync");
}
template <typename T>
T __shfl_xor_sync(unsigned mask, T v, int lanemask, int width = 32) {
    const int lane = vgemu::lane_id(), base = lane & ~(width - 1);
    const int src = lane ^ lanemask;
    return vgemu::shfl(mask, v, src >= base && src < base + width ? src : lane, width, "__shfl_xor_sync");
}
inline unsigned __ballot_sync(unsigned mask, int p) { return vgemu::warp_ballot(mask, p, "__ballot_sync"); }
inline int __any_sync(unsigned mask, int p) { return vgemu::warp_ballot(mask, p, "__any_sync") != 0; }
inline int __all_sync(unsigned mask, int p) { return vgemu::warp_ballot(mask, !p, "__all_sync") == 0; }

// Atomics: blocks run in parallel on several OS threads.
template <typename T>
T atomicAdd(T* p, T v) { return std::atomic_ref<T>(*p).fetch_add(v); }
template <typename T>
T atomicSub(T* p, T v) { return std::atomic_ref<T>(*p).fetch_sub(v); }
template <typename T>
T atomicExch(T* p, T v) { return std::atomic_ref<T>(*p).exchange(v); }
template <typename T>
T atomicCAS(T* p, T cmp, T v) {
    std::atomic_ref<T>(*p).compare_exchange_strong(cmp, v);
    return cmp;
}
template <typename T>
T atomicMax(T* p, T v) {
    std::atomic_ref<T> a(*p);
    T old = a.load();
    while (old < v && !a.compare_exchange_weak(old, v)) {}
    return old;
}
template <typename T>
T atomicMin(T* p, T v) {
    std::atomic_ref<T> a(*p);
    T old = a.load();
    while (old > v && !a.compare_exchange_weak(old, v)) {}
    return old;
}

// Math: the host's IEEE float and double functions (the build turns off
// contraction into FMA, which the _rn intrinsics exist to forbid).
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline double __dsqrt_rn(double a) { return sqrt(a); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }

#endif
