// Host SGEMM of the emulated cuBLAS: C = alpha*op(A)*op(B) + beta*C,
// column-major, over a strided batch, with cuBLAS/reference-BLAS semantics
// for the special scalars (beta == 0: C is not read; alpha == 0 or k == 0:
// A and B are not read). Internal to libcublas.so.13: nothing is exported.
#ifndef VG_SGEMM_H
#define VG_SGEMM_H

#include <stdint.h>

#define VG_HIDDEN __attribute__((visibility("hidden")))

// One strided-batched product. Sizes, leading dimensions and strides are in
// elements (floats); trans* is 0 for op(X) = X, 1 for op(X) = X^T.
struct vg_sgemm_args {
  int transa, transb;
  int64_t m, n, k;
  float alpha, beta;
  const float* A;
  int64_t lda, strideA;
  const float* B;
  int64_t ldb, strideB;
  float* C;
  int64_t ldc, strideC;
  int64_t batch;
};

// The blocked implementation of one instruction set (sgemm_kernel.h):
// block sizes in elements and the routine that computes one MC x NC block
// of C of one batch entry (ic, jc: its first row and column), using buf
// (buf_floats floats, 64-byte aligned) as packing space.
// An instruction set may have a second micro-tile shape (alt); vg_sgemm
// uses, per product, the one that pads C the least.
struct vg_sgemm_kernel {
  const char* name;
  int mr, nr;          // micro-tile, rows x columns of C
  int64_t mc, kc, nc;  // cache blocks
  int64_t buf_floats;
  void (*block)(const vg_sgemm_args& p, int64_t b, int64_t ic, int64_t jc, float* buf);
  const vg_sgemm_kernel* alt;
};

VG_HIDDEN extern const vg_sgemm_kernel vg_sgemm_generic;
VG_HIDDEN extern const vg_sgemm_kernel vg_sgemm_avx2;
VG_HIDDEN extern const vg_sgemm_kernel vg_sgemm_avx512;  // 48 x 8, alt 32 x 12

// vg_sgemm computes p on the emulator's workers (vgemu_parallel_for); call
// it from a host kernel. Every element of C is computed by one task in an
// order set by k alone, so results do not depend on the number of workers
// (nor, between AVX2 and AVX-512, on the instruction set).
VG_HIDDEN void vg_sgemm(const vg_sgemm_args& p);

// vg_sgemm_select picks the instruction set by name ("generic", "avx2",
// "avx512") if this CPU runs it, or the default for this CPU when name is
// null or not runnable; it returns its kernel. VGEMU_SGEMM_ISA in the environment sets the
// initial choice the same way.
VG_HIDDEN const vg_sgemm_kernel* vg_sgemm_select(const char* name);

#endif  // VG_SGEMM_H
