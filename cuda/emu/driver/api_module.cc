// Modules, functions and kernel launches; the private interface of the
// emulated cuBLAS (vgemu.h).
#include <string.h>

#include "memory.h"
#include "state.h"

namespace vgemu {
void host_kernel_fault(CUresult code, const char* msg);

namespace {

CUresult image_error(const ModuleImage& m, const std::string& e) {
    switch (m.error) {
    case ImageError::no_binary_for_gpu: return err(CUDA_ERROR_NO_BINARY_FOR_GPU, "cuModuleLoadData: %s", e.c_str());
    case ImageError::invalid_ptx: return err(CUDA_ERROR_INVALID_PTX, "cuModuleLoadData: %s", e.c_str());
    default: return err(CUDA_ERROR_INVALID_IMAGE, "cuModuleLoadData: %s", e.c_str());
    }
}

const HostKernel* find_host(const char* name) {
    int n;
    const HostKernel* ks = host_kernels(&n);
    for (int i = 0; i < n; i++)
        if (!strcmp(ks[i].name, name)) return &ks[i];
    return nullptr;
}

// same_layout says whether the image's parameter layout of a kernel is the
// host build's (a stale fatbin or a stale emulator build differ).
bool same_layout(const HostKernel& h, const KernelInfo& k, std::string* why) {
    bool same = int(k.param_sizes.size()) == h.nparams;
    for (int i = 0; same && i < h.nparams; i++) same = k.param_sizes[i] == h.sizes[i] && k.param_offsets[i] == h.offsets[i];
    if (same) return true;
    std::string a, b;
    for (int i = 0; i < h.nparams; i++) a += (i ? "," : "") + std::to_string(h.sizes[i]) + "@" + std::to_string(h.offsets[i]);
    for (size_t i = 0; i < k.param_sizes.size(); i++)
        b += (i ? "," : "") + std::to_string(k.param_sizes[i]) + "@" + std::to_string(k.param_offsets[i]);
    *why = "the module's parameters (size@offset) are [" + b + "], the emulator's build of the source has [" + a +
           "]: rebuild the fatbin (make kernels) or the emulator (make emu)";
    return false;
}

} // namespace
} // namespace vgemu

using namespace vgemu;

extern "C" {

CUresult cuModuleLoadData(CUmodule* out, const void* image) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!out || !image) return err(CUDA_ERROR_INVALID_VALUE, "cuModuleLoadData: NULL");
    auto* m = new CUmod_st{};
    m->ctx = c;
    std::string e;
    if (!parse_module_image(image, 0, 9, 0, &m->image, &e)) {
        CUresult r = image_error(m->image, e);
        delete m;
        return r;
    }
    modules.insert(m);
    *out = m;
    return CUDA_SUCCESS;
}

CUresult cuModuleLoadDataEx(CUmodule* out, const void* image, unsigned int, CUjit_option*, void**) { return cuModuleLoadData(out, image); }

CUresult cuModuleUnload(CUmodule m) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!modules.count(m)) return err(CUDA_ERROR_INVALID_HANDLE, "cuModuleUnload: %p is not a loaded module", (void*)m);
    for (auto* f : m->funcs) functions.erase(f); // handles stay allocated: a launch of one is an error, not a crash
    modules.erase(m);
    return CUDA_SUCCESS;
}

CUresult cuModuleGetFunction(CUfunction* out, CUmodule m, const char* name) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!out || !name) return err(CUDA_ERROR_INVALID_VALUE, "cuModuleGetFunction: NULL");
    if (!modules.count(m)) return err(CUDA_ERROR_INVALID_HANDLE, "cuModuleGetFunction: %p is not a loaded module", (void*)m);
    const KernelInfo* k = m->image.find(name);
    if (!k) return err(CUDA_ERROR_NOT_FOUND, "cuModuleGetFunction: the module has no kernel %s", name);
    const HostKernel* h = find_host(name);
    if (!h) return err(CUDA_ERROR_NOT_FOUND, "cuModuleGetFunction: kernel %s is in the module but not in the emulator's build (make emu)", name);
    std::string why;
    if (!same_layout(*h, *k, &why)) return err(CUDA_ERROR_NOT_FOUND, "cuModuleGetFunction(%s): %s", name, why.c_str());
    for (auto* f : m->funcs)
        if (f->hk == h) {
            *out = f;
            return CUDA_SUCCESS;
        }
    auto* f = new CUfunc_st{m, h, k};
    m->funcs.push_back(f);
    functions.insert(f);
    *out = f;
    return CUDA_SUCCESS;
}

CUresult cuFuncGetAttribute(int* v, CUfunction_attribute a, CUfunction f) {
    Lock l(api);
    if (!functions.count(f)) return err(CUDA_ERROR_INVALID_HANDLE, "cuFuncGetAttribute: %p is not a live function", (void*)f);
    if (!v) return err(CUDA_ERROR_INVALID_VALUE, "cuFuncGetAttribute: NULL");
    switch (a) {
    case CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK: *v = int(f->info->max_threads); break;
    case CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES: *v = int(f->info->static_shared_bytes); break;
    case CU_FUNC_ATTRIBUTE_NUM_REGS: *v = int(f->info->registers); break;
    case CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES: *v = 0; break;
    case CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES: *v = 0; break;
    case CU_FUNC_ATTRIBUTE_PTX_VERSION: *v = 70; break;
    case CU_FUNC_ATTRIBUTE_BINARY_VERSION: *v = f->mod->image.sm_major * 10 + f->mod->image.sm_minor; break;
    case CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES: *v = int((48 << 10) - f->info->static_shared_bytes); break;
    default: return err(CUDA_ERROR_INVALID_VALUE, "cuFuncGetAttribute: attribute %d is not emulated", a);
    }
    return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        CUstream hs, void** params, void** extra) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_check(&c)) return r;
    if (!functions.count(f)) return err(CUDA_ERROR_INVALID_HANDLE, "cuLaunchKernel: %p is not a function of a loaded module", (void*)f);
    if (f->mod->ctx != c) return err(CUDA_ERROR_INVALID_HANDLE, "cuLaunchKernel: the function belongs to another context");
    if (CUresult r = stream_resolve(c, hs, &s)) return r;
    const char* name = f->hk->name;
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0)
        return err(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel(%s): grid (%u,%u,%u) block (%u,%u,%u) has a zero dimension", name, gx, gy, gz, bx, by, bz);
    if (gx > 2147483647u || gy > 65535 || gz > 65535)
        return err(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel(%s): grid (%u,%u,%u) exceeds (2^31-1, 65535, 65535)", name, gx, gy, gz);
    if (bx > 1024 || by > 1024 || bz > 64 || uint64_t(bx) * by * bz > 1024)
        return err(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel(%s): block (%u,%u,%u) exceeds (1024, 1024, 64) or 1024 threads", name, bx, by, bz);
    if (uint64_t(bx) * by * bz > f->info->max_threads)
        return err(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "cuLaunchKernel(%s): block of %llu threads, the kernel allows %u", name,
                   (unsigned long long)bx * by * bz, f->info->max_threads);
    if (uint64_t(shared) + f->info->static_shared_bytes > (48u << 10))
        return err(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel(%s): %u bytes of dynamic shared memory + %u static exceed 48 KiB", name, shared,
                   f->info->static_shared_bytes);
    if (extra) return err(CUDA_ERROR_NOT_SUPPORTED, "cuLaunchKernel(%s): the extra parameter buffer is not emulated", name);
    if (f->hk->nparams > 0 && !params)
        return err(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel(%s): the kernel takes %d parameters and kernelParams is NULL", name, f->hk->nparams);
    Work w{Work::Kernel};
    w.name = name;
    w.hk = f->hk;
    w.dims = Dims{{gx, gy, gz}, {bx, by, bz}};
    w.args.resize(f->hk->arg_bytes);
    for (int i = 0; i < f->hk->nparams; i++) memcpy(w.args.data() + f->hk->offsets[i], params[i], f->hk->sizes[i]);
    return enqueue(s, std::move(w));
}

CUresult vgemu_enqueue(CUstream hs, const char* name, vgemu_host_kernel fn, const void* args, size_t size) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_stream(hs, &c, &s)) return r;
    Work w{Work::HostKernel};
    w.name = name;
    w.hfn = fn;
    w.args.assign(static_cast<const uint8_t*>(args), static_cast<const uint8_t*>(args) + size);
    return enqueue(s, std::move(w));
}

int vgemu_device_range(CUdeviceptr p, size_t bytes) { return mem_range(p, bytes, MemKind::Device, nullptr) ? 1 : 0; }

void vgemu_kernel_fault(CUresult code, const char* msg) { host_kernel_fault(code, msg); }

void vgemu_parallel_for(int n, void (*body)(int, void*), void* ctx) { parallel_for(n, body, ctx); }

} // extern "C"
