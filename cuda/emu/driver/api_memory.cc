// Device and page-locked host memory, copies and memsets.
#include <string.h>

#include "memory.h"
#include "state.h"

namespace vgemu {
size_t device_total_mem();

namespace {

bool is_pinned(uintptr_t p, size_t n) { return mem_range(p, n, MemKind::Host, nullptr); }

// device_span checks [p, p+n) against the live device allocations.
CUresult device_span(const char* call, const char* what, CUdeviceptr p, size_t n) {
    if (mem_range(p, n, MemKind::Device, nullptr)) return CUDA_SUCCESS;
    Alloc a;
    if (mem_find(p, &a) && a.kind == MemKind::Device) {
        if (a.freed)
            return err(CUDA_ERROR_INVALID_VALUE, "%s: %s %#llx is in a device allocation that was freed (use after free)", call, what,
                       (unsigned long long)p);
        return err(CUDA_ERROR_INVALID_VALUE, "%s: %s [%#llx, +%zu bytes) exceeds the device allocation of %zu bytes at %#lx", call, what,
                   (unsigned long long)p, n, a.bytes, (unsigned long)a.base);
    }
    if (mem_find(p + n - 1, &a) && a.kind == MemKind::Device && !a.freed)
        return err(CUDA_ERROR_INVALID_VALUE, "%s: %s [%#llx, +%zu bytes) starts before the device allocation at %#lx", call, what,
                   (unsigned long long)p, n, (unsigned long)a.base);
    return err(CUDA_ERROR_INVALID_VALUE, "%s: %s %#llx is not device memory", call, what, (unsigned long long)p);
}

// queue_copy queues a copy on stream; a pageable host source is staged now,
// a pageable host destination makes the call synchronous.
CUresult copy(const char* call, uintptr_t dst, uintptr_t src, size_t n, bool dst_dev, bool src_dev, CUstream hs, bool sync) {
    CUctx_st* c;
    CUstream_st* s;
    bool wait = sync;
    {
        Lock l(api);
        if (CUresult r = ctx_stream(hs, &c, &s)) return r;
        if (n == 0) return CUDA_SUCCESS;
        if (dst_dev) {
            if (CUresult r = device_span(call, "destination", dst, n)) return r;
        } else if (!dst) {
            return err(CUDA_ERROR_INVALID_VALUE, "%s: NULL destination", call);
        }
        if (src_dev) {
            if (CUresult r = device_span(call, "source", src, n)) return r;
        } else if (!src) {
            return err(CUDA_ERROR_INVALID_VALUE, "%s: NULL source", call);
        }
        const bool pageable = (!dst_dev && !is_pinned(dst, n)) || (!src_dev && !is_pinned(src, n));
        if (sync) {
            if (CUresult r = capture_check(c, call)) return r;
        }
        if (pageable && s->capturing) {
            s->invalidated = CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
            s->invalid_msg = std::string(call) + " with pageable host memory during the capture";
            return err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "%s: a copy with pageable host memory cannot be captured", call);
        }
        Work w{Work::Copy};
        w.name = call;
        w.dst = dst;
        w.src = src;
        w.bytes = n;
        if (!src_dev && !is_pinned(src, n)) {
            w.staged.assign(reinterpret_cast<const uint8_t*>(src), reinterpret_cast<const uint8_t*>(src) + n);
        }
        if (!dst_dev && !is_pinned(dst, n)) wait = true; // returns once the data is there
        if (CUresult r = enqueue(s, std::move(w))) return r;
        if (!wait) return CUDA_SUCCESS;
    }
    return run_until(s, ~0ull);
}

CUresult set_memory(const char* call, CUdeviceptr p, uint32_t v, int elem, size_t count, CUstream hs, bool sync) {
    CUctx_st* c;
    CUstream_st* s;
    {
        Lock l(api);
        if (CUresult r = ctx_stream(hs, &c, &s)) return r;
        if (count == 0) return CUDA_SUCCESS;
        if (p % elem) return err(CUDA_ERROR_INVALID_VALUE, "%s: %#llx is not aligned to %d bytes", call, (unsigned long long)p, elem);
        if (CUresult r = device_span(call, "destination", p, count * elem)) return r;
        if (sync) {
            if (CUresult r = capture_check(c, call)) return r;
        }
        Work w{Work::Memset};
        w.name = call;
        w.dst = p;
        w.value = v;
        w.elem = elem;
        w.count = count;
        if (CUresult r = enqueue(s, std::move(w))) return r;
        if (!sync) return CUDA_SUCCESS;
    }
    return run_until(s, ~0ull);
}

// free_memory frees the allocation at p after the device's work, which may
// still use it (cuMemFree and cuMemFreeHost synchronise the context).
CUresult free_memory(const char* call, uintptr_t p, MemKind kind) {
    CUctx_st* c;
    {
        Lock l(api);
        if (CUresult r = ctx_check(&c)) return r;
        if (CUresult r = broad_sync_check(c, call)) return r;
    }
    if (CUresult r = run_all(c)) return r;
    Lock l(api);
    Alloc a;
    if (mem_free(p, kind, &a)) return CUDA_SUCCESS;
    if (a.base == p && a.freed) return err(CUDA_ERROR_INVALID_VALUE, "%s(%#lx): double free", call, (unsigned long)p);
    return err(CUDA_ERROR_INVALID_VALUE, "%s(%#lx): not the start of a live %s allocation", call, (unsigned long)p,
               kind == MemKind::Device ? "device" : "page-locked host");
}

} // namespace
} // namespace vgemu

using namespace vgemu;

extern "C" {

CUresult cuMemAlloc(CUdeviceptr* p, size_t bytes) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!p) return err(CUDA_ERROR_INVALID_VALUE, "cuMemAlloc: NULL");
    if (bytes == 0) return err(CUDA_ERROR_INVALID_VALUE, "cuMemAlloc: 0 bytes");
    if (CUresult r = capture_check(c, "cuMemAlloc")) return r;
    if (mem_used(c) + bytes > device_total_mem())
        return err(CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc(%zu bytes): %zu of %zu bytes in use", bytes, mem_used(c), device_total_mem());
    const uintptr_t a = mem_alloc(c, bytes, MemKind::Device);
    if (!a) return err(CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc(%zu bytes): the host has no memory left", bytes);
    *p = a;
    return CUDA_SUCCESS;
}

CUresult cuMemFree(CUdeviceptr p) { return free_memory("cuMemFree", p, MemKind::Device); }

CUresult cuMemGetInfo(size_t* free_b, size_t* total) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!free_b || !total) return err(CUDA_ERROR_INVALID_VALUE, "cuMemGetInfo: NULL");
    *total = device_total_mem();
    *free_b = *total - mem_used(c);
    return CUDA_SUCCESS;
}

CUresult cuMemHostAlloc(void** pp, size_t bytes, unsigned int flags) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!pp || bytes == 0) return err(CUDA_ERROR_INVALID_VALUE, "cuMemHostAlloc: NULL or 0 bytes");
    if (flags & ~(CU_MEMHOSTALLOC_PORTABLE | CU_MEMHOSTALLOC_WRITECOMBINED))
        return err(CUDA_ERROR_NOT_SUPPORTED, "cuMemHostAlloc: flags %#x are not emulated", flags);
    if (CUresult r = capture_check(c, "cuMemHostAlloc")) return r;
    const uintptr_t a = mem_alloc(c, bytes, MemKind::Host);
    if (!a) return err(CUDA_ERROR_OUT_OF_MEMORY, "cuMemHostAlloc(%zu bytes)", bytes);
    *pp = reinterpret_cast<void*>(a);
    return CUDA_SUCCESS;
}

CUresult cuMemAllocHost(void** pp, size_t bytes) { return cuMemHostAlloc(pp, bytes, 0); }

CUresult cuMemFreeHost(void* p) { return free_memory("cuMemFreeHost", reinterpret_cast<uintptr_t>(p), MemKind::Host); }

CUresult cuMemcpyHtoDAsync(CUdeviceptr dst, const void* src, size_t n, CUstream s) {
    return copy("cuMemcpyHtoDAsync", dst, reinterpret_cast<uintptr_t>(src), n, true, false, s, false);
}
CUresult cuMemcpyDtoHAsync(void* dst, CUdeviceptr src, size_t n, CUstream s) {
    return copy("cuMemcpyDtoHAsync", reinterpret_cast<uintptr_t>(dst), src, n, false, true, s, false);
}
CUresult cuMemcpyDtoDAsync(CUdeviceptr dst, CUdeviceptr src, size_t n, CUstream s) {
    return copy("cuMemcpyDtoDAsync", dst, src, n, true, true, s, false);
}
CUresult cuMemcpyHtoD(CUdeviceptr dst, const void* src, size_t n) {
    return copy("cuMemcpyHtoD", dst, reinterpret_cast<uintptr_t>(src), n, true, false, 0, true);
}
CUresult cuMemcpyDtoH(void* dst, CUdeviceptr src, size_t n) {
    return copy("cuMemcpyDtoH", reinterpret_cast<uintptr_t>(dst), src, n, false, true, 0, true);
}
CUresult cuMemcpyDtoD(CUdeviceptr dst, CUdeviceptr src, size_t n) { return copy("cuMemcpyDtoD", dst, src, n, true, true, 0, true); }

CUresult cuMemsetD32Async(CUdeviceptr p, unsigned int v, size_t n, CUstream s) { return set_memory("cuMemsetD32Async", p, v, 4, n, s, false); }
CUresult cuMemsetD16Async(CUdeviceptr p, unsigned short v, size_t n, CUstream s) { return set_memory("cuMemsetD16Async", p, v, 2, n, s, false); }
CUresult cuMemsetD8Async(CUdeviceptr p, unsigned char v, size_t n, CUstream s) { return set_memory("cuMemsetD8Async", p, v, 1, n, s, false); }
CUresult cuMemsetD32(CUdeviceptr p, unsigned int v, size_t n) { return set_memory("cuMemsetD32", p, v, 4, n, 0, true); }
CUresult cuMemsetD16(CUdeviceptr p, unsigned short v, size_t n) { return set_memory("cuMemsetD16", p, v, 2, n, 0, true); }
CUresult cuMemsetD8(CUdeviceptr p, unsigned char v, size_t n) { return set_memory("cuMemsetD8", p, v, 1, n, 0, true); }

} // extern "C"
