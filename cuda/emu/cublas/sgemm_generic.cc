// Portable SGEMM (any x86-64, or any CPU): an 8 x 4 micro-tile of C in
// plain C++, which the compiler vectorises with the baseline SSE2. The
// multiply-adds are not fused (a*b + c rounds twice), as baseline x86-64
// has no FMA instruction.
#include <stdint.h>

#include "sgemm.h"

namespace {

inline float fmadd(float a, float b, float c) { return a * b + c; }

void transpose(const float* src, int64_t lds, int64_t rows, int64_t cols, float* dst, int64_t ldd) {
  for (int64_t c0 = 0; c0 < cols; c0 += 8)  // 8 x 8 tiles for locality
    for (int64_t r0 = 0; r0 < rows; r0 += 8)
      for (int64_t c = c0; c < cols && c < c0 + 8; ++c)
        for (int64_t r = r0; r < rows && r < r0 + 8; ++r) dst[c + r * ldd] = src[r + c * lds];
}

namespace k8x4 {

constexpr int MR = 8, NR = 4;
constexpr int64_t MC = 288, KC = 256, NC = 240;

inline void micro(int64_t kc, const float* __restrict a, const float* __restrict b,
                  float* c, int64_t ldc, float alpha, float beta, int mode) {
  float acc[NR][MR] = {};
  for (int64_t p = 0; p < kc; ++p, a += MR, b += NR)
    for (int j = 0; j < NR; ++j)
      for (int i = 0; i < MR; ++i) acc[j][i] = fmadd(a[i], b[j], acc[j][i]);
  for (int j = 0; j < NR; ++j, c += ldc)
    for (int i = 0; i < MR; ++i) {
      if (mode == 0)
        c[i] = alpha * acc[j][i];
      else if (mode == 1)
        c[i] = fmadd(beta, c[i], alpha * acc[j][i]);
      else
        c[i] = fmadd(alpha, acc[j][i], c[i]);
    }
}

#define VG_KERNEL_NAME "generic"
#include "sgemm_kernel.h"
#undef VG_KERNEL_NAME

}  // namespace k8x4
}  // namespace

extern constinit const vg_sgemm_kernel vg_sgemm_generic = k8x4::kernel;
