// Memory of the emulated device: device allocations and page-locked host
// allocations, each in its own mapping between inaccessible guard pages, so
// that a kernel or copy that strays outside faults; freed memory stays
// mapped but inaccessible, so that a use after free faults too.
#ifndef VGEMU_MEMORY_H
#define VGEMU_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include <string>

namespace vgemu {

enum class MemKind { Device, Host };

// Alloc is one allocation: [base, base+bytes) is what the caller may use.
struct Alloc {
    uintptr_t base = 0;
    size_t bytes = 0;
    MemKind kind = MemKind::Device;
    void* ctx = nullptr; // owning context
    uintptr_t map = 0;   // the mapping, guards included
    size_t map_bytes = 0;
    bool freed = false;
};

// mem_alloc maps bytes (> 0) of memory for ctx; 0 when out of memory. Device
// allocations are 256-byte aligned and end as close to the trailing guard
// page as that allows; the few slack bytes are checked at mem_check_slack.
uintptr_t mem_alloc(void* ctx, size_t bytes, MemKind kind);

// mem_free frees the allocation starting at p: false when p is not the start
// of a live allocation of that kind (a double free, or a wrong pointer).
bool mem_free(uintptr_t p, MemKind kind, Alloc* freed);

// mem_free_all frees every allocation of ctx (context destruction).
void mem_free_all(void* ctx);

// mem_range reports whether [p, p+n) lies inside one live allocation of the
// kind; *a gets it.
bool mem_range(uintptr_t p, size_t n, MemKind kind, Alloc* a);

// mem_find returns the live or freed allocation whose mapping holds p.
bool mem_find(uintptr_t p, Alloc* a);

// mem_check_slack returns a description of the first allocation of ctx whose
// slack bytes (between its end and the guard page) a kernel overwrote, and
// restores them; "" when none.
std::string mem_check_slack(void* ctx);

// mem_used is the bytes of live device allocations of ctx.
size_t mem_used(void* ctx);

} // namespace vgemu

#endif
