// The emulated device's execution engine: runs a kernel's grid of blocks on a
// pool of OS threads, each block's CUDA threads as fibers scheduled at
// __syncthreads and warp collectives, and catches the kernel's memory faults.
#ifndef VGEMU_ENGINE_H
#define VGEMU_ENGINE_H

#include <stdint.h>

#include <string>

#include "kernel_rt.h"

namespace vgemu {

// HostKernel is one host-compiled kernel: its name, entry point and how its
// parameters are laid out in the argument block (CUDA's layout: each
// parameter at an offset aligned to its size).
struct HostKernel {
    const char* name;
    const void* fn;
    void (*invoke)(const void* fn, const void* args); // runs fn for the current thread
    int nparams;
    const uint16_t* sizes;
    const uint16_t* offsets;
    int arg_bytes;
};

// host_kernels lists the kernels built into the emulator (kernels.cc).
const HostKernel* host_kernels(int* n);

// Fault says why a launch failed: code is the CUresult the context gets.
struct Fault {
    int code = 0;
    std::string msg;
};

// run_kernel runs every block of a launch and returns false with the fault
// of the first failing block (the others may or may not have run).
bool run_kernel(const HostKernel& k, const void* args, const Dims& dims, Fault* f);

// run_guarded runs fn(ctx) on the calling thread with memory faults caught
// (a host kernel, a copy): false with the fault when one occurred.
bool run_guarded(const char* what, void (*fn)(void*), void* ctx, Fault* f);

// parallel_for runs body(i, ctx) for i in [0, n) on the pool.
void parallel_for(int n, void (*body)(int, void*), void* ctx);

// workers is the number of OS threads the pool uses.
int workers();

// fault_describe classifies a faulting address (memory.cc).
std::string fault_describe(uintptr_t addr);

// install_fault_handler installs the SIGSEGV/SIGBUS handler once.
void install_fault_handler();

} // namespace vgemu

#endif
