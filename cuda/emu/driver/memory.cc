// Guarded allocations of the emulated device; see memory.h.
#include "memory.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <map>
#include <mutex>

#include "engine.h"

namespace vgemu {

namespace {

constexpr size_t kPage = 4096;
constexpr size_t kAlign = 256;
constexpr unsigned char kSlack = 0xa5;

std::mutex mu;
std::map<uintptr_t, Alloc> allocs; // by mapping start; freed ones stay

size_t round_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

const Alloc* find_locked(uintptr_t p) {
    auto it = allocs.upper_bound(p);
    if (it == allocs.begin()) return nullptr;
    --it;
    const Alloc& a = it->second;
    return p < a.map + a.map_bytes ? &a : nullptr;
}

} // namespace

uintptr_t mem_alloc(void* ctx, size_t bytes, MemKind kind) {
    const size_t used = kind == MemKind::Device ? round_up(bytes, kAlign) : round_up(bytes, kPage);
    const size_t data = round_up(used, kPage);
    const size_t total = data + 2 * kPage;
    void* m = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return 0;
    const uintptr_t map = reinterpret_cast<uintptr_t>(m);
    if (mprotect(reinterpret_cast<void*>(map + kPage), data, PROT_READ | PROT_WRITE) != 0) {
        munmap(m, total);
        return 0;
    }
    Alloc a;
    a.bytes = bytes;
    a.kind = kind;
    a.ctx = ctx;
    a.map = map;
    a.map_bytes = total;
    a.base = map + kPage + data - used; // the end of used touches the guard page
    // Slack: before base in the first data page, and after base+bytes up to
    // the aligned end. Marked so that stray writes show.
    memset(reinterpret_cast<void*>(map + kPage), kSlack, a.base - (map + kPage));
    memset(reinterpret_cast<void*>(a.base + bytes), kSlack, used - bytes);
    std::lock_guard<std::mutex> l(mu);
    allocs[map] = a;
    return a.base;
}

bool mem_free(uintptr_t p, MemKind kind, Alloc* freed) {
    std::lock_guard<std::mutex> l(mu);
    const Alloc* f = find_locked(p);
    if (!f || f->freed || f->base != p || f->kind != kind) {
        if (f && freed) *freed = *f;
        return false;
    }
    Alloc& a = allocs[f->map];
    mprotect(reinterpret_cast<void*>(a.map), a.map_bytes, PROT_NONE);
    madvise(reinterpret_cast<void*>(a.map), a.map_bytes, MADV_DONTNEED);
    a.freed = true;
    if (freed) *freed = a;
    return true;
}

void mem_free_all(void* ctx) {
    std::lock_guard<std::mutex> l(mu);
    for (auto& [k, a] : allocs) {
        if (a.ctx != ctx || a.freed) continue;
        mprotect(reinterpret_cast<void*>(a.map), a.map_bytes, PROT_NONE);
        madvise(reinterpret_cast<void*>(a.map), a.map_bytes, MADV_DONTNEED);
        a.freed = true;
    }
}

bool mem_range(uintptr_t p, size_t n, MemKind kind, Alloc* out) {
    std::lock_guard<std::mutex> l(mu);
    const Alloc* a = find_locked(p);
    if (!a || a->freed || a->kind != kind || p < a->base || p + n > a->base + a->bytes || p + n < p) return false;
    if (out) *out = *a;
    return true;
}

bool mem_find(uintptr_t p, Alloc* out) {
    std::lock_guard<std::mutex> l(mu);
    const Alloc* a = find_locked(p);
    if (!a) return false;
    *out = *a;
    return true;
}

std::string mem_check_slack(void* ctx) {
    std::lock_guard<std::mutex> l(mu);
    for (auto& [k, a] : allocs) {
        if (a.ctx != ctx || a.freed || a.kind != MemKind::Device) continue;
        const unsigned char* lo = reinterpret_cast<const unsigned char*>(a.map + kPage);
        const unsigned char* hi = reinterpret_cast<const unsigned char*>(a.base + a.bytes);
        const unsigned char* end = reinterpret_cast<const unsigned char*>(a.base + round_up(a.bytes, kAlign));
        const unsigned char* lo_end = reinterpret_cast<const unsigned char*>(a.base);
        long before = 0, after = 0; // bytes from the allocation's edge to the farthest stray write
        for (const unsigned char* p = lo; p < lo_end; p++)
            if (*p != kSlack) {
                before = long(lo_end - p);
                break;
            }
        for (const unsigned char* p = end; p > hi; p--)
            if (p[-1] != kSlack) {
                after = long(p - hi);
                break;
            }
        if (before == 0 && after == 0) continue;
        char buf[200];
        const long n = after ? after : before;
        snprintf(buf, sizeof buf, "a kernel wrote up to %ld byte%s %s the device allocation of %zu bytes at %#lx", n, n == 1 ? "" : "s",
                 after ? "past the end of" : "before the start of", a.bytes, (unsigned long)a.base);
        memset(const_cast<unsigned char*>(lo), kSlack, size_t(lo_end - lo));
        memset(const_cast<unsigned char*>(hi), kSlack, size_t(end - hi));
        return buf;
    }
    return "";
}

size_t mem_used(void* ctx) {
    std::lock_guard<std::mutex> l(mu);
    size_t n = 0;
    for (auto& [k, a] : allocs)
        if (a.ctx == ctx && !a.freed && a.kind == MemKind::Device) n += a.bytes;
    return n;
}

std::string fault_describe(uintptr_t p) {
    Alloc a;
    if (!mem_find(p, &a)) return "not in any allocation of the emulated device (a wild pointer, or host memory)";
    const char* what = a.kind == MemKind::Device ? "device allocation" : "page-locked host allocation";
    char buf[256];
    if (a.freed) {
        snprintf(buf, sizeof buf, "use after free: in the %s of %zu bytes at %#lx, freed before", what, a.bytes, (unsigned long)a.base);
    } else if (p < a.base) {
        snprintf(buf, sizeof buf, "%lu bytes before the start of the %s of %zu bytes at %#lx", (unsigned long)(a.base - p), what, a.bytes,
                 (unsigned long)a.base);
    } else {
        const unsigned long past = (unsigned long)(p - (a.base + a.bytes));
        if (past == 0)
            snprintf(buf, sizeof buf, "the first byte after the end of the %s of %zu bytes at %#lx", what, a.bytes, (unsigned long)a.base);
        else
            snprintf(buf, sizeof buf, "%lu bytes after the end of the %s of %zu bytes at %#lx", past, what, a.bytes, (unsigned long)a.base);
    }
    return buf;
}

} // namespace vgemu
