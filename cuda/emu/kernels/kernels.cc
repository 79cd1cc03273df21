// The kernels of cuda/kernels compiled for the emulated device, and their
// table: names from the build (kernel_names.inc lists every symbol the first
// compilation put in the kernels' section), parameter layouts from the
// compiler (each kernel's own signature), so nothing is kept by hand.
#include "compat.h"
#include "kernels_all.inc" // #include of every cuda/kernels/*.cu, in name order

#ifndef VGEMU_LIST_ONLY
#include <array>
#include <tuple>
#include <utility>

#include "engine.h"

namespace {

template <typename F>
struct Sig;

// Sig<void(*)(A...)> lays the parameters out as CUDA does (each at an offset
// aligned to its size) and calls the kernel with them.
template <typename... A>
struct Sig<void (*)(A...)> {
    static constexpr int n = sizeof...(A);
    static constexpr uint16_t sizes[n > 0 ? n : 1] = {uint16_t(sizeof(A))...};
    static constexpr auto layout() {
        std::array<uint16_t, (n > 0 ? n : 1) + 1> off{};
        int at = 0, i = 0;
        ((at = (at + int(alignof(A)) - 1) / int(alignof(A)) * int(alignof(A)), off[i++] = uint16_t(at), at += int(sizeof(A))), ...);
        off[n > 0 ? n : 1] = uint16_t(at);
        return off;
    }
    static constexpr auto offs = layout();
    template <size_t... I>
    static void call(void (*f)(A...), const uint8_t* p, std::index_sequence<I...>) {
        f(load<A>(p + offs[I])...);
    }
    template <typename T>
    static T load(const uint8_t* p) {
        T v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    static void invoke(const void* fn, const void* args) {
        call(reinterpret_cast<void (*)(A...)>(const_cast<void*>(fn)), static_cast<const uint8_t*>(args), std::index_sequence_for<A...>{});
    }
};

#define VG_KERNEL(k)                                                                                       \
    vgemu::HostKernel{#k, reinterpret_cast<const void*>(&k), &Sig<decltype(&k)>::invoke, Sig<decltype(&k)>::n, \
                      Sig<decltype(&k)>::sizes, Sig<decltype(&k)>::offs.data(), Sig<decltype(&k)>::offs[Sig<decltype(&k)>::n > 0 ? Sig<decltype(&k)>::n : 1]},

const vgemu::HostKernel table[] = {
#include "kernel_names.inc" // VG_KERNEL(name) for every kernel
};

} // namespace

const vgemu::HostKernel* vgemu::host_kernels(int* n) {
    *n = int(sizeof table / sizeof table[0]);
    return table;
}
#endif // VGEMU_LIST_ONLY
