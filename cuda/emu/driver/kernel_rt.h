// What host-compiled kernels see of the emulated device: the thread's
// coordinates and the collective operations of CUDA's execution model
// (__syncthreads, warp shuffles and votes), plus checked shared memory.
// cuda/emu/kernels/compat.h maps the CUDA C names onto these.
#ifndef VGEMU_KERNEL_RT_H
#define VGEMU_KERNEL_RT_H

#include <stdint.h>
#include <string.h>

namespace vgemu {

struct uint3v {
    unsigned x, y, z;
};

// Dims is a launch's grid and block shape.
struct Dims {
    uint3v grid, block;
};

struct Block;

// Thread is one CUDA thread of a running block.
struct Thread {
    uint3v idx;
    unsigned linear; // threadIdx.x + blockDim.x*(threadIdx.y + blockDim.y*threadIdx.z)
    Block* block;
};

// Current is what the running CUDA thread sees (per OS thread; fibers of one
// block share it, and the scheduler points it at the thread it resumes).
struct Current {
    Thread* thread;
    Block* block;
    const Dims* dims;
    const uint3v* block_idx;
};
extern thread_local Current current;

// Collectives; each may end the kernel with an error (divergence, a mask
// the emulation does not support) by unwinding to the block runner.
void syncthreads();
void syncwarp(unsigned mask);
uint64_t warp_exchange(unsigned mask, uint64_t v, int src_lane, int width, const char* what);
unsigned warp_ballot(unsigned mask, int pred, const char* what);

// Shared memory with race and initialisation checks (see shared.h).
uint64_t block_serial();
uint64_t block_epoch();
[[noreturn]] void kernel_error(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace vgemu

#endif
