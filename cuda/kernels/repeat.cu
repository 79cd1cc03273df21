// Repeat (numpy.repeat along one axis), which is also broadcasting along a
// size-1 axis and the gradient of a sum or mean over that axis.
//
//   repeat_f32(float* y, const float* x, int outer, int d, int r, int inner,
//              float scale)
//     x is viewed as [outer, d, inner] and y as [outer, d, r, inner] (that
//     is [outer, d*r, inner]): y[o, j, t, k] = scale * x[o, j, k] for
//     0 <= t < r. Each element is repeated r times in a row along the
//     axis, as numpy.repeat and gorgonia's Repeat do. Broadcasting a
//     size-1 axis to length r is d = 1; the gradient of a sum over an axis
//     of length L is d = 1, r = L, scale = 1 (scale = 1/L for a mean).
//     Any launch configuration.
#include "common.cuh"

extern "C" __global__ void repeat_f32(float* y, const float* x, int outer, int d,
                                      int r, int inner, float scale) {
    const int total = outer * d * r * inner;
    VG_LOOP(i, total) {
        const int k = i % inner;
        const int oj = i / (r * inner); // o*d + j
        y[i] = scale * x[oj * inner + k];
    }
}
