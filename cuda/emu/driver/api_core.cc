// Initialisation, devices, primary contexts, errors: the emulated driver's
// entry points that are not about memory, streams or modules.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "memory.h"
#include "state.h"

namespace vgemu {

std::recursive_mutex api;
bool initialized = false;
thread_local CUctx_st* tls_ctx = nullptr;
std::set<CUctx_st*> contexts;
std::set<CUstream_st*> streams;
std::set<CUevent_st*> events;
std::set<CUmod_st*> modules;
std::set<CUfunc_st*> functions;
std::set<CUgraph_st*> graphs;
std::set<CUgraphExec_st*> execs;

namespace {

thread_local std::string last_error;

// The emulated GPUs. Device handles are not ordinals (the API keeps them
// apart), so code that passes an ordinal where a CUdevice belongs fails.
constexpr int kHandleBase = 0x5600;
constexpr int kMajor = 9, kMinor = 0;

int device_count() {
    const char* e = getenv("VIGIL_EMU_DEVICES");
    int n = e ? atoi(e) : 1;
    return n < 0 ? 0 : (n > 8 ? 8 : n);
}

int sm_count() {
    const char* e = getenv("VIGIL_EMU_SMS");
    int n = e ? atoi(e) : 4;
    return n < 1 ? 1 : n;
}

size_t total_mem() {
    const char* e = getenv("VIGIL_EMU_MEM_MB");
    size_t mb = e ? strtoull(e, nullptr, 10) : 8192;
    return mb << 20;
}

struct Primary {
    CUctx_st* ctx = nullptr;
    int refs = 0;
};
Primary primaries[8];

CUresult device_ordinal(CUdevice dev, int* ordinal) {
    const int o = dev - kHandleBase;
    if (o < 0 || o >= device_count())
        return err(CUDA_ERROR_INVALID_DEVICE, "%d is not a device handle (handles come from cuDeviceGet; %d device(s))", dev, device_count());
    *ordinal = o;
    return CUDA_SUCCESS;
}

} // namespace

CUresult err(CUresult code, const char* fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    last_error = buf;
    if (getenv("VIGIL_EMU_VERBOSE")) fprintf(stderr, "vigil emulated GPU: %s\n", buf);
    return code;
}

void set_last_error(const std::string& s) { last_error = s; }

CUresult ctx_check(CUctx_st** out) {
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    CUctx_st* c = tls_ctx;
    if (!c) return err(CUDA_ERROR_INVALID_CONTEXT, "no context is current on this thread (cuCtxSetCurrent)");
    if (!contexts.count(c) || !c->alive) return err(CUDA_ERROR_CONTEXT_IS_DESTROYED, "the current context was destroyed");
    if (c->sticky != CUDA_SUCCESS) {
        last_error = c->sticky_msg;
        return c->sticky;
    }
    *out = c;
    return CUDA_SUCCESS;
}

double now_ms() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

unsigned long thread_id() { return (unsigned long)syscall(SYS_gettid); }

void ctx_destroy(CUctx_st* c) {
    for (auto* s : std::set<CUstream_st*>(c->streams)) {
        streams.erase(s);
        delete s;
    }
    c->streams.clear();
    for (auto it = modules.begin(); it != modules.end();) {
        if ((*it)->ctx == c) {
            for (auto* f : (*it)->funcs) functions.erase(f);
            it = modules.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = events.begin(); it != events.end();) it = (*it)->ctx == c ? events.erase(it) : ++it;
    for (auto it = execs.begin(); it != execs.end();) it = (*it)->ctx == c ? execs.erase(it) : ++it;
    for (auto it = graphs.begin(); it != graphs.end();) it = (*it)->ctx == c ? graphs.erase(it) : ++it;
    mem_free_all(c);
    c->alive = false;
    contexts.erase(c);
}

size_t device_total_mem() { return total_mem(); }

} // namespace vgemu

using namespace vgemu;

extern "C" {

CUresult cuInit(unsigned int flags) {
    Lock l(api);
    if (flags != 0) return err(CUDA_ERROR_INVALID_VALUE, "cuInit: flags must be 0, not %u", flags);
    install_fault_handler();
    initialized = true;
    return CUDA_SUCCESS;
}

CUresult cuDriverGetVersion(int* v) {
    if (!v) return err(CUDA_ERROR_INVALID_VALUE, "cuDriverGetVersion: NULL");
    *v = 13000; // a CUDA 13.0 driver
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int* n) {
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    if (!n) return err(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetCount: NULL");
    *n = device_count();
    return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice* dev, int ordinal) {
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    if (!dev) return err(CUDA_ERROR_INVALID_VALUE, "cuDeviceGet: NULL");
    if (ordinal < 0 || ordinal >= device_count())
        return err(CUDA_ERROR_INVALID_DEVICE, "cuDeviceGet: ordinal %d (%d device(s))", ordinal, device_count());
    *dev = kHandleBase + ordinal;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int len, CUdevice dev) {
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    int o;
    if (CUresult r = device_ordinal(dev, &o)) return r;
    if (!name || len <= 0) return err(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetName: no buffer");
    snprintf(name, len, "vigil emulated GPU (host CPU)");
    return CUDA_SUCCESS;
}

CUresult cuDeviceTotalMem(size_t* bytes, CUdevice dev) {
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    int o;
    if (CUresult r = device_ordinal(dev, &o)) return r;
    if (!bytes) return err(CUDA_ERROR_INVALID_VALUE, "cuDeviceTotalMem: NULL");
    *bytes = total_mem();
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* v, CUdevice_attribute a, CUdevice dev) {
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    int o;
    if (CUresult r = device_ordinal(dev, &o)) return r;
    if (!v) return err(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetAttribute: NULL");
    switch (a) {
    case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK: *v = 1024; break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X: *v = 1024; break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y: *v = 1024; break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z: *v = 64; break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X: *v = 2147483647; break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y: *v = 65535; break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z: *v = 65535; break;
    case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK: *v = 48 << 10; break;
    case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: *v = 227 << 10; break;
    case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR: *v = 228 << 10; break;
    case CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY: *v = 64 << 10; break;
    case CU_DEVICE_ATTRIBUTE_WARP_SIZE: *v = 32; break;
    case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK: *v = 65536; break;
    case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR: *v = 65536; break;
    case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: *v = sm_count(); break;
    case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR: *v = 2048; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *v = kMajor; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: *v = kMinor; break;
    case CU_DEVICE_ATTRIBUTE_CLOCK_RATE: *v = 1000000; break;
    case CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE: *v = 1000000; break;
    case CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH: *v = 64; break;
    case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE: *v = 1 << 20; break;
    case CU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT: *v = 512; break;
    case CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT: *v = 1; break;
    case CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING: *v = 1; break;
    case CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY: *v = 0; break;
    case CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS: *v = 1; break;
    case CU_DEVICE_ATTRIBUTE_INTEGRATED: *v = 0; break;
    case CU_DEVICE_ATTRIBUTE_KERNEL_EXEC_TIMEOUT: *v = 0; break;
    case CU_DEVICE_ATTRIBUTE_ECC_ENABLED: *v = 0; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_MODE: *v = CU_COMPUTEMODE_DEFAULT; break;
    case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID: *v = o + 1; break;
    case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID: *v = 0; break;
    case CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID: *v = 0; break;
    case CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY: *v = 0; break;
    case CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED: *v = 0; break;
    default:
        if (a <= 0 || a >= CU_DEVICE_ATTRIBUTE_MAX) return err(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetAttribute: attribute %d does not exist", a);
        return err(CUDA_ERROR_NOT_SUPPORTED, "cuDeviceGetAttribute: attribute %d is not emulated", a);
    }
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext* pctx, CUdevice dev) {
    Lock l(api);
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    int o;
    if (CUresult r = device_ordinal(dev, &o)) return r;
    if (!pctx) return err(CUDA_ERROR_INVALID_VALUE, "cuDevicePrimaryCtxRetain: NULL");
    Primary& p = primaries[o];
    if (!p.ctx) {
        p.ctx = new CUctx_st{};
        p.ctx->ordinal = o;
        contexts.insert(p.ctx);
        auto* legacy = new CUstream_st{};
        legacy->ctx = p.ctx;
        legacy->flags = 0;
        p.ctx->legacy = legacy;
        p.ctx->streams.insert(legacy);
        streams.insert(legacy);
    }
    p.refs++;
    *pctx = p.ctx;
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease(CUdevice dev) {
    Lock l(api);
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    int o;
    if (CUresult r = device_ordinal(dev, &o)) return r;
    Primary& p = primaries[o];
    if (p.refs == 0) return err(CUDA_ERROR_INVALID_CONTEXT, "cuDevicePrimaryCtxRelease: the primary context is not retained");
    if (--p.refs == 0) {
        // The context is destroyed with all it holds; work still queued is
        // dropped, as the driver does after waiting for it.
        ctx_destroy(p.ctx);
        if (tls_ctx == p.ctx) tls_ctx = nullptr;
        p.ctx = nullptr;
    }
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxGetState(CUdevice dev, unsigned* flags, int* active) {
    Lock l(api);
    int o;
    if (CUresult r = device_ordinal(dev, &o)) return r;
    if (flags) *flags = 0;
    if (active) *active = primaries[o].refs > 0;
    return CUDA_SUCCESS;
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
    Lock l(api);
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    if (ctx && !contexts.count(ctx)) return err(CUDA_ERROR_INVALID_CONTEXT, "cuCtxSetCurrent: not a live context");
    tls_ctx = ctx;
    return CUDA_SUCCESS;
}

CUresult cuCtxGetCurrent(CUcontext* ctx) {
    if (!initialized) return err(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
    if (!ctx) return err(CUDA_ERROR_INVALID_VALUE, "cuCtxGetCurrent: NULL");
    *ctx = tls_ctx;
    return CUDA_SUCCESS;
}

CUresult cuCtxGetDevice(CUdevice* dev) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!dev) return err(CUDA_ERROR_INVALID_VALUE, "cuCtxGetDevice: NULL");
    *dev = kHandleBase + c->ordinal;
    return CUDA_SUCCESS;
}

CUresult cuCtxSynchronize(void) {
    CUctx_st* c;
    {
        Lock l(api);
        if (CUresult r = ctx_check(&c)) return r;
        if (CUresult r = broad_sync_check(c, "cuCtxSynchronize")) return r;
    }
    return run_all(c);
}

CUresult cuGetErrorName(CUresult e, const char** s);
CUresult cuGetErrorString(CUresult e, const char** s) {
    const char* name;
    if (CUresult r = cuGetErrorName(e, &name)) return r;
    *s = name;
    return CUDA_SUCCESS;
}

const char* vgemu_last_error(void) { return last_error.c_str(); }

} // extern "C"

extern "C" int vgemu_not_emulated(const char* name) {
    fprintf(stderr, "vigil emulated GPU: %s is not emulated\n", name);
    return vgemu::err(CUDA_ERROR_NOT_SUPPORTED, "%s is not emulated", name);
}
