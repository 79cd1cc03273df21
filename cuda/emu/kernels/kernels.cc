// The kernels of cuda/kernels compiled for the emulated device, and their
// table: names from the build (kernel_names.inc lists every symbol the first
// compilation put in the kernels' section), parameter layouts from the
// compiler (each kernel's own signature), so nothing is kept by hand.
#include "compat.h"
#include "kernels_all.inc" // #include of every cuda/kernels/*.cu, in name order

#ifndef VGEMU_LIST_ONLY
#include "host_kernel.h"

namespace {

#define VG_KERNEL(k) VG_HOST_KERNEL(k),

const vgemu::HostKernel table[] = {
#include "kernel_names.inc" // VG_KERNEL(name) for every kernel
};

} // namespace

const vgemu::HostKernel* vgemu::host_kernels(int* n) {
    *n = int(sizeof table / sizeof table[0]);
    return table;
}
#endif // VGEMU_LIST_ONLY
