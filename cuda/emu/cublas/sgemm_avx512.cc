// SGEMM for AVX-512F, two micro-tiles of C in 24 zmm accumulators: 48 x 8
// (three 16-float vectors by 8 columns; fewer loads per multiply-add) and
// 32 x 12 (two by 12), for products whose m pads less to 32 (vg_sgemm picks
// per product). Compiled for AVX-512F by the pragma below
// whatever the command line says; runs only where vg_sgemm_select found
// the CPU (and OS) support it.
#pragma GCC target("avx512f,avx2,fma")
#include <immintrin.h>
#include <stdint.h>

#include "sgemm.h"

namespace {

#include "sgemm_transpose_avx.h"

inline float fmadd(float a, float b, float c) { return __builtin_fmaf(a, b, c); }

// micro_v: the (16*V) x NR tile, V zmm per column.
template <int V, int NR>
inline void micro_v(int64_t kc, const float* __restrict a, const float* __restrict b, float* c,
                    int64_t ldc, float alpha, float beta, int mode) {
  __m512 acc[NR][V];
  for (int j = 0; j < NR; ++j)
    for (int v = 0; v < V; ++v) acc[j][v] = _mm512_setzero_ps();
  for (int64_t p = 0; p < kc; ++p, a += 16 * V, b += NR) {
    __m512 av[V];
    for (int v = 0; v < V; ++v) av[v] = _mm512_load_ps(a + 16 * v);
    for (int j = 0; j < NR; ++j) {
      const __m512 bj = _mm512_set1_ps(b[j]);
      for (int v = 0; v < V; ++v) acc[j][v] = _mm512_fmadd_ps(av[v], bj, acc[j][v]);
    }
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  for (int j = 0; j < NR; ++j, c += ldc)
    for (int v = 0; v < V; ++v) {
      float* cv = c + 16 * v;
      __m512 r;
      if (mode == 0)  // MODE_SET: C is not read
        r = _mm512_mul_ps(va, acc[j][v]);
      else if (mode == 1)  // MODE_SCALE
        r = _mm512_fmadd_ps(vb, _mm512_loadu_ps(cv), _mm512_mul_ps(va, acc[j][v]));
      else  // MODE_ADD
        r = _mm512_fmadd_ps(va, acc[j][v], _mm512_loadu_ps(cv));
      _mm512_storeu_ps(cv, r);
    }
}

#define VG_KERNEL_NAME "avx512"

namespace k48x8 {
constexpr int MR = 48, NR = 8;
// kc x NR floats of B (8 KiB) stay in L1, MC x kc of A (288 KiB) in L2.
constexpr int64_t MC = 288, KC = 256, NC = 240;
inline void micro(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha,
                  float beta, int mode) {
  micro_v<3, NR>(kc, a, b, c, ldc, alpha, beta, mode);
}
#include "sgemm_kernel.h"
}  // namespace k48x8

namespace k32x12 {
constexpr int MR = 32, NR = 12;
// kc x NR floats of B (12 KiB) stay in L1, MC x kc of A (288 KiB) in L2.
constexpr int64_t MC = 288, KC = 256, NC = 240;
inline void micro(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha,
                  float beta, int mode) {
  micro_v<2, NR>(kc, a, b, c, ldc, alpha, beta, mode);
}
#include "sgemm_kernel.h"
}  // namespace k32x12

#undef VG_KERNEL_NAME

constexpr vg_sgemm_kernel with_alt(vg_sgemm_kernel k, const vg_sgemm_kernel* alt) {
  k.alt = alt;
  return k;
}

}  // namespace

extern constinit const vg_sgemm_kernel vg_sgemm_avx512 = with_alt(k48x8::kernel, &k32x12::kernel);
