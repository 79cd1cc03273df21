// Binary cross-entropy with logits, per example (layers.BCEWithLogits).
//
// logits, target, dx are [n, d] row-major (any [N, ...] tensor with d the
// product of the trailing dimensions); out and dy are [n].
//
//   bce_logits_f32(float* out, const float* logits, const float* target,
//                  int n, int d)
//     out[e] = (1/d) * sum_i softplus(l) - t*l, with l = logits[e, i],
//     t = target[e, i] and softplus(l) = max(l, 0) + log1p(exp(-|l|))
//     (stable for any l). Block per example (blockDim.x a multiple of 32).
//
//   bce_logits_grad_f32(float* dx, const float* logits, const float* target,
//                       const float* dy, int n, int d)
//     dx[e, i] = (sigmoid(l) - t) * dy[e] / d. Elementwise, any launch
//     configuration; dx may alias logits or target.
//
// The CPU op accumulates in float64; here each block sums in float32. All
// terms are non-negative for targets in [0, 1], so there is no
// cancellation and the relative difference stays near float32 rounding.
#include "common.cuh"

extern "C" __global__ void bce_logits_f32(float* out, const float* logits,
                                          const float* target, int n, int d) {
    VG_BLOCK_LOOP(e, n) {
        const float* l = logits + (size_t)e * d;
        const float* t = target + (size_t)e * d;
        float acc = 0.0f;
        for (int i = threadIdx.x; i < d; i += blockDim.x) acc += vg_softplus(l[i]) - t[i] * l[i];
        acc = vg_block_sum(acc);
        if (threadIdx.x == 0) out[e] = acc / (float)d;
    }
}

extern "C" __global__ void bce_logits_grad_f32(float* dx, const float* logits,
                                               const float* target,
                                               const float* dy, int n, int d) {
    const int total = n * d;
    VG_LOOP(i, total) {
        const float scale = dy[i / d] / (float)d;
        dx[i] = (vg_sigmoid(logits[i]) - target[i]) * scale;
    }
}
