// Slices, slice increments and concatenation along one axis.
//
// A tensor is viewed around the axis as [outer, len, inner] (outer: the
// product of the dimensions before the axis, inner: after it).
//
//   slice_axis_f32(float* y, const float* x, int outer, int len, int inner,
//                  int start, int count, int step)
//     y[o, j, k] = x[o, start + j*step, k] for 0 <= j < count; y is
//     [outer, count, inner]. step >= 1 and start + (count-1)*step < len.
//
//   slice_axis_add_f32(float* dx, const float* dy, int outer, int len,
//                      int inner, int start, int count, int step)
//     The slice increment (gradient of the slice):
//     dx[o, start + j*step, k] += dy[o, j, k]; other elements of dx are
//     left as they are (zero dx first for a plain gradient).
//
//   concat_axis_f32(float* y, const float* x, int outer, int ylen,
//                   int xlen, int inner, int offset)
//     Writes one input of a concatenation: y[o, offset + j, k] = x[o, j, k]
//     for 0 <= j < xlen, y being [outer, ylen, inner]. A concatenation of
//     inputs x_0..x_m is one launch per input with offset the sum of the
//     preceding lengths; its gradient for x_q is slice_axis_f32 with
//     start = offset, count = xlen, step = 1.
//
// Any launch configuration; the output must not overlap the input.
#include "common.cuh"

extern "C" __global__ void slice_axis_f32(float* y, const float* x, int outer,
                                          int len, int inner, int start,
                                          int count, int step) {
    const int total = outer * count * inner;
    VG_LOOP(i, total) {
        const int k = i % inner;
        const int r = i / inner;
        const int j = r % count, o = r / count;
        y[i] = x[((size_t)o * len + start + j * step) * inner + k];
    }
}

extern "C" __global__ void slice_axis_add_f32(float* dx, const float* dy,
                                              int outer, int len, int inner,
                                              int start, int count, int step) {
    const int total = outer * count * inner;
    VG_LOOP(i, total) {
        const int k = i % inner;
        const int r = i / inner;
        const int j = r % count, o = r / count;
        const size_t at = ((size_t)o * len + start + j * step) * inner + k;
        dx[at] = dx[at] + dy[i];
    }
}

extern "C" __global__ void concat_axis_f32(float* y, const float* x, int outer,
                                           int ylen, int xlen, int inner,
                                           int offset) {
    const int total = outer * xlen * inner;
    VG_LOOP(i, total) {
        const int k = i % inner;
        const int r = i / inner;
        const int j = r % xlen, o = r / xlen;
        y[((size_t)o * ylen + offset + j) * inner + k] = x[i];
    }
}
