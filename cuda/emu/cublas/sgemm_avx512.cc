// SGEMM micro-kernel for AVX-512F: a 32 x 12 tile of C in 24 zmm
// accumulators. Compiled for AVX-512F by the pragma below whatever the
// command line says; runs only where vg_sgemm_select found the CPU (and OS)
// support it.
#pragma GCC target("avx512f,avx2,fma")
#include <immintrin.h>
#include <stdint.h>

#include "sgemm.h"

namespace {

constexpr int MR = 32, NR = 12;
// KC x NR floats of B (12 KiB) stay in L1, MC x KC of A (128 KiB) in L2.
constexpr int64_t MC = 128, KC = 256, NC = 240;

inline float fmadd(float a, float b, float c) { return __builtin_fmaf(a, b, c); }

inline void micro(int64_t kc, const float* __restrict a, const float* __restrict b,
                  float* c, int64_t ldc, float alpha, float beta, int mode) {
  __m512 lo[NR], hi[NR];
  for (int j = 0; j < NR; ++j) lo[j] = hi[j] = _mm512_setzero_ps();
  for (int64_t p = 0; p < kc; ++p, a += MR, b += NR) {
    const __m512 a0 = _mm512_load_ps(a), a1 = _mm512_load_ps(a + 16);
    for (int j = 0; j < NR; ++j) {
      const __m512 bj = _mm512_set1_ps(b[j]);
      lo[j] = _mm512_fmadd_ps(a0, bj, lo[j]);
      hi[j] = _mm512_fmadd_ps(a1, bj, hi[j]);
    }
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  for (int j = 0; j < NR; ++j, c += ldc) {
    __m512 r0, r1;
    if (mode == 0) {  // MODE_SET: C is not read
      r0 = _mm512_mul_ps(va, lo[j]);
      r1 = _mm512_mul_ps(va, hi[j]);
    } else if (mode == 1) {  // MODE_SCALE
      r0 = _mm512_fmadd_ps(vb, _mm512_loadu_ps(c), _mm512_mul_ps(va, lo[j]));
      r1 = _mm512_fmadd_ps(vb, _mm512_loadu_ps(c + 16), _mm512_mul_ps(va, hi[j]));
    } else {  // MODE_ADD
      r0 = _mm512_fmadd_ps(va, lo[j], _mm512_loadu_ps(c));
      r1 = _mm512_fmadd_ps(va, hi[j], _mm512_loadu_ps(c + 16));
    }
    _mm512_storeu_ps(c, r0);
    _mm512_storeu_ps(c + 16, r1);
  }
}

}  // namespace

#define VG_KERNEL_SYMBOL vg_sgemm_avx512
#define VG_KERNEL_NAME "avx512"
#include "sgemm_kernel.h"
