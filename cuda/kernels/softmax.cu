// Softmax and log-softmax over the last axis, and their gradients.
//
// x, y, dy, dx are [rows, cols] row-major (a tensor of any rank viewed with
// its last axis as cols). Block per row: blockDim.x a multiple of 32 (for
// short rows, 32 or 64 threads waste least), any grid size.
//
//   softmax_f32(float* y, const float* x, int rows, int cols)
//     y[r, j] = exp(x[r, j] - m) / sum_l exp(x[r, l] - m), m = max_l x[r, l].
//
//   softmax_grad_f32(float* dx, const float* y, const float* dy, int rows,
//                    int cols)
//     dx[r, j] = y[r, j] * (dy[r, j] - sum_l dy[r, l] * y[r, l]), with y
//     the softmax output.
//
//   log_softmax_f32(float* y, const float* x, int rows, int cols)
//     y[r, j] = x[r, j] - m - log(sum_l exp(x[r, l] - m)).
//
//   log_softmax_grad_f32(float* dx, const float* y, const float* dy,
//                        int rows, int cols)
//     dx[r, j] = dy[r, j] - exp(y[r, j]) * sum_l dy[r, l], with y the
//     log-softmax output.
//
// Each output may alias its same-shaped inputs (in place): every row is
// reduced completely before any of it is written, and each element is
// then written by the thread that reads it.
#include "common.cuh"

__device__ __forceinline__ float sm_row_max(const float* p, int cols) {
    float m = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) m = vg_max(m, p[j]);
    return vg_block_max(m);
}

__device__ __forceinline__ float sm_row_sumexp(const float* p, int cols, float m) {
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf(p[j] - m);
    return vg_block_sum(s);
}

extern "C" __global__ void softmax_f32(float* y, const float* x, int rows, int cols) {
    VG_BLOCK_LOOP(r, rows) {
        const float* p = x + (size_t)r * cols;
        float* q = y + (size_t)r * cols;
        const float m = sm_row_max(p, cols);
        const float inv = 1.0f / sm_row_sumexp(p, cols, m);
        for (int j = threadIdx.x; j < cols; j += blockDim.x) q[j] = expf(p[j] - m) * inv;
    }
}

extern "C" __global__ void log_softmax_f32(float* y, const float* x, int rows, int cols) {
    VG_BLOCK_LOOP(r, rows) {
        const float* p = x + (size_t)r * cols;
        float* q = y + (size_t)r * cols;
        const float m = sm_row_max(p, cols);
        const float lse = m + logf(sm_row_sumexp(p, cols, m));
        for (int j = threadIdx.x; j < cols; j += blockDim.x) q[j] = p[j] - lse;
    }
}

extern "C" __global__ void softmax_grad_f32(float* dx, const float* y,
                                            const float* dy, int rows, int cols) {
    VG_BLOCK_LOOP(r, rows) {
        const float* py = y + (size_t)r * cols;
        const float* pg = dy + (size_t)r * cols;
        float* q = dx + (size_t)r * cols;
        float s = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) s += pg[j] * py[j];
        s = vg_block_sum(s);
        for (int j = threadIdx.x; j < cols; j += blockDim.x) q[j] = py[j] * (pg[j] - s);
    }
}

extern "C" __global__ void log_softmax_grad_f32(float* dx, const float* y,
                                                const float* dy, int rows, int cols) {
    VG_BLOCK_LOOP(r, rows) {
        const float* py = y + (size_t)r * cols;
        const float* pg = dy + (size_t)r * cols;
        float* q = dx + (size_t)r * cols;
        float s = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) s += pg[j];
        s = vg_block_sum(s);
        for (int j = threadIdx.x; j < cols; j += blockDim.x) q[j] = pg[j] - expf(py[j]) * s;
    }
}
