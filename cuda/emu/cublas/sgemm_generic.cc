// Portable SGEMM micro-kernel (any x86-64, or any CPU): an 8 x 4 tile of C
// in plain C++, which the compiler vectorises with the baseline SSE2. The
// multiply-adds are not fused (a*b + c rounds twice), as baseline x86-64
// has no FMA instruction.
#include <stdint.h>

#include "sgemm.h"

namespace {

constexpr int MR = 8, NR = 4;
constexpr int64_t MC = 128, KC = 256, NC = 240;

inline float fmadd(float a, float b, float c) { return a * b + c; }

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

}  // namespace

#define VG_KERNEL_SYMBOL vg_sgemm_generic
#define VG_KERNEL_NAME "generic"
#include "sgemm_kernel.h"
