// Fill and copy.
//
//   fill_f32(float* y, int n, float v)        y[i] = v, 0 <= i < n
//   copy_f32(float* y, const float* x, int n) y[i] = x[i] (no overlap
//                                             unless y == x)
//   axpy_f32(float* y, const float* x, int n, float a)
//                                             y[i] = y[i] + a * x[i]
//                                             (gradient accumulation)
//
// A zero fill is fill_f32 with v = 0 (or a driver memset of 32-bit words).
#include "common.cuh"

extern "C" __global__ void fill_f32(float* y, int n, float v) {
    VG_LOOP(i, n) y[i] = v;
}

extern "C" __global__ void copy_f32(float* y, const float* x, int n) {
    VG_LOOP(i, n) y[i] = x[i];
}

extern "C" __global__ void axpy_f32(float* y, const float* x, int n, float a) {
    VG_LOOP(i, n) y[i] = y[i] + a * x[i];
}
