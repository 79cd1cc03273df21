// Tests of the emulated cuBLAS against the fake driver (fake_driver.cc):
// statuses of every call, GEMM results against a double-precision
// reference for every transpose combination and odd sizes, the special
// scalars, strided batches, device-range faults, determinism across worker
// counts and instruction sets. `cublas_test bench` times SGEMM instead.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "../emu_cublas.h"
#include "../sgemm.h"
#include "fake_driver.h"

namespace {

int failures = 0;
#define CHECK(cond, ...)                                         \
  do {                                                           \
    if (!(cond)) {                                               \
      ++failures;                                                \
      fprintf(stderr, "%s:%d: FAIL %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                              \
      fprintf(stderr, "\n");                                     \
    }                                                            \
  } while (0)

std::mt19937_64 rng(12345);
float uni() { return std::uniform_real_distribution<float>(-1, 1)(rng); }
int irand(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

// A "device" buffer: host floats registered with the fake driver.
struct Buf {
  std::vector<float> v;
  explicit Buf(size_t n, float fill = NAN) : v(n ? n : 1, fill) { fake::register_range(v.data(), v.size() * 4); }
  ~Buf() { fake::unregister_range(v.data()); }
  Buf(const Buf&) = delete;
  float* p() { return v.data(); }
};

// ref computes one batch entry of alpha*op(A)*op(B) + beta*C in double,
// and the magnitude bound |alpha|*sum|a||b| + |beta*c| for the tolerance.
void ref(int ta, int tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B,
         int ldb, float beta, const float* C, int ldc, std::vector<double>& out, std::vector<double>& mag) {
  out.assign(size_t(m) * n, 0), mag.assign(size_t(m) * n, 0);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double s = 0, a = 0;
      if (alpha != 0)
        for (int p = 0; p < k; ++p) {
          const double x = ta ? A[p + size_t(i) * lda] : A[i + size_t(p) * lda];
          const double y = tb ? B[j + size_t(p) * ldb] : B[p + size_t(j) * ldb];
          s += x * y, a += fabs(x * y);
        }
      const double c = beta == 0 ? 0 : double(beta) * C[i + size_t(j) * ldc];
      out[i + size_t(j) * m] = double(alpha) * s + c;
      mag[i + size_t(j) * m] = fabs(double(alpha)) * a + fabs(c);
    }
}

cublasHandle_t make_handle() {
  cublasHandle_t h = nullptr;
  fake::ctx_current = true;
  CHECK(cublasCreate_v2(&h) == CUBLAS_STATUS_SUCCESS, "create");
  return h;
}

const cublasOperation_t ops[2] = {CUBLAS_OP_N, CUBLAS_OP_T};

// One GEMM (batch entries b) with random padding of the leading dimensions,
// checked against the reference within 1e-5 of the magnitude bound.
// Returns C for determinism comparisons.
std::vector<float> check_gemm(cublasHandle_t h, int ta, int tb, int m, int n, int k, float alpha,
                              float beta, int batch, bool shareA, unsigned seed, bool nan_c = false) {
  std::mt19937_64 r(seed);
  auto u = [&] { return std::uniform_real_distribution<float>(-1, 1)(r); };
  const int lda = (ta ? k : m) + int(r() % 4), ldb = (tb ? n : k) + int(r() % 4), ldc = m + int(r() % 4);
  const long long sA = shareA ? 0 : (long long)lda * (ta ? m : k) + 3;
  const long long sB = (long long)ldb * (tb ? k : n) + 1, sC = (long long)ldc * n + 5;
  const int fixA = lda < 1 ? 1 : lda, fixB = ldb < 1 ? 1 : ldb, fixC = ldc < 1 ? 1 : ldc;
  Buf A(size_t(sA) * (batch - 1) + size_t(fixA) * (ta ? m : k));
  Buf B(size_t(sB) * (batch - 1) + size_t(fixB) * (tb ? k : n));
  Buf C(size_t(sC) * (batch - 1) + size_t(fixC) * n);
  for (auto& x : A.v) x = u();
  for (auto& x : B.v) x = u();
  for (auto& x : C.v) x = nan_c ? NAN : u();
  const std::vector<float> C0 = C.v;
  cublasStatus_t st;
  if (batch == 1 && !shareA)
    st = cublasSgemm_v2(h, ops[ta], ops[tb], m, n, k, &alpha, A.p(), fixA, B.p(), fixB, &beta, C.p(), fixC);
  else
    st = cublasSgemmStridedBatched(h, ops[ta], ops[tb], m, n, k, &alpha, A.p(), fixA, sA, B.p(), fixB,
                                   sB, &beta, C.p(), fixC, sC, batch);
  CHECK(st == CUBLAS_STATUS_SUCCESS, "status %d", st);
  std::vector<double> want, mag;
  for (int b = 0; b < batch; ++b) {
    ref(ta, tb, m, n, k, alpha, A.p() + sA * b, fixA, B.p() + sB * b, fixB, beta, C0.data() + sC * b,
        fixC, want, mag);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < m; ++i) {
        const double got = C.v[sC * b + i + size_t(j) * fixC], w = want[i + size_t(j) * m];
        const double tol = 1e-5 * mag[i + size_t(j) * m] + 1e-30;
        if (!(fabs(got - w) <= tol)) {
          CHECK(false, "ta=%d tb=%d m=%d n=%d k=%d alpha=%g beta=%g batch %d: C(%d,%d)=%.9g want %.9g",
                ta, tb, m, n, k, alpha, beta, b, i, j, got, w);
          return C.v;
        }
      }
    // Padding rows of C (between m and ldc) stay untouched.
    for (int j = 0; j < n; ++j)
      for (int i = m; i < fixC; ++i) {
        const size_t at = sC * b + i + size_t(j) * fixC;
        if (memcmp(&C.v[at], &C0[at], 4) != 0) {
          CHECK(false, "padding C(%d,%d) of batch %d written", i, j, b);
          return C.v;
        }
      }
  }
  return C.v;
}

void test_handles() {
  cublasHandle_t h = nullptr;
  CHECK(cublasCreate_v2(nullptr) == CUBLAS_STATUS_INVALID_VALUE, "create(NULL)");
  fake::ctx_current = false;
  CHECK(cublasCreate_v2(&h) == CUBLAS_STATUS_NOT_INITIALIZED, "create without context");
  fake::ctx_current = true;
  fake::capturing = true;
  CHECK(cublasCreate_v2(&h) == CUBLAS_STATUS_ALLOC_FAILED, "create while capturing");
  fake::capturing = false;
  for (int cc : {8, 9, 10, 12, 7}) {
    fake::cc_major = cc;
    const int a = fake::allocs, f = fake::frees;
    h = make_handle();
    const size_t want = (cc == 8 || cc == 7 ? 4u : 32u) << 20;
    CHECK(fake::allocs == a + 1 && fake::last_alloc_bytes == want, "pool of cc %d: %zu bytes", cc,
          fake::last_alloc_bytes);
    CHECK(cublasDestroy_v2(h) == CUBLAS_STATUS_SUCCESS, "destroy");
    CHECK(fake::frees == f + 1, "pool freed");
  }
  fake::cc_major = 8;
  // A destroyed or null handle.
  float one = 1, x[4] = {};
  fake::register_range(x, sizeof x);
  cudaStream_t s;
  cublasMath_t mm;
  for (cublasHandle_t bad : {h, (cublasHandle_t) nullptr}) {
    CHECK(cublasDestroy_v2(bad) == CUBLAS_STATUS_NOT_INITIALIZED, "destroy dead");
    CHECK(cublasSetStream_v2(bad, nullptr) == CUBLAS_STATUS_NOT_INITIALIZED, "setstream dead");
    CHECK(cublasGetStream_v2(bad, &s) == CUBLAS_STATUS_NOT_INITIALIZED, "getstream dead");
    CHECK(cublasSetMathMode(bad, CUBLAS_DEFAULT_MATH) == CUBLAS_STATUS_NOT_INITIALIZED, "setmath dead");
    CHECK(cublasGetMathMode(bad, &mm) == CUBLAS_STATUS_NOT_INITIALIZED, "getmath dead");
    CHECK(cublasSetWorkspace_v2(bad, nullptr, 0) == CUBLAS_STATUS_NOT_INITIALIZED, "setws dead");
    CHECK(cublasSgemm_v2(bad, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 1, &one, x, 2, x, 1, &one, x, 2) ==
              CUBLAS_STATUS_NOT_INITIALIZED, "sgemm dead");
    CHECK(cublasSgemmStridedBatched(bad, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 1, &one, x, 2, 0, x, 1, 0,
                                    &one, x, 2, 0, 1) == CUBLAS_STATUS_NOT_INITIALIZED, "sb dead");
  }
  int v = 0;
  CHECK(cublasGetVersion_v2(nullptr, &v) == CUBLAS_STATUS_SUCCESS && v == 130000, "version %d", v);
  CHECK(cublasGetVersion_v2(nullptr, nullptr) == CUBLAS_STATUS_INVALID_VALUE, "version NULL");

  h = make_handle();
  const cudaStream_t st = reinterpret_cast<cudaStream_t>(uintptr_t(0x5000));
  CHECK(cublasGetStream_v2(h, &s) == CUBLAS_STATUS_SUCCESS && s == nullptr, "default stream");
  CHECK(cublasSetStream_v2(h, st) == CUBLAS_STATUS_SUCCESS, "setstream");
  CHECK(cublasGetStream_v2(h, &s) == CUBLAS_STATUS_SUCCESS && s == st, "getstream");
  CHECK(cublasGetStream_v2(h, nullptr) == CUBLAS_STATUS_INVALID_VALUE, "getstream NULL");
  CHECK(cublasSetWorkspace_v2(h, reinterpret_cast<void*>(uintptr_t(0x10100)), 1 << 20) ==
            CUBLAS_STATUS_SUCCESS, "ws aligned");
  CHECK(cublasSetWorkspace_v2(h, reinterpret_cast<void*>(uintptr_t(0x10080)), 1 << 20) ==
            CUBLAS_STATUS_INVALID_VALUE, "ws misaligned");
  CHECK(cublasSetWorkspace_v2(h, nullptr, 0) == CUBLAS_STATUS_SUCCESS, "ws NULL, 0");
  CHECK(cublasGetMathMode(h, &mm) == CUBLAS_STATUS_SUCCESS && mm == CUBLAS_DEFAULT_MATH, "math default");
  for (int mode : {0, 1, 2, 3, 4, 8, 16, 16 | 2, 16 | 3})
    CHECK(cublasSetMathMode(h, cublasMath_t(mode)) == CUBLAS_STATUS_SUCCESS &&
              cublasGetMathMode(h, &mm) == CUBLAS_STATUS_SUCCESS && mm == mode, "math %d", mode);
  for (int mode : {5, 6, 7, 9, 17, 32, -1, 1 | 16})
    CHECK(cublasSetMathMode(h, cublasMath_t(mode)) == CUBLAS_STATUS_INVALID_VALUE, "bad math %d", mode);
  CHECK(cublasGetMathMode(h, nullptr) == CUBLAS_STATUS_INVALID_VALUE, "getmath NULL");
  CHECK(cublasDestroy_v2(h) == CUBLAS_STATUS_SUCCESS, "destroy");

  CHECK(strcmp(cublasGetStatusName(CUBLAS_STATUS_EXECUTION_FAILED), "CUBLAS_STATUS_EXECUTION_FAILED") == 0, "name");
  CHECK(strcmp(cublasGetStatusName(cublasStatus_t(2)), "<unknown>") == 0, "name 2");
  CHECK(strcmp(cublasGetStatusString(CUBLAS_STATUS_SUCCESS), "the operation completed successfully") == 0, "str");
  fake::unregister_range(x);
}

void test_invalid() {
  cublasHandle_t h = make_handle();
  Buf A(64, 1), B(64, 1), C(64, 1);
  const float one = 1, zero = 0;
  const int e0 = fake::enqueued;
  struct Case {
    int ta, tb, m, n, k, lda, ldb, ldc, batch;
    const float *alpha, *beta;
    float* c;
    cublasStatus_t want;
  };
  const cublasStatus_t INV = CUBLAS_STATUS_INVALID_VALUE;
  std::vector<Case> cases = {
      {3, 0, 2, 2, 2, 2, 2, 2, 1, &one, &one, C.p(), INV},   // CUBLAS_OP_CONJG
      {0, 4, 2, 2, 2, 2, 2, 2, 1, &one, &one, C.p(), INV},
      {-1, 0, 2, 2, 2, 2, 2, 2, 1, &one, &one, C.p(), INV},
      {0, 0, -1, 2, 2, 2, 2, 2, 1, &one, &one, C.p(), INV},
      {0, 0, 2, -1, 2, 2, 2, 2, 1, &one, &one, C.p(), INV},
      {0, 0, 2, 2, -1, 2, 2, 2, 1, &one, &one, C.p(), INV},
      {0, 0, 3, 2, 2, 2, 2, 3, 1, &one, &one, C.p(), INV},   // lda < m
      {1, 0, 3, 2, 4, 3, 4, 3, 1, &one, &one, C.p(), INV},   // T: lda < k
      {0, 0, 3, 2, 4, 3, 3, 3, 1, &one, &one, C.p(), INV},   // ldb < k
      {0, 1, 3, 5, 4, 3, 4, 3, 1, &one, &one, C.p(), INV},   // T: ldb < n
      {0, 0, 3, 2, 4, 3, 4, 2, 1, &one, &one, C.p(), INV},   // ldc < m
      {0, 0, 0, 2, 0, 0, 1, 1, 1, &one, &one, C.p(), INV},   // lda 0 < max(1, 0)
      {0, 0, 0, 0, 0, 1, 1, 0, 1, &one, &one, C.p(), INV},   // ldc 0
      {0, 0, 2, 2, 2, 2, 2, 2, -1, &one, &one, C.p(), INV},  // batchCount < 0
      {0, 0, 2, 2, 2, 2, 2, 2, 1, nullptr, &one, C.p(), INV},
      {0, 0, 2, 2, 2, 2, 2, 2, 1, &one, nullptr, C.p(), INV},
      {0, 0, 2, 2, 2, 2, 2, 2, 1, &one, &one, nullptr, INV},  // C NULL, beta != 0 (gemm only)
      {2, 2, 2, 2, 2, 2, 2, 2, 1, &one, &zero, C.p(), CUBLAS_STATUS_SUCCESS},  // OP_C is valid
      {0, 0, 0, 5, 3, 1, 3, 1, 1, &one, &one, C.p(), CUBLAS_STATUS_SUCCESS},   // m == 0
      {0, 0, 2, 2, 2, 2, 2, 2, 0, &one, &one, C.p(), CUBLAS_STATUS_SUCCESS},   // batch 0
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    for (int batched = 0; batched < 2; ++batched) {
      if (!batched && c.batch != 1) continue;
      if (batched && c.c == nullptr) continue;
      const cublasStatus_t st =
          batched ? cublasSgemmStridedBatched(h, cublasOperation_t(c.ta), cublasOperation_t(c.tb), c.m, c.n,
                                              c.k, c.alpha, A.p(), c.lda, 0, B.p(), c.ldb, 0, c.beta, c.c,
                                              c.ldc, 0, c.batch)
                  : cublasSgemm_v2(h, cublasOperation_t(c.ta), cublasOperation_t(c.tb), c.m, c.n, c.k,
                                   c.alpha, A.p(), c.lda, B.p(), c.ldb, c.beta, c.c, c.ldc);
      CHECK(st == c.want, "case %zu batched %d: status %d want %d", i, batched, st, c.want);
    }
  }
  // Only the two OP_C cases ran a kernel.
  CHECK(fake::enqueued == e0 + 2, "enqueued %d", fake::enqueued - e0);
  // A failed launch (say a broken capture) is EXECUTION_FAILED.
  fake::enqueue_result = CUDA_ERROR_STREAM_CAPTURE_INVALIDATED;
  CHECK(cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, &one, A.p(), 2, B.p(), 2, &zero, C.p(), 2) ==
            CUBLAS_STATUS_EXECUTION_FAILED, "launch failure");
  fake::enqueue_result = CUDA_SUCCESS;
  cublasDestroy_v2(h);
}

void test_special_scalars() {
  cublasHandle_t h = make_handle();
  const int m = 19, n = 13, k = 7;
  Buf A(m * k), B(k * n), C(m * n);
  for (auto& x : A.v) x = uni();
  for (auto& x : B.v) x = uni();
  // beta == 0: NaN in C must not come through.
  float one = 1, zero = 0, two = 2, half = 0.5f;
  CHECK(cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &one, A.p(), m, B.p(), k, &zero, C.p(), m) == 0, "b0");
  bool ok = true;
  for (float x : C.v) ok &= !isnan(x);
  CHECK(ok, "beta 0 read C");
  // alpha == 0: A and B are not read (NaN there, even unregistered
  // pointers), C = beta*C; beta == 0 too: C = 0 even if C held NaN.
  std::vector<float> c0 = C.v;
  const int f0 = fake::faults;
  for (auto& x : A.v) x = NAN;
  CHECK(cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_T, m, n, k, &zero, (float*)16, m, (float*)16, n, &half,
                       C.p(), m) == 0, "a0");
  ok = true;
  for (size_t i = 0; i < C.v.size(); ++i) ok &= C.v[i] == 0.5f * c0[i];
  CHECK(ok && fake::faults == f0, "alpha 0 -> beta*C (faults %d)", fake::faults - f0);
  for (auto& x : C.v) x = NAN;
  CHECK(cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &zero, A.p(), m, B.p(), k, &zero, C.p(), m) == 0, "status");
  ok = true;
  for (float x : C.v) ok &= x == 0;
  CHECK(ok, "alpha 0 beta 0 -> 0");
  // k == 0 scales C by beta; alpha == 0 and beta == 1 queue nothing.
  for (auto& x : C.v) x = 3;
  CHECK(cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, 0, &one, A.p(), m, B.p(), 1, &two, C.p(), m) == 0, "status");
  ok = true;
  for (float x : C.v) ok &= x == 6;
  CHECK(ok, "k 0 -> beta*C");
  const int e0 = fake::enqueued;
  CHECK(cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &zero, nullptr, m, nullptr, k, &one, C.p(), m) == 0, "status");
  CHECK(cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, 0, &two, nullptr, m, nullptr, 1, &one, C.p(), m) == 0, "status");
  CHECK(fake::enqueued == e0, "quick returns queued %d kernels", fake::enqueued - e0);
  CHECK(fake::last_kernel == "cublasSgemm_v2", "kernel name %s", fake::last_kernel.c_str());
  // beta == 0 with NaN in C, through the blocked path (sizes past a block).
  for (int ta = 0; ta < 2; ++ta)
    check_gemm(h, ta, 1 - ta, 150, 260, 300, 1.5f, 0.0f, 1, false, 77 + ta, true);
  cublasDestroy_v2(h);
}

void test_faults() {
  cublasHandle_t h = make_handle();
  const int m = 6, n = 5, k = 4;
  Buf A(m * k, 1), B(k * n, 1), C(m * n, 7);
  float one = 1, zero = 0;
  struct Case { const float *a, *b; float* c; int lda; char which; };
  std::vector<float> host(64, 7);  // not registered
  const Case cases[] = {
      {A.p() + 1, B.p(), C.p(), m, 'A'},        // one float past the end
      {A.p(), B.p() + 2, C.p(), m, 'B'},
      {A.p(), B.p(), C.p() + 1, m, 'C'},
      {A.p(), B.p(), host.data(), m, 'C'},
      {A.p(), B.p(), C.p(), m + 1, 'A'},        // lda*(k-1) + m past the end
  };
  for (const Case& c : cases) {
    const std::vector<float> c0 = C.v, h0 = host;
    const int f0 = fake::faults;
    const int st = cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &one, c.a, c.lda, c.b, k, &zero,
                                  c.c, m);
    CHECK(st == 0 && fake::faults == f0 + 1 && fake::last_fault == CUDA_ERROR_ILLEGAL_ADDRESS,
          "fault on %c: status %d faults %d", c.which, st, fake::faults - f0);
    CHECK(fake::last_fault_msg.find(std::string(1, c.which) + " spans") != std::string::npos &&
              fake::last_fault_msg.find("cublasSgemm_v2(m=6, n=5, k=4, ld") == 0,
          "message: %s", fake::last_fault_msg.c_str());
    CHECK(C.v == c0 && host == h0, "C written despite the fault");
  }
  printf("fault message: %s\n", fake::last_fault_msg.c_str());
  // Batched: the last entry of C past the end.
  const int f0 = fake::faults;
  const std::vector<float> c0 = C.v;
  CHECK(cublasSgemmStridedBatched(h, CUBLAS_OP_N, CUBLAS_OP_N, 3, 2, k, &one, A.p(), 3, 0, B.p(), k, 0, &zero,
                                  C.p(), 3, 13, 3) == 0, "status");
  CHECK(fake::faults == f0 + 1 && fake::last_fault_msg.find("strideC=13, batch 2 of 3") != std::string::npos,
        "batched fault: %s", fake::last_fault_msg.c_str());
  CHECK(C.v == c0, "C written despite the fault");
  printf("fault message: %s\n", fake::last_fault_msg.c_str());
  // Entries in two separate allocations (negative stride): valid.
  Buf C2(6, 0);
  const long long sc = C.p() - C2.p();
  CHECK(cublasSgemmStridedBatched(h, CUBLAS_OP_N, CUBLAS_OP_N, 3, 2, k, &one, A.p(), 3, 0, B.p(), k, 0, &zero,
                                  C2.p(), 3, sc, 2) == 0 && fake::faults == f0 + 1, "two allocations");
  cublasDestroy_v2(h);
}

// Every transpose combination over random odd sizes 1..70 (and a few past
// the cache blocks), random padding, alpha and beta, with one and three
// workers; results must match bit for bit between worker counts.
void test_results(const char* isa) {
  cublasHandle_t h = make_handle();
  const float alphas[] = {1, -1.5f, 0.25f}, betas[] = {0, 1, -0.5f};
  int n_checked = 0;
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      std::vector<std::vector<int>> shapes;
      for (int s = 1; s <= 70; ++s) shapes.push_back({s, s, s});
      for (int i = 0; i < 150; ++i) shapes.push_back({irand(1, 70), irand(1, 70), irand(1, 70)});
      shapes.push_back({129, 241, 257});
      shapes.push_back({300, 7, 600});
      shapes.push_back({5, 500, 33});
      shapes.push_back({520, 490, 300});  // several tasks on the workers
      for (auto& s : shapes) {
        const float a = alphas[irand(0, 2)], b = betas[irand(0, 2)];
        const unsigned seed = unsigned(rng());
        fake::threads = 1;
        const std::vector<float> c1 = check_gemm(h, ta, tb, s[0], s[1], s[2], a, b, 1, false, seed);
        fake::threads = 3;
        const std::vector<float> c3 = check_gemm(h, ta, tb, s[0], s[1], s[2], a, b, 1, false, seed);
        CHECK(c1 == c3, "%s: results differ between 1 and 3 workers (%d %d %d)", isa, s[0], s[1], s[2]);
        ++n_checked;
      }
      // Strided batches, A shared (stride 0) or not.
      for (int shared = 0; shared < 2; ++shared) {
        check_gemm(h, ta, tb, irand(1, 40), irand(1, 40), irand(1, 40), 1.25f, 0.5f, 7, shared, unsigned(rng()));
        check_gemm(h, ta, tb, 64, 33, 70, 1, 0, 5, shared, unsigned(rng()));
      }
    }
  fake::threads = 1;
  printf("%s: %d shapes x 2 worker counts checked\n", isa, n_checked);
  // The fused-multiply-add kernels sum in the same order whatever their
  // tile shape, so AVX2 and AVX-512 agree bit for bit.
  if (strcmp(isa, "avx512") == 0 && strcmp(vg_sgemm_select("avx2")->name, "avx2") == 0) {
    for (int i = 0; i < 40; ++i) {
      const int m = irand(1, 300), n = irand(1, 300), k = irand(1, 600), ta = irand(0, 1), tb = irand(0, 1);
      const unsigned seed = unsigned(rng());
      vg_sgemm_select("avx2");
      const std::vector<float> c2 = check_gemm(h, ta, tb, m, n, k, 0.75f, 0.5f, 1, false, seed);
      vg_sgemm_select("avx512");
      const std::vector<float> c5 = check_gemm(h, ta, tb, m, n, k, 0.75f, 0.5f, 1, false, seed);
      CHECK(c2 == c5, "avx2 and avx512 differ (%d %d %d %d %d)", ta, tb, m, n, k);
    }
    printf("avx2 and avx512: 40 shapes bit for bit equal\n");
  }
  // Both tile shapes of an instruction set that has two were used.
  const vg_sgemm_kernel* k = vg_sgemm_select(isa);
  if (k->alt) {
    auto pad = [](const vg_sgemm_kernel* x, int m, int n) {
      return double((m + x->mr - 1) / x->mr * x->mr) * double((n + x->nr - 1) / x->nr * x->nr);
    };
    int alt = 0;
    for (int m = 1; m <= 70; ++m)
      for (int n = 1; n <= 70; ++n) alt += pad(k->alt, m, n) < pad(k, m, n);
    printf("%s: %dx%d for %d of the 70x70 (m, n), %dx%d for the others\n", isa, k->alt->mr, k->alt->nr, alt,
           k->mr, k->nr);
    CHECK(alt > 500 && alt < 4400, "tile choice %d", alt);
  }
  cublasDestroy_v2(h);
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void bench() {
  cublasHandle_t h = make_handle();
  struct Shape { int ta, tb, m, n, k, batch; const char* what; };
  const Shape shapes[] = {
      {0, 0, 1024, 1024, 1024, 1, "1024^3 NN"},
      {1, 0, 1024, 1024, 1024, 1, "1024^3 TN"},
      {0, 1, 1024, 1024, 1024, 1, "1024^3 NT"},
      {0, 0, 64, 20000, 576, 1, "m=64 n=20000 k=576 NN"},
      {0, 0, 20000, 64, 576, 1, "m=20000 n=64 k=576 NN"},
      {1, 0, 20000, 64, 576, 1, "m=20000 n=64 k=576 TN"},
      {0, 1, 576, 64, 20000, 1, "m=576 n=64 k=20000 NT"},
      // vigil's conv2d (weights shared), filter gradient and transposed
      // conv on 16 images of 50 x 25 with 64 channels and 3 x 3 kernels.
      {0, 0, 1250, 64, 576, 16, "conv fwd 1250x64x576 b16 NN"},
      {1, 0, 576, 64, 1250, 16, "conv dW 576x64x1250 b16 TN"},
      {0, 1, 1250, 576, 64, 16, "conv dX 1250x576x64 b16 NT"},
  };
  for (const char* isa : {"generic", "avx2", "avx512"}) {
    if (strcmp(vg_sgemm_select(isa)->name, isa) != 0) continue;
    for (const Shape& s : shapes) {
      if (!strcmp(isa, "generic") && s.ta + s.tb) continue;
      // A is shared by the batch entries (stride 0), B and C are not.
      Buf A(size_t(s.m) * s.k, 0.5f), B(size_t(s.k) * s.n * s.batch, 0.25f), C(size_t(s.m) * s.n * s.batch, 0);
      const float one = 1, zero = 0;
      const int lda = s.ta ? s.k : s.m, ldb = s.tb ? s.n : s.k;
      const long long sB = (long long)s.k * s.n, sC = (long long)s.m * s.n;
      for (int t : {1, 2}) {
        fake::threads = t;
        double best = 1e9;
        for (int rep = 0; rep < 5; ++rep) {
          const double t0 = now();
          if (s.batch == 1)
            cublasSgemm_v2(h, ops[s.ta], ops[s.tb], s.m, s.n, s.k, &one, A.p(), lda, B.p(), ldb, &zero, C.p(), s.m);
          else
            cublasSgemmStridedBatched(h, ops[s.ta], ops[s.tb], s.m, s.n, s.k, &one, A.p(), lda, 0, B.p(), ldb, sB,
                                      &zero, C.p(), s.m, sC, s.batch);
          best = std::min(best, now() - t0);
        }
        const double gf = 2.0 * s.m * s.n * s.k * s.batch / best / 1e9;
        printf("%-8s %-30s threads %d: %8.2f ms %7.1f GFLOP/s\n", isa, s.what, t, best * 1e3, gf);
      }
      CHECK(C.v[0] == 0.125f * s.k && C.v.back() == 0.125f * s.k, "bench result %g", C.v[0]);
      fake::clear_ranges();
    }
  }
  fake::threads = 1;
  vg_sgemm_select(nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "bench") == 0) {
    bench();
    return failures ? 1 : 0;
  }
  test_handles();
  test_invalid();
  test_faults();
  for (const char* isa : {"generic", "avx2", "avx512"}) {
    if (strcmp(vg_sgemm_select(isa)->name, isa) != 0) {
      printf("%s: not supported by this CPU, skipped\n", isa);
      continue;
    }
    test_special_scalars();
    test_results(isa);
    fake::clear_ranges();
  }
  vg_sgemm_select(nullptr);
  printf("default kernel: %s\n", vg_sgemm_select(nullptr)->name);
  if (failures) {
    printf("FAIL: %d checks failed\n", failures);
    return 1;
  }
  printf("PASS\n");
  return 0;
}
