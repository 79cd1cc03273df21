// Sums, means and maxima over one axis or over everything.
//
// A tensor reduced over axis a is viewed as [outer, len, inner], with
// outer the product of the dimensions before a and inner of those after;
// the result is [outer, inner] (the axis removed). scale multiplies the
// sum: 1 for a sum, 1/len for a mean. Sums are float32, in a fixed order
// for a fixed launch configuration (reproducible, no atomics).
//
//   sum_axis_f32(float* y, const float* x, int outer, int len, int inner,
//                float scale)
//     y[o, k] = scale * sum_l x[o, l, k]. One thread per output element
//     (any launch configuration); coalesced when inner is large. For the
//     last axis (inner = 1) prefer sum_last_f32.
//
//   sum_last_f32(float* y, const float* x, int rows, int len, float scale)
//     y[r] = scale * sum_l x[r, l]. Block per row (blockDim.x a multiple
//     of 32). With rows = 1 it sums a whole tensor.
//
//   sum_partial_f32(float* partial, const float* x, int n)
//     partial[b] = sum of the elements x[i] that block b visits in a
//     grid-stride loop (i = b*blockDim.x + t + k*blockDim.x*gridDim.x);
//     partial has gridDim.x entries. A large total sum is sum_partial_f32
//     followed by sum_last_f32(y, partial, 1, gridDim.x, scale).
//
//   max_axis_f32(float* y, const float* x, int outer, int len, int inner)
//     y[o, k] = max_l x[o, l, k] (NaN if any is NaN; -inf for len = 0).
//     One thread per output element, as sum_axis_f32.
//
//   max_last_f32(float* y, const float* x, int rows, int len)
//     y[r] = max_l x[r, l]. Block per row, as sum_last_f32.
//
// Several reduced axes: reduce one axis at a time, or merge adjacent
// reduced axes into one len (they are contiguous in memory).
#include "common.cuh"

extern "C" __global__ void sum_axis_f32(float* y, const float* x, int outer,
                                        int len, int inner, float scale) {
    const int total = outer * inner;
    VG_LOOP(i, total) {
        const int o = i / inner, k = i - o * inner;
        const float* p = x + (size_t)o * len * inner + k;
        float acc = 0.0f;
        for (int l = 0; l < len; l++) acc += p[(size_t)l * inner];
        y[i] = scale * acc;
    }
}

extern "C" __global__ void sum_last_f32(float* y, const float* x, int rows,
                                        int len, float scale) {
    VG_BLOCK_LOOP(r, rows) {
        const float* p = x + (size_t)r * len;
        float acc = 0.0f;
        for (int l = threadIdx.x; l < len; l += blockDim.x) acc += p[l];
        acc = vg_block_sum(acc);
        if (threadIdx.x == 0) y[r] = scale * acc;
    }
}

extern "C" __global__ void sum_partial_f32(float* partial, const float* x, int n) {
    float acc = 0.0f;
    VG_LOOP(i, n) acc += x[i];
    acc = vg_block_sum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = acc;
}

extern "C" __global__ void max_axis_f32(float* y, const float* x, int outer,
                                        int len, int inner) {
    const int total = outer * inner;
    VG_LOOP(i, total) {
        const int o = i / inner, k = i - o * inner;
        const float* p = x + (size_t)o * len * inner + k;
        float m = -INFINITY;
        for (int l = 0; l < len; l++) m = vg_max(m, p[(size_t)l * inner]);
        y[i] = m;
    }
}

extern "C" __global__ void max_last_f32(float* y, const float* x, int rows, int len) {
    VG_BLOCK_LOOP(r, rows) {
        const float* p = x + (size_t)r * len;
        float m = -INFINITY;
        for (int l = threadIdx.x; l < len; l += blockDim.x) m = vg_max(m, p[l]);
        m = vg_block_max(m);
        if (threadIdx.x == 0) y[r] = m;
    }
}
