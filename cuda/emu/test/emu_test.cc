// Tests of the emulated device itself: CUDA's execution model (barriers,
// warp collectives, atomics, shared memory) on small kernels of its own, and
// the driver's checks (faults, launch limits, capture rules, lazy streams)
// through the driver API on the real kernel module. Exit status 0: all pass.
#include <cuda.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <thread>
#include <vector>

#include "compat.h"
#include "common.cuh"
#include "host_kernel.h"
#include "memory.h"

extern "C" const char* vgemu_last_error(void);

// Test kernels.
extern "C" __global__ void t_block_sum(float* y, const float* x, int n) {
    float v = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) v += x[i];
    v = vg_block_sum(v);
    if (threadIdx.x == 0) y[blockIdx.x] = v;
}
extern "C" __global__ void t_racy_sum(float* y, const float* x) {
    VG_SHARED(float, s, 256);
    s[threadIdx.x] = x[threadIdx.x];
    if (threadIdx.x == 0) { // reads the others' values with no __syncthreads between
        float t = 0.0f;
        for (unsigned i = 0; i < blockDim.x; i++) t += s[i];
        y[0] = t;
    }
}
extern "C" __global__ void t_racy_late(float* y, const float* x) {
    VG_SHARED(float, s, 256);
    s[threadIdx.x] = x[threadIdx.x];
    __syncthreads();
    const float v = s[(threadIdx.x + 1) % blockDim.x];
    s[threadIdx.x] = v; // another thread may still read the old value: no barrier
    y[threadIdx.x] = v;
}
extern "C" __global__ void t_divergent_barrier(float* y) {
    if (threadIdx.x < 32) __syncthreads();
    y[threadIdx.x] = 1.0f;
}
extern "C" __global__ void t_shuffles(int* out) {
    const int t = threadIdx.x, n = blockDim.x;
    out[t] = __shfl_down_sync(0xffffffffu, t, 3);
    out[n + t] = __shfl_up_sync(0xffffffffu, t, 2);
    out[2 * n + t] = __shfl_xor_sync(0xffffffffu, t, 5);
    out[3 * n + t] = __shfl_sync(0xffffffffu, t, 7);
    out[4 * n + t] = (int)__ballot_sync(0xffffffffu, t & 1);
    out[5 * n + t] = __any_sync(0xffffffffu, t == 40) + 2 * __all_sync(0xffffffffu, t < 1000);
    out[6 * n + t] = __shfl_down_sync(0xffffffffu, t, 1, 8);
}
extern "C" __global__ void t_divergent_shuffle(float* y) {
    float v = threadIdx.x;
    if (threadIdx.x % 32 < 16) v = __shfl_down_sync(0xffffffffu, v, 1);
    y[threadIdx.x] = v;
}
extern "C" __global__ void t_fill(float* y, int n, float v) {
    VG_LOOP(i, n) y[i] = v;
}
extern "C" __global__ void t_atomic(float* y) { atomicAdd(y, 1.0f); }
extern "C" __global__ void t_shared_oob(float* y) {
    VG_SHARED(float, s, 32);
    s[threadIdx.x] = 1.0f;
    y[threadIdx.x] = 0.0f;
}
extern "C" __global__ void t_uninit(float* y) {
    VG_SHARED(float, s, 64);
    if (threadIdx.x < 32) s[threadIdx.x] = 1.0f;
    __syncthreads();
    y[threadIdx.x] = s[threadIdx.x];
}

static int failures = 0, checks = 0;
#define CHECK(cond, ...)                                      \
    do {                                                      \
        checks++;                                             \
        if (!(cond)) {                                        \
            failures++;                                       \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                     \
            fprintf(stderr, "\n");                            \
        }                                                     \
    } while (0)

template <typename... A>
static bool run(const vgemu::HostKernel& k, vgemu::uint3v grid, vgemu::uint3v block, vgemu::Fault* f, A... a) {
    std::vector<uint8_t> buf(k.arg_bytes);
    const void* vals[] = {&a...};
    for (int i = 0; i < k.nparams; i++) memcpy(buf.data() + k.offsets[i], vals[i], k.sizes[i]);
    vgemu::Dims d{grid, block};
    return vgemu::run_kernel(k, buf.data(), d, f);
}

static void test_engine() {
    vgemu::Fault f;
    // A block reduction over 256 threads, two blocks.
    std::vector<float> x(1000), y(2, -1);
    double want = 0;
    for (int i = 0; i < 1000; i++) want += (x[i] = float(i % 7) - 3);
    bool ok = run(VG_HOST_KERNEL(t_block_sum), {2, 1, 1}, {256, 1, 1}, &f, y.data(), (const float*)x.data(), 1000);
    CHECK(ok && y[0] == float(want) && y[1] == float(want), "block sum: %s %g %g want %g", f.msg.c_str(), y[0], y[1], want);

    // A missing __syncthreads is a race (or a read of unwritten memory).
    std::vector<float> xs(256, 1.0f);
    ok = run(VG_HOST_KERNEL(t_racy_sum), {1, 1, 1}, {256, 1, 1}, &f, y.data(), (const float*)xs.data());
    CHECK(!ok && f.msg.find("shared memory s[") != std::string::npos, "racy sum not caught: %s", f.msg.c_str());
    std::vector<float> ys(256);
    ok = run(VG_HOST_KERNEL(t_racy_late), {1, 1, 1}, {256, 1, 1}, &f, ys.data(), (const float*)xs.data());
    CHECK(!ok && f.msg.find("race on shared memory s[") != std::string::npos, "write-after-read race not caught: %s", f.msg.c_str());

    ok = run(VG_HOST_KERNEL(t_divergent_barrier), {1, 1, 1}, {64, 1, 1}, &f, ys.data());
    CHECK(!ok && f.msg.find("divergent barrier") != std::string::npos, "divergent barrier not caught: %s", f.msg.c_str());

    std::vector<int> out(7 * 64);
    ok = run(VG_HOST_KERNEL(t_shuffles), {1, 1, 1}, {64, 1, 1}, &f, out.data());
    CHECK(ok, "shuffles: %s", f.msg.c_str());
    for (int t = 0; ok && t < 64; t++) {
        const int lane = t % 32, base = t - lane;
        CHECK(out[t] == (lane + 3 < 32 ? t + 3 : t), "shfl_down[%d] = %d", t, out[t]);
        CHECK(out[64 + t] == (lane >= 2 ? t - 2 : t), "shfl_up[%d] = %d", t, out[64 + t]);
        CHECK(out[128 + t] == base + (lane ^ 5), "shfl_xor[%d] = %d", t, out[128 + t]);
        CHECK(out[192 + t] == base + 7, "shfl[%d] = %d", t, out[192 + t]);
        CHECK(out[256 + t] == (int)0xaaaaaaaau, "ballot[%d] = %#x", t, out[256 + t]);
        CHECK(out[320 + t] == (t >= 32 ? 1 : 0) + 2, "any/all[%d] = %d", t, out[320 + t]);
        CHECK(out[384 + t] == (lane % 8 + 1 < 8 ? t + 1 : t), "shfl_down width 8 [%d] = %d", t, out[384 + t]);
    }
    ok = run(VG_HOST_KERNEL(t_divergent_shuffle), {1, 1, 1}, {32, 1, 1}, &f, ys.data());
    CHECK(!ok && f.msg.find("divergent warp collective") != std::string::npos, "divergent shuffle not caught: %s", f.msg.c_str());

    ok = run(VG_HOST_KERNEL(t_shared_oob), {1, 1, 1}, {64, 1, 1}, &f, ys.data());
    CHECK(!ok && f.msg.find("out of bounds") != std::string::npos, "shared out of bounds not caught: %s", f.msg.c_str());
    ok = run(VG_HOST_KERNEL(t_uninit), {1, 1, 1}, {64, 1, 1}, &f, ys.data());
    CHECK(!ok && f.msg.find("before any thread of the block wrote it") != std::string::npos, "uninitialised read not caught: %s",
          f.msg.c_str());

    float sum = 0;
    ok = run(VG_HOST_KERNEL(t_atomic), {64, 1, 1}, {128, 1, 1}, &f, &sum);
    CHECK(ok && sum == 8192.0f, "atomicAdd: %g %s", sum, f.msg.c_str());

    // Faults: past the end of an allocation, and after it is freed.
    const uintptr_t p = vgemu::mem_alloc(nullptr, 1024, vgemu::MemKind::Device);
    ok = run(VG_HOST_KERNEL(t_fill), {1, 1, 1}, {64, 1, 1}, &f, (float*)p, 257, 1.0f);
    CHECK(!ok && f.code == 700 && f.msg.find("the first byte after the end of the device allocation of 1024 bytes") != std::string::npos,
          "overflow not caught: %s", f.msg.c_str());
    ok = run(VG_HOST_KERNEL(t_fill), {1, 1, 1}, {64, 1, 1}, &f, (float*)p, 256, 1.0f);
    CHECK(ok, "in-bounds fill failed: %s", f.msg.c_str());
    vgemu::mem_free(p, vgemu::MemKind::Device, nullptr);
    ok = run(VG_HOST_KERNEL(t_fill), {1, 1, 1}, {64, 1, 1}, &f, (float*)p, 4, 1.0f);
    CHECK(!ok && f.msg.find("use after free") != std::string::npos, "use after free not caught: %s", f.msg.c_str());
}

// Driver API tests on the kernel module.
#define R(call) (last = (call))
static CUresult last;

static std::vector<char> read_file(const char* path) {
    FILE* fp = fopen(path, "rb");
    if (!fp) return {};
    std::vector<char> b;
    char tmp[1 << 16];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) b.insert(b.end(), tmp, tmp + n);
    fclose(fp);
    return b;
}

static CUresult fill(CUfunction fn, CUstream s, CUdeviceptr p, int n, float v, unsigned block = 128, unsigned shared = 0) {
    void* args[] = {&p, &n, &v};
    return cuLaunchKernel(fn, 2, 1, 1, block, 1, 1, shared, s, args, nullptr);
}

static void test_driver(const char* fatbin) {
    std::vector<char> image = read_file(fatbin);
    CHECK(!image.empty(), "cannot read %s", fatbin);
    if (image.empty()) return;
    CHECK(R(cuInit(0)) == CUDA_SUCCESS, "cuInit %d", last);
    CUdevice dev;
    CHECK(R(cuDeviceGet(&dev, 0)) == CUDA_SUCCESS, "cuDeviceGet %d", last);
    char name[64];
    CHECK(dev != 0 && R(cuDeviceGetName(name, 64, 0)) == CUDA_ERROR_INVALID_DEVICE, "ordinal 0 used as a handle: %d", last);
    CUcontext ctx;
    CHECK(R(cuDevicePrimaryCtxRetain(&ctx, dev)) == CUDA_SUCCESS && R(cuCtxSetCurrent(ctx)) == CUDA_SUCCESS, "context %d", last);
    CUmodule mod;
    CHECK(R(cuModuleLoadData(&mod, image.data())) == CUDA_SUCCESS, "module %d: %s", last, vgemu_last_error());
    CUfunction fn, none;
    CHECK(R(cuModuleGetFunction(&fn, mod, "fill_f32")) == CUDA_SUCCESS, "fill_f32 %d: %s", last, vgemu_last_error());
    CHECK(R(cuModuleGetFunction(&none, mod, "t_fill")) == CUDA_ERROR_NOT_FOUND, "a kernel not in the module: %d", last);
    CUstream s;
    CHECK(R(cuStreamCreate(&s, CU_STREAM_NON_BLOCKING)) == CUDA_SUCCESS, "stream %d", last);
    CUdeviceptr d;
    CHECK(R(cuMemAlloc(&d, 1024)) == CUDA_SUCCESS && d % 256 == 0, "alloc %d", last);

    // Launch limits.
    CHECK(R(fill(fn, s, d, 256, 1, 1025)) == CUDA_ERROR_INVALID_VALUE, "block of 1025 threads: %d", last);
    CHECK(R(fill(fn, s, d, 256, 1, 128, (48 << 10) + 4)) == CUDA_ERROR_INVALID_VALUE, "48 KiB of dynamic shared memory: %d", last);
    {
        void* args[] = {&d};
        CHECK(R(cuLaunchKernel(fn, 1, 65536, 1, 32, 1, 1, 0, s, args, nullptr)) == CUDA_ERROR_INVALID_VALUE, "grid.y 65536: %d", last);
    }
    // Copies outside an allocation; double free.
    std::vector<float> h(300);
    CHECK(R(cuMemcpyHtoDAsync(d, h.data(), 1028, s)) == CUDA_ERROR_INVALID_VALUE, "copy past the end: %d", last);
    CHECK(strstr(vgemu_last_error(), "exceeds the device allocation of 1024 bytes"), "diagnostic: %s", vgemu_last_error());
    CUdeviceptr d2;
    cuMemAlloc(&d2, 64);
    CHECK(R(cuMemFree(d2)) == CUDA_SUCCESS && R(cuMemFree(d2)) == CUDA_ERROR_INVALID_VALUE, "double free: %d", last);

    // Lazy streams: a pinned source is read when the copy runs, a pageable
    // one when the call is made.
    float* pinned;
    CHECK(R(cuMemHostAlloc((void**)&pinned, 1024, 0)) == CUDA_SUCCESS, "cuMemHostAlloc %d", last);
    for (int i = 0; i < 256; i++) pinned[i] = h[i] = 1.0f;
    cuMemcpyHtoDAsync(d, pinned, 1024, s);
    for (int i = 0; i < 256; i++) pinned[i] = 2.0f;
    cuMemcpyDtoH(h.data(), d, 1024); // legacy stream: s has not run yet
    cuStreamSynchronize(s);
    cuMemcpyDtoH(h.data(), d, 1024);
    CHECK(h[0] == 2.0f && h[255] == 2.0f, "the pinned copy ran before the host rewrote its source: %g", h[0]);

    // Capture: an allocation on the capturing thread, and a free on another
    // thread, invalidate it; a valid capture replays.
    CUgraph g;
    CHECK(R(cuStreamBeginCapture(s, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL)) == CUDA_SUCCESS, "begin capture %d", last);
    CUdeviceptr d3;
    CHECK(R(cuMemAlloc(&d3, 64)) == CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "alloc during capture: %d", last);
    CHECK(R(cuStreamEndCapture(s, &g)) == CUDA_ERROR_STREAM_CAPTURE_INVALIDATED && g == nullptr, "end invalid capture: %d", last);
    CUdeviceptr d4;
    cuMemAlloc(&d4, 64);
    cuStreamBeginCapture(s, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
    CUresult other;
    std::thread([&] {
        cuCtxSetCurrent(ctx);
        other = cuMemFree(d4);
    }).join();
    CHECK(other == CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "free during another thread's capture: %d", other);
    CHECK(R(cuStreamEndCapture(s, &g)) == CUDA_ERROR_STREAM_CAPTURE_INVALIDATED, "capture after a free: %d", last);
    cuStreamBeginCapture(s, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
    CHECK(R(cuStreamSynchronize(s)) == CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "sync of a capturing stream: %d", last);
    cuStreamEndCapture(s, &g);
    cuStreamBeginCapture(s, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
    fill(fn, s, d, 256, 3.0f);
    CHECK(R(cuStreamEndCapture(s, &g)) == CUDA_SUCCESS && g, "capture %d", last);
    CUgraphExec ge;
    CHECK(R(cuGraphInstantiateWithFlags(&ge, g, 0)) == CUDA_SUCCESS, "instantiate %d", last);
    fill(fn, s, d, 256, 0.0f);
    cuGraphLaunch(ge, s);
    cuMemcpyDtoHAsync(h.data(), d, 1024, s);
    CHECK(h[7] == 3.0f, "graph replay: %g", h[7]);

    // A kernel writing into an allocation's slack, then past its guard:
    // the context faults and stays faulted until it is released.
    CUdeviceptr small;
    cuMemAlloc(&small, 100);
    fill(fn, s, small, 26, 1.0f);
    CHECK(R(cuStreamSynchronize(s)) == CUDA_ERROR_ILLEGAL_ADDRESS && strstr(vgemu_last_error(), "up to 4 bytes past the end"),
          "write into slack: %d %s", last, vgemu_last_error());
    CHECK(R(cuMemAlloc(&d3, 64)) == CUDA_ERROR_ILLEGAL_ADDRESS, "the fault is sticky: %d", last);
    cuDevicePrimaryCtxRelease(dev);
    CHECK(R(cuDevicePrimaryCtxRetain(&ctx, dev)) == CUDA_SUCCESS && R(cuCtxSetCurrent(ctx)) == CUDA_SUCCESS &&
              R(cuMemAlloc(&d3, 64)) == CUDA_SUCCESS,
          "a new context after the fault: %d", last);
    CHECK(R(cuModuleLoadData(&mod, image.data())) == CUDA_SUCCESS && R(cuModuleGetFunction(&fn, mod, "fill_f32")) == CUDA_SUCCESS, "reload");
    cuStreamCreate(&s, CU_STREAM_NON_BLOCKING);
    fill(fn, s, d3, 17 * 4096, 1.0f);
    CHECK(R(cuStreamSynchronize(s)) == CUDA_ERROR_ILLEGAL_ADDRESS && strstr(vgemu_last_error(), "kernel fill_f32"), "overflow: %d %s", last,
          vgemu_last_error());
    cuDevicePrimaryCtxRelease(dev);
}

int main(int argc, char** argv) {
    vgemu::install_fault_handler();
    test_engine();
    test_driver(argc > 1 ? argv[1] : "cuda/kernels/kernels.fatbin");
    printf("emulated device self-checks: %d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
