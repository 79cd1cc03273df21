// Strided copies up to rank 4: transpose (any permutation), multi-axis
// slices with steps, and materialized broadcasts.
//
//   strided_copy_f32(float* y, const float* x, int d0, int d1, int d2,
//                    int d3, int s0, int s1, int s2, int s3)
//     y is contiguous with shape [d0, d1, d2, d3] (pad lower ranks with
//     leading 1s): y[i0, i1, i2, i3] = x[i0*s0 + i1*s1 + i2*s2 + i3*s3],
//     strides in elements. A transpose of x (contiguous, shape S) by the
//     permutation p has d_k = S[p[k]] and s_k = stride(S)[p[k]]; a slice
//     passes x advanced to the first element and the strides multiplied by
//     the steps; a stride of 0 repeats (broadcasts) along that axis. y
//     must not overlap x.
//
//   strided_add_f32(float* y, const float* x, int d0, int d1, int d2,
//                   int d3, int s0, int s1, int s2, int s3)
//     The adjoint: y[i0*s0 + i1*s1 + i2*s2 + i3*s3] += x[i0, i1, i2, i3],
//     x contiguous [d0, d1, d2, d3]. The strided positions must be
//     distinct (no zero strides along axes longer than 1), as for slices
//     and transposes; it is the gradient of a slice (slice increment).
//
// Any launch configuration. Reads of x are gathered (uncoalesced for a
// transpose of the last axis); that is adequate for the sizes we use.
#include "common.cuh"

__device__ __forceinline__ int tr_offset(int i, int d1, int d2, int d3, int s0,
                                         int s1, int s2, int s3) {
    const int i3 = i % d3; i /= d3;
    const int i2 = i % d2; i /= d2;
    const int i1 = i % d1;
    const int i0 = i / d1;
    return i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3;
}

extern "C" __global__ void strided_copy_f32(float* y, const float* x, int d0,
                                            int d1, int d2, int d3, int s0,
                                            int s1, int s2, int s3) {
    const int n = d0 * d1 * d2 * d3;
    VG_LOOP(i, n) y[i] = x[tr_offset(i, d1, d2, d3, s0, s1, s2, s3)];
}

extern "C" __global__ void strided_add_f32(float* y, const float* x, int d0,
                                           int d1, int d2, int d3, int s0,
                                           int s1, int s2, int s3) {
    const int n = d0 * d1 * d2 * d3;
    VG_LOOP(i, n) {
        const int o = tr_offset(i, d1, d2, d3, s0, s1, s2, s3);
        y[o] = y[o] + x[i];
    }
}
