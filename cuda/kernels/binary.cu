// Elementwise binary functions: arithmetic and comparisons.
//
// Ops (f(a, b)):
//   add a + b     sub a - b     mul a * b     div a / b
//   pow powf(a, b)              max fmaxf(a, b)   min fminf(a, b)
//   gt  a > b     lt  a < b     ge  a >= b    le  a <= b
//   eq  a == b    ne  a != b    (comparisons give 1.0f or 0.0f; any
//                                comparison with NaN is 0, ne is 1)
//
// Four variants per op; z may alias an input of its own shape:
//
//   OP_f32(float* z, const float* x, const float* y, int n)
//     z[i] = f(x[i], y[i]), 0 <= i < n (same shapes, contiguous).
//
//   OP_scalar_f32(float* z, const float* x, int n, float s)
//     z[i] = f(x[i], s)   (tensor op scalar)
//
//   OP_rscalar_f32(float* z, const float* x, int n, float s)
//     z[i] = f(s, x[i])   (scalar op tensor, e.g. s - x, s / x)
//
//   OP_bcast_f32(float* z, const float* x, const float* y,
//                int d0, int d1, int d2, int d3,
//                int xs0, int xs1, int xs2, int xs3,
//                int ys0, int ys1, int ys2, int ys3)
//     General broadcasting up to rank 4. z is contiguous with shape
//     [d0, d1, d2, d3] (pad lower ranks with leading 1s); element
//     (i0, i1, i2, i3) of z is f(x[i0*xs0 + i1*xs1 + i2*xs2 + i3*xs3],
//     y[i0*ys0 + ...]). Strides are in elements; a broadcast axis has
//     stride 0, so x [C] added along axis 1 of [N, C, H, W] has strides
//     (0, 1, 0, 0). Any strides are allowed (also transposed views). z
//     must not alias x or y unless that input is contiguous with z's shape.
#include "common.cuh"

__device__ __forceinline__ float bin_add(float a, float b) { return a + b; }
__device__ __forceinline__ float bin_sub(float a, float b) { return a - b; }
__device__ __forceinline__ float bin_mul(float a, float b) { return a * b; }
__device__ __forceinline__ float bin_div(float a, float b) { return a / b; }
__device__ __forceinline__ float bin_pow(float a, float b) { return powf(a, b); }
__device__ __forceinline__ float bin_max(float a, float b) { return fmaxf(a, b); }
__device__ __forceinline__ float bin_min(float a, float b) { return fminf(a, b); }
__device__ __forceinline__ float bin_gt(float a, float b) { return a > b ? 1.0f : 0.0f; }
__device__ __forceinline__ float bin_lt(float a, float b) { return a < b ? 1.0f : 0.0f; }
__device__ __forceinline__ float bin_ge(float a, float b) { return a >= b ? 1.0f : 0.0f; }
__device__ __forceinline__ float bin_le(float a, float b) { return a <= b ? 1.0f : 0.0f; }
__device__ __forceinline__ float bin_eq(float a, float b) { return a == b ? 1.0f : 0.0f; }
__device__ __forceinline__ float bin_ne(float a, float b) { return a != b ? 1.0f : 0.0f; }

#define BIN_OPS(op)                                                            \
    extern "C" __global__ void op##_f32(float* z, const float* x,             \
                                        const float* y, int n) {              \
        VG_LOOP(i, n) z[i] = bin_##op(x[i], y[i]);                             \
    }                                                                          \
    extern "C" __global__ void op##_scalar_f32(float* z, const float* x,      \
                                               int n, float s) {              \
        VG_LOOP(i, n) z[i] = bin_##op(x[i], s);                                \
    }                                                                          \
    extern "C" __global__ void op##_rscalar_f32(float* z, const float* x,     \
                                                int n, float s) {             \
        VG_LOOP(i, n) z[i] = bin_##op(s, x[i]);                                \
    }                                                                          \
    extern "C" __global__ void op##_bcast_f32(                                 \
        float* z, const float* x, const float* y, int d0, int d1, int d2,     \
        int d3, int xs0, int xs1, int xs2, int xs3, int ys0, int ys1, int ys2, \
        int ys3) {                                                             \
        const int n = d0 * d1 * d2 * d3;                                       \
        VG_LOOP(i, n) {                                                        \
            int r = i;                                                         \
            const int i3 = r % d3; r /= d3;                                    \
            const int i2 = r % d2; r /= d2;                                    \
            const int i1 = r % d1;                                             \
            const int i0 = r / d1;                                             \
            z[i] = bin_##op(x[i0 * xs0 + i1 * xs1 + i2 * xs2 + i3 * xs3],      \
                            y[i0 * ys0 + i1 * ys1 + i2 * ys2 + i3 * ys3]);     \
        }                                                                      \
    }

BIN_OPS(add)
BIN_OPS(sub)
BIN_OPS(mul)
BIN_OPS(div)
BIN_OPS(pow)
BIN_OPS(max)
BIN_OPS(min)
BIN_OPS(gt)
BIN_OPS(lt)
BIN_OPS(ge)
BIN_OPS(le)
BIN_OPS(eq)
BIN_OPS(ne)

#undef BIN_OPS
