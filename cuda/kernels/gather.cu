// Gather and scatter-add by indices along one axis (embedding lookups and
// their gradients; gorgonia's ByIndices).
//
// x is viewed as [outer, len, inner] around the axis; idx holds n int32
// indices into [0, len).
//
//   gather_axis_f32(float* y, const float* x, const int* idx, int outer,
//                   int len, int inner, int n)
//     y[o, i, k] = x[o, idx[i], k]; y is [outer, n, inner]. An index
//     outside [0, len) gives 0 (never an out-of-bounds read). Embedding
//     rows: outer = 1, inner = the embedding width.
//
//   scatter_add_axis_f32(float* dx, const float* dy, const int* idx,
//                        int outer, int len, int inner, int n)
//     dx[o, idx[i], k] += dy[o, i, k] (atomicAdd, so repeated indices
//     accumulate; their order, and so the last bits of the sums, may vary
//     between runs). Indices outside [0, len) are skipped. dx is not
//     cleared first.
//
// Any launch configuration.
#include "common.cuh"

extern "C" __global__ void gather_axis_f32(float* y, const float* x,
                                           const int* idx, int outer, int len,
                                           int inner, int n) {
    const int total = outer * n * inner;
    VG_LOOP(i, total) {
        const int k = i % inner;
        const int r = i / inner;
        const int j = r % n, o = r / n;
        const int src = idx[j];
        y[i] = (src >= 0 && src < len) ? x[((size_t)o * len + src) * inner + k] : 0.0f;
    }
}

extern "C" __global__ void scatter_add_axis_f32(float* dx, const float* dy,
                                                const int* idx, int outer,
                                                int len, int inner, int n) {
    const int total = outer * n * inner;
    VG_LOOP(i, total) {
        const int k = i % inner;
        const int r = i / inner;
        const int j = r % n, o = r / n;
        const int dst = idx[j];
        if (dst >= 0 && dst < len) atomicAdd(&dx[((size_t)o * len + dst) * inner + k], dy[i]);
    }
}
