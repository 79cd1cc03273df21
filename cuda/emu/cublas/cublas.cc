// Emulated cuBLAS (libcublas.so.13): the handle, stream, workspace and math
// mode calls and single-precision GEMM of the cuBLAS v2 API, on top of the
// emulated driver (libcuda.so.1, cuda/emu/driver). GEMMs run as host
// kernels queued with vgemu_enqueue, so they follow stream order and are
// recorded into graphs during stream capture like kernels.
//
// "Docs" below is the cuBLAS API reference (cuBLAS 12.x/13.x, section
// numbers of the 13.x edition); "reference BLAS" is Netlib's sgemm.f.
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>

#include <mutex>
#include <new>
#include <unordered_set>

#include "emu_cublas.h"
#include "sgemm.h"
#include "vgemu.h"

// Workspace, as cuBLAS 12/13 documents it:
//  - cublasCreate allocates the default workspace pool (2.4.8: "the default
//    workspace pool allocated during the cuBLAS context creation"; 2.4.1:
//    "It allocates hardware resources on the host and device"); here with
//    cuMemAlloc_v2 in the current context, sized as cuBLAS's pool (4 MiB,
//    32 MiB on sm_90/10x/12x: 2.4.8's table). So creating a handle inside
//    a stream capture is refused, and breaks the capture, as cuBLAS's
//    cudaMalloc would be. cublasDestroy frees it.
//  - cublasSetWorkspace_v2 replaces the pool by the user's buffer until
//    cublasSetStream_v2 "unconditionally resets the cuBLAS library
//    workspace back to the default workspace pool" (2.4.7).
//  - A GEMM captured without a user workspace allocates nothing with a
//    capture-breaking call: 2.1.12 says "cuBLAS routines can create memory
//    nodes through the use of stream-ordered allocation APIs,
//    cudaMallocAsync and cudaFreeAsync", which a capture records (they fail
//    only in child graphs or device-launched graphs). The emulated SGEMM
//    needs no workspace, so it records no memory node either: a capture of
//    it succeeds with or without cublasSetWorkspace_v2, as with cuBLAS.
//
// The handle: the CUDA context current at cublasCreate (docs 2.1.2: "tightly
// coupled with the CUDA context that is current at the time of the
// cublasCreate() call") and the settings below.
struct cublasContext {
  CUcontext ctx = nullptr;
  cudaStream_t stream = nullptr;  // 0: the legacy default stream
  int math = CUBLAS_DEFAULT_MATH;
  // Default workspace pool, allocated at creation (docs 2.4.8: "the default
  // workspace pool allocated during the cuBLAS context creation").
  CUdeviceptr pool = 0;
  size_t pool_bytes = 0;
  // User workspace (cublasSetWorkspace_v2), used instead of the pool until
  // cublasSetStream_v2 resets it (docs 2.4.7).
  bool user_ws = false;
  void* ws = nullptr;
  size_t ws_bytes = 0;
};

namespace {

// Live handles: a call on a null or destroyed handle returns
// CUBLAS_STATUS_NOT_INITIALIZED ("the library was not initialized").
std::mutex g_mu;
std::unordered_set<cublasContext*>& live() {
  static auto* s = new std::unordered_set<cublasContext*>;  // never freed: usable at exit
  return *s;
}

// Default workspace pool size: docs 2.4.8 recommend a user workspace of
// the pool's size, 32 MiB on Hopper (sm_90) and Blackwell (sm_10x, sm_12x),
// 4 MiB on other GPUs.
size_t pool_size() {
  CUdevice dev;
  int major = 0;
  if (cuCtxGetDevice(&dev) != CUDA_SUCCESS ||
      cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev) != CUDA_SUCCESS)
    major = 0;
  return (major == 9 || major == 10 || major == 12 ? 32u : 4u) << 20;
}

// Math modes cuBLAS 13 accepts (docs 2.2.10, 2.4.22): a base mode, which
// may be combined with CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION,
// except the deprecated CUBLAS_TENSOR_OP_MATH, which stands alone.
bool valid_math(int mode) {
  if (mode == CUBLAS_TENSOR_OP_MATH) return true;
  switch (mode & ~CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION) {
    case CUBLAS_DEFAULT_MATH:
    case CUBLAS_PEDANTIC_MATH:
    case CUBLAS_TF32_TENSOR_OP_MATH:
    case CUBLAS_FP32_EMULATED_BF16X9_MATH:
    case CUBLAS_FP64_EMULATED_FIXEDPOINT_MATH:
      return true;
  }
  return false;
}

// The argument block of a queued GEMM (copied by vgemu_enqueue): the
// problem with alpha and beta captured by value (docs 2.1.12: with
// CUBLAS_POINTER_MODE_HOST "coefficient values are captured in the graph"),
// and what the fault message names.
struct GemmLaunch {
  vg_sgemm_args g;
  const char* name;  // a string literal
  int lda, ldb, ldc, batch;
  bool batched;
};

// span_ok checks that every batch entry of one matrix (rows x cols, leading
// dimension ld, entries stride floats apart) lies in a live device
// allocation; if not it reports the first that does not and returns false.
bool span_ok(const GemmLaunch& L, char which, const float* base, int64_t ld,
             int64_t rows, int64_t cols, int64_t stride) {
  const __int128 span = (__int128)ld * (cols - 1) + rows;  // floats, > 0
  const __int128 start = (__int128)(uintptr_t)base;
  auto ok = [](__int128 lo, __int128 bytes) {
    return lo >= 0 && lo + bytes <= (__int128)UINT64_MAX &&
           vgemu_device_range(CUdeviceptr(lo), size_t(bytes));
  };
  const int64_t n = L.g.batch;
  // All entries at once: first to last entry inside one allocation means
  // every entry is (allocations are contiguous).
  const __int128 last = start + (__int128)4 * stride * (n - 1);
  const __int128 lo = last < start ? last : start, hi = (last < start ? start : last) + 4 * span;
  if (ok(lo, hi - lo)) return true;
  for (int64_t b = 0; b < n; ++b) {
    const __int128 s = start + (__int128)4 * stride * b;
    if (ok(s, 4 * span)) continue;
    const int ldv = which == 'A' ? L.lda : which == 'B' ? L.ldb : L.ldc;
    char msg[320];
    int off = snprintf(msg, sizeof msg, "%s(m=%" PRId64 ", n=%" PRId64 ", k=%" PRId64 ", ld%c=%d",
                       L.name, L.g.m, L.g.n, L.g.k, which - 'A' + 'a', ldv);
    if (L.batched)
      off += snprintf(msg + off, sizeof msg - off, ", stride%c=%" PRId64 ", batch %" PRId64 " of %d",
                      which, stride, b, L.batch);
    snprintf(msg + off, sizeof msg - off,
             "): %c spans [0x%" PRIx64 ", 0x%" PRIx64 ") (%" PRId64 " floats) outside any device allocation",
             which, uint64_t(s), uint64_t(s + 4 * span), int64_t(span));
    vgemu_kernel_fault(CUDA_ERROR_ILLEGAL_ADDRESS, msg);
    return false;
  }
  // Each entry is valid on its own (the hull crossed allocations).
  return true;
}

// run_gemm is the host kernel: it checks the spans it will touch (A and B
// only when they are read: alpha != 0 and k > 0), then computes.
void run_gemm(const void* args) {
  const GemmLaunch& L = *static_cast<const GemmLaunch*>(args);
  const vg_sgemm_args& g = L.g;
  if (g.alpha != 0.0f && g.k > 0) {
    if (!span_ok(L, 'A', g.A, g.lda, g.transa ? g.k : g.m, g.transa ? g.m : g.k, g.strideA)) return;
    if (!span_ok(L, 'B', g.B, g.ldb, g.transb ? g.n : g.k, g.transb ? g.k : g.n, g.strideB)) return;
  }
  if (!span_ok(L, 'C', g.C, g.ldc, g.m, g.n, g.strideC)) return;
  vg_sgemm(g);
}

// gemm checks the arguments of cublasSgemm_v2 / cublasSgemmStridedBatched
// and queues the product on the handle's stream.
cublasStatus_t gemm(const char* name, bool batched, cublasHandle_t handle, cublasOperation_t transa,
                    cublasOperation_t transb, int m, int n, int k, const float* alpha,
                    const float* A, int lda, long long sA, const float* B, int ldb, long long sB,
                    const float* beta, float* C, int ldc, long long sC, int batch) {
  cudaStream_t stream;
  {
    std::lock_guard<std::mutex> l(g_mu);
    if (!handle || !live().count(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
    stream = handle->stream;
  }
  // CUBLAS_STATUS_INVALID_VALUE: the conditions of docs 2.7.1 (gemm) and
  // 2.7.4 (gemmStridedBatched), which are reference BLAS's xerbla checks
  // (INFO 1, 2: trans not N, T or C; 3-5: m, n, k < 0; 8: lda <
  // max(1, nrowa); 10: ldb < max(1, nrowb); 13: ldc < max(1, m)).
  auto op_ok = [](int op) { return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C; };
  if (!op_ok(transa) || !op_ok(transb)) return CUBLAS_STATUS_INVALID_VALUE;
  if (m < 0 || n < 0 || k < 0) return CUBLAS_STATUS_INVALID_VALUE;
  const int nrowa = transa == CUBLAS_OP_N ? m : k, nrowb = transb == CUBLAS_OP_N ? k : n;
  if (lda < (nrowa > 1 ? nrowa : 1) || ldb < (nrowb > 1 ? nrowb : 1) || ldc < (m > 1 ? m : 1))
    return CUBLAS_STATUS_INVALID_VALUE;
  // batchCount < 0: as for the other strided-batched routines (docs 2.6.25
  // gemvStridedBatched); 2.7.4 does not list it.
  if (batch < 0) return CUBLAS_STATUS_INVALID_VALUE;
  // Docs 2.7.1: "alpha or beta are NULL", "C is NULL when beta is not zero"
  // (2.7.4 lists neither; the scalars are dereferenced all the same).
  if (!alpha || !beta) return CUBLAS_STATUS_INVALID_VALUE;
  const float a = *alpha, b = *beta;  // host pointer mode: read now
  if (!batched && !C && b != 0.0f) return CUBLAS_STATUS_INVALID_VALUE;
  // Quick return, as reference BLAS: nothing to compute, no kernel.
  if (m == 0 || n == 0 || batch == 0 || ((a == 0.0f || k == 0) && b == 1.0f))
    return CUBLAS_STATUS_SUCCESS;

  GemmLaunch L{};
  L.g = vg_sgemm_args{transa != CUBLAS_OP_N, transb != CUBLAS_OP_N, m, n, k, a, b,
                      A, lda, sA, B, ldb, sB, C, ldc, sC, batch};
  L.name = name;
  L.lda = lda, L.ldb = ldb, L.ldc = ldc, L.batch = batch;
  L.batched = batched;
  // Docs 2.7.1: CUBLAS_STATUS_EXECUTION_FAILED, "the function failed to
  // launch on the GPU" (no context, an invalid stream, a broken capture).
  if (vgemu_enqueue(stream, name, run_gemm, &L, sizeof L) != CUDA_SUCCESS)
    return CUBLAS_STATUS_EXECUTION_FAILED;
  return CUBLAS_STATUS_SUCCESS;
}

}  // namespace

extern "C" {

// Docs 2.4.1. Needs a current context (the emulation has no CUDA runtime to
// create one): without one CUBLAS_STATUS_NOT_INITIALIZED, "the CUDA Runtime
// initialization failed". Allocates the default workspace pool (see the
// top of the file); a failed allocation is CUBLAS_STATUS_ALLOC_FAILED ("the
// resources could not be allocated").
cublasStatus_t cublasCreate_v2(cublasHandle_t* handle) {
  if (!handle) return CUBLAS_STATUS_INVALID_VALUE;
  // Queued work and captured graphs keep pointers to run_gemm: the library
  // stays loaded after dlclose (as with -z nodelete).
  static std::once_flag pinned;
  std::call_once(pinned, [] {
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&run_gemm), &info) && info.dli_fname)
      dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  });
  CUcontext ctx = nullptr;
  if (cuCtxGetCurrent(&ctx) != CUDA_SUCCESS || !ctx) return CUBLAS_STATUS_NOT_INITIALIZED;
  cublasContext* h = new (std::nothrow) cublasContext;
  if (!h) return CUBLAS_STATUS_ALLOC_FAILED;
  h->ctx = ctx;
  h->pool_bytes = pool_size();
  if (cuMemAlloc_v2(&h->pool, h->pool_bytes) != CUDA_SUCCESS) {
    delete h;
    return CUBLAS_STATUS_ALLOC_FAILED;
  }
  {
    std::lock_guard<std::mutex> l(g_mu);
    live().insert(h);
  }
  *handle = h;
  return CUBLAS_STATUS_SUCCESS;
}

// Docs 2.4.2: releases the handle's resources; "releasing these resources
// ... will implicitly call cudaDeviceSynchronize()": the current context is
// synchronised, then the pool freed with cuMemFree_v2 (call it with the
// handle's context current, as cuBLAS requires of every call).
cublasStatus_t cublasDestroy_v2(cublasHandle_t handle) {
  {
    std::lock_guard<std::mutex> l(g_mu);
    if (!handle || !live().erase(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  }
  (void)cuCtxSynchronize();
  if (handle->pool) (void)cuMemFree_v2(handle->pool);
  delete handle;
  return CUBLAS_STATUS_SUCCESS;
}

// Docs 2.4.3: may be called with a null handle; only version is checked.
cublasStatus_t cublasGetVersion_v2(cublasHandle_t, int* version) {
  if (!version) return CUBLAS_STATUS_INVALID_VALUE;
  *version = CUBLAS_VERSION;
  return CUBLAS_STATUS_SUCCESS;
}

// Docs 2.4.7: sets the stream and "unconditionally resets the cuBLAS
// library workspace back to the default workspace pool".
cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId) {
  std::lock_guard<std::mutex> l(g_mu);
  if (!handle || !live().count(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  handle->stream = streamId;
  handle->user_ws = false;
  handle->ws = nullptr;
  handle->ws_bytes = 0;
  return CUBLAS_STATUS_SUCCESS;
}

// Docs 2.4.9.
cublasStatus_t cublasGetStream_v2(cublasHandle_t handle, cudaStream_t* streamId) {
  std::lock_guard<std::mutex> l(g_mu);
  if (!handle || !live().count(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (!streamId) return CUBLAS_STATUS_INVALID_VALUE;
  *streamId = handle->stream;
  return CUBLAS_STATUS_SUCCESS;
}

// Docs 2.4.8: the user workspace replaces the default pool (even with size
// 0) until the next cublasSetStream_v2; the pointer "has to be aligned to at
// least 256 bytes, otherwise CUBLAS_STATUS_INVALID_VALUE". The emulated
// SGEMM needs no workspace, so its size never causes ALLOC_FAILED.
cublasStatus_t cublasSetWorkspace_v2(cublasHandle_t handle, void* workspace,
                                     size_t workspaceSizeInBytes) {
  std::lock_guard<std::mutex> l(g_mu);
  if (!handle || !live().count(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (uintptr_t(workspace) % 256 != 0) return CUBLAS_STATUS_INVALID_VALUE;
  handle->user_ws = true;
  handle->ws = workspace;
  handle->ws_bytes = workspaceSizeInBytes;
  return CUBLAS_STATUS_SUCCESS;
}

// Docs 2.4.22. The mode is kept and reported; SGEMM computes in float with
// float accumulation whatever it is (TF32 rounding is not emulated).
cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
  std::lock_guard<std::mutex> l(g_mu);
  if (!handle || !live().count(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (!valid_math(mode)) return CUBLAS_STATUS_INVALID_VALUE;
  handle->math = mode;
  return CUBLAS_STATUS_SUCCESS;
}

// Docs 2.4.23.
cublasStatus_t cublasGetMathMode(cublasHandle_t handle, cublasMath_t* mode) {
  std::lock_guard<std::mutex> l(g_mu);
  if (!handle || !live().count(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
  *mode = cublasMath_t(handle->math);
  return CUBLAS_STATUS_SUCCESS;
}

// Docs 2.4.5 / 2.4.6; the descriptions are those of the cublasStatus_t
// table. Unknown values get "<unknown>" / "unknown error".
const char* cublasGetStatusName(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
  }
  return "<unknown>";
}

const char* cublasGetStatusString(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "the operation completed successfully";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "the library was not initialized";
    case CUBLAS_STATUS_ALLOC_FAILED: return "the resource allocation failed";
    case CUBLAS_STATUS_INVALID_VALUE: return "an invalid numerical value was used as an argument";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "an absent device architectural feature is required";
    case CUBLAS_STATUS_MAPPING_ERROR: return "an access to GPU memory space failed";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "the GPU program failed to execute";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "an internal operation failed";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "the feature required is not supported";
    case CUBLAS_STATUS_LICENSE_ERROR: return "an error was detected when checking the current licensing";
  }
  return "unknown error";
}

// Docs 2.7.1. CUBLAS_OP_C is CUBLAS_OP_T for real matrices.
cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa,
                              cublasOperation_t transb, int m, int n, int k, const float* alpha,
                              const float* A, int lda, const float* B, int ldb, const float* beta,
                              float* C, int ldc) {
  return gemm("cublasSgemm_v2", false, handle, transa, transb, m, n, k, alpha, A, lda, 0, B, ldb,
              0, beta, C, ldc, 0, 1);
}

// Docs 2.7.4. Strides are in elements and may be 0 (one matrix shared by
// every product) or negative.
cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa,
                                         cublasOperation_t transb, int m, int n, int k,
                                         const float* alpha, const float* A, int lda,
                                         long long int strideA, const float* B, int ldb,
                                         long long int strideB, const float* beta, float* C,
                                         int ldc, long long int strideC, int batchCount) {
  return gemm("cublasSgemmStridedBatched", true, handle, transa, transb, m, n, k, alpha, A, lda,
              strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
}

}  // extern "C"
