// SGEMM for AVX2 + FMA: a 16 x 6 micro-tile of C in 12 ymm accumulators
// (two 8-float halves of each of six columns). Compiled for those
// extensions by the pragma below whatever the command line says; runs only
// where vg_sgemm_select found the CPU supports them.
#pragma GCC target("avx2,fma")
#include <immintrin.h>
#include <stdint.h>

#include "sgemm.h"

namespace {

#include "sgemm_transpose_avx.h"

inline float fmadd(float a, float b, float c) { return __builtin_fmaf(a, b, c); }

namespace k16x6 {

constexpr int MR = 16, NR = 6;
// kc x NR floats of B (6 KiB) stay in L1, MC x kc of A (288 KiB) in L2.
constexpr int64_t MC = 288, KC = 256, NC = 240;

inline void micro(int64_t kc, const float* __restrict a, const float* __restrict b,
                  float* c, int64_t ldc, float alpha, float beta, int mode) {
  __m256 lo[NR], hi[NR];
  for (int j = 0; j < NR; ++j) lo[j] = hi[j] = _mm256_setzero_ps();
  for (int64_t p = 0; p < kc; ++p, a += MR, b += NR) {
    const __m256 a0 = _mm256_load_ps(a), a1 = _mm256_load_ps(a + 8);
    for (int j = 0; j < NR; ++j) {
      const __m256 bj = _mm256_broadcast_ss(b + j);
      lo[j] = _mm256_fmadd_ps(a0, bj, lo[j]);
      hi[j] = _mm256_fmadd_ps(a1, bj, hi[j]);
    }
  }
  const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  for (int j = 0; j < NR; ++j, c += ldc) {
    __m256 r0, r1;
    if (mode == 0) {  // MODE_SET: C is not read
      r0 = _mm256_mul_ps(va, lo[j]);
      r1 = _mm256_mul_ps(va, hi[j]);
    } else if (mode == 1) {  // MODE_SCALE
      r0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(c), _mm256_mul_ps(va, lo[j]));
      r1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(c + 8), _mm256_mul_ps(va, hi[j]));
    } else {  // MODE_ADD
      r0 = _mm256_fmadd_ps(va, lo[j], _mm256_loadu_ps(c));
      r1 = _mm256_fmadd_ps(va, hi[j], _mm256_loadu_ps(c + 8));
    }
    _mm256_storeu_ps(c, r0);
    _mm256_storeu_ps(c + 8, r1);
  }
}

#define VG_KERNEL_NAME "avx2"
#include "sgemm_kernel.h"
#undef VG_KERNEL_NAME

}  // namespace k16x6
}  // namespace

extern constinit const vg_sgemm_kernel vg_sgemm_avx2 = k16x6::kernel;
