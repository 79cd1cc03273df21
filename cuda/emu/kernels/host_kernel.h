// Sig turns a host-compiled kernel's signature into a vgemu::HostKernel:
// the parameter layout CUDA uses (each parameter at an offset aligned to its
// size) and a call of the kernel from an argument block in that layout.
#ifndef VGEMU_HOST_KERNEL_H
#define VGEMU_HOST_KERNEL_H

#include <string.h>

#include <array>
#include <tuple>
#include <utility>

#include "engine.h"

namespace vgemu {

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

} // namespace vgemu

// VG_HOST_KERNEL(k) is the HostKernel of kernel function k.
#define VG_HOST_KERNEL(k)                                                                                          \
    vgemu::HostKernel {                                                                                            \
        #k, reinterpret_cast<const void*>(&k), &vgemu::Sig<decltype(&k)>::invoke, vgemu::Sig<decltype(&k)>::n,       \
            vgemu::Sig<decltype(&k)>::sizes, vgemu::Sig<decltype(&k)>::offs.data(),                                 \
            vgemu::Sig<decltype(&k)>::offs[vgemu::Sig<decltype(&k)>::n > 0 ? vgemu::Sig<decltype(&k)>::n : 1]       \
    }

#endif
